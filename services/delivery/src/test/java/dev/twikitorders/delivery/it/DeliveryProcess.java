package dev.twikitorders.delivery.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged {@code delivery.jar} as a child JVM ({@code java -jar delivery.jar <args>}),
 * configured only by the environment the test gives (every inherited {@code KAFKA_*}, {@code
 * SCHEMA_REGISTRY_*}, {@code DELIVERY_*}, {@code METRICS_*}, {@code LOG_LEVEL} and {@code
 * LOG_FORMAT} variable is removed first). Its stdout and stderr go to {@code
 * target/it-logs/<label>.out.log} and {@code .err.log}. Every started child is remembered and
 * killed by {@link #killAll()} (call it in {@code @AfterAll}), also when a test fails.
 *
 * <p>Not thread-safe per instance; {@link #killAll()} is.
 */
final class DeliveryProcess {
  static final Duration LONG = Duration.ofMinutes(2);
  private static final List<Process> CHILDREN = new ArrayList<>();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String label;
  private final Process process;

  private DeliveryProcess(String label, Process process) {
    this.label = label;
    this.process = process;
  }

  /** The packaged application, as failsafe passes it. */
  static Path jar() {
    Path jar = Path.of(System.getProperty("delivery.jar", "target/delivery.jar")).toAbsolutePath();
    assertThat(jar).as("the packaged application (run the ITs with mvn verify)").isRegularFile();
    return jar;
  }

  static Path logs() {
    Path logs = Path.of(System.getProperty("it.logs.dir", "target/it-logs")).toAbsolutePath();
    try {
      Files.createDirectories(logs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return logs;
  }

  /** Starts {@code java -jar delivery.jar args...} with {@code env}; returns at once. */
  static DeliveryProcess start(String label, Map<String, String> env, String... args) {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jar().toString()));
    command.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment()
        .keySet()
        .removeIf(
            k ->
                k.startsWith("KAFKA_")
                    || k.startsWith("SCHEMA_REGISTRY_")
                    || k.startsWith("DELIVERY_")
                    || k.startsWith("METRICS_")
                    || k.equals("LOG_LEVEL")
                    || k.equals("LOG_FORMAT"));
    pb.environment().putAll(env);
    pb.redirectOutput(logFile(label, "out").toFile());
    pb.redirectError(logFile(label, "err").toFile());
    try {
      Process p = pb.start();
      synchronized (CHILDREN) {
        CHILDREN.add(p);
      }
      return new DeliveryProcess(label, p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /** Starts {@code deliver} and waits until it passed its start-up checks and delivers. */
  static DeliveryProcess deliver(String label, Map<String, String> env) {
    DeliveryProcess p = start(label, env, "deliver");
    await("child " + label + " delivering")
        .atMost(LONG)
        .until(
            () -> {
              if (!p.process.isAlive()) {
                throw new IllegalStateException(
                    "child " + label + " exited with " + p.process.exitValue() + ":\n" + p.err());
              }
              return p.out().contains("Delivering ");
            });
    return p;
  }

  /** A finished short command: its exit code and output. */
  record Finished(int exitCode, String out, String err) {
    String all() {
      return out + "\n" + err;
    }
  }

  /** Runs a command to its end (at most {@link #LONG}). */
  static Finished run(String label, Map<String, String> env, String... args) {
    DeliveryProcess p = start(label, env, args);
    int code = p.awaitExit();
    return new Finished(code, p.out(), p.err());
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the exit (at most {@link #LONG}); the exit code. */
  int awaitExit() {
    try {
      if (!process.waitFor(LONG.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("child " + label + " did not exit within " + LONG + ":\n" + err());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** SIGKILL: no shutdown hook, no commit, no close. The exit code (137). */
  int kill() {
    process.destroyForcibly();
    return awaitExit();
  }

  /** SIGTERM: the shutdown hook stops the service cleanly. The exit code (143). */
  int stop() {
    process.destroy();
    return awaitExit();
  }

  String out() {
    return read(logFile(label, "out"));
  }

  String err() {
    return read(logFile(label, "err"));
  }

  private static Path logFile(String label, String stream) {
    return logs().resolve(label + "." + stream + ".log");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kills every child still running. */
  static void killAll() {
    synchronized (CHILDREN) {
      for (Process p : CHILDREN) {
        p.destroyForcibly();
      }
      for (Process p : CHILDREN) {
        try {
          p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      CHILDREN.clear();
    }
  }

  /** A loopback port free right now (for {@code METRICS_PORT}). */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An HTTP response of the ops endpoint. */
  record Answer(int status, String body) {}

  /** GET {@code http://127.0.0.1:<port><path>}. */
  static Answer get(int port, String path) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(10))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + path + " on port " + port, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The value of the first Prometheus sample in {@code metrics} named {@code name} (with any
   * labels), or of exactly {@code name{labels}} when {@code name} has labels; -1 when absent.
   */
  static double sample(String metrics, String name) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + " ") || (!name.contains("{") && line.startsWith(name + "{"))) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return -1;
  }
}
