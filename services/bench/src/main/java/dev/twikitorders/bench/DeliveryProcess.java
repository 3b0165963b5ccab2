package dev.twikitorders.bench;

import dev.twikitorders.delivery.config.DeliveryConfig;
import dev.twikitorders.delivery.config.DeliverySettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery service under test as a child JVM, like {@link PipelineProcess}: {@code java -jar
 * delivery.jar deliver --set ...}, the client secret through the environment ({@code
 * DELIVERY_CLIENT_SECRET}: the command line refuses secrets), the environment otherwise cleaned of
 * the delivery's settings, {@code KAFKA_*} and the like this shell may hold, so only what the bench
 * passes applies. Output goes to a log file in the work directory.
 *
 * <p>Not thread-safe.
 */
final class DeliveryProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryProcess.class);

  /** What {@code DeliveryApp.start} logs once the service delivers. */
  static final String DELIVERING = "Delivering ";

  private static final Set<String> SETTING_VARIABLES =
      DeliveryConfig.CATALOG.settings().stream()
          .map(s -> s.env())
          .collect(Collectors.toUnmodifiableSet());

  private final Process process;
  private final Path log;

  private DeliveryProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static DeliveryProcess start(
      ChildJvm jvm,
      Path jar,
      Path workDir,
      String name,
      Map<String, String> settings,
      String clientSecret) {
    Path log = workDir.resolve(name + "-delivery.log");
    List<String> cmd = jvm.command(workDir.resolve(name + "-delivery-gc.log"));
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.add("deliver");
    settings.forEach(
        (k, v) -> {
          cmd.add("--set");
          cmd.add(k + "=" + v);
        });
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    Map<String, String> clean = new HashMap<>(env);
    for (String key : env.keySet()) {
      if (SETTING_VARIABLES.contains(key)
          || key.startsWith("KAFKA_")
          || key.startsWith("DELIVERY_")
          || key.startsWith("SCHEMA_REGISTRY_")
          || key.startsWith("METRICS_")
          || key.equals("JAVA_TOOL_OPTIONS")) {
        clean.remove(key);
      }
    }
    env.clear();
    env.putAll(clean);
    env.put(DeliverySettings.AUTH.clientSecret().env(), clientSecret);
    LOG.info(
        "Starting the delivery service ({}): {} ... deliver ({} settings), log {}",
        name,
        cmd.get(0),
        settings.size(),
        log);
    try {
      return new DeliveryProcess(ChildJvm.track(pb.start()), log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + cmd.get(0), e);
    }
  }

  /**
   * Waits until the service logs that it delivers.
   *
   * @throws IllegalStateException when it exits or the timeout passes first
   */
  void awaitDelivering(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(DELIVERING)) {
        return;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the delivery service exited with code "
                + process.exitValue()
                + " before delivering; last lines of "
                + log
                + ":\n"
                + ChildJvm.tail(log, 40));
      }
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
    throw new IllegalStateException(
        "the delivery service did not start within "
            + timeout
            + "; last lines of "
            + log
            + ":\n"
            + ChildJvm.tail(log, 40));
  }

  boolean alive() {
    return process.isAlive();
  }

  /** For a failure message: the exit code and the log's tail when the service exited. */
  String why() {
    return process.isAlive()
        ? "; log " + log
        : "; the service exited with code "
            + process.exitValue()
            + ", last lines of "
            + log
            + ":\n"
            + ChildJvm.tail(log, 40);
  }

  /** SIGTERM (the service commits and exits), killing it after 45 s. */
  @Override
  public void close() {
    ChildJvm.stop(process, "The delivery service");
  }
}
