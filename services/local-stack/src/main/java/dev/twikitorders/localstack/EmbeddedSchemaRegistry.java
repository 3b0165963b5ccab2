package dev.twikitorders.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Confluent-compatible schema registry (Apicurio Registry, in-memory storage) in a child
 * JVM.
 *
 * <p>Runs the uber-jar built by {@code services/schema-registry-server} with the same {@code java}
 * as this process, on a free loopback port, with a small heap and quiet logs written to a file in a
 * temporary directory. {@link Builder#start()} returns once the Confluent API answers. {@link
 * #close()} stops the process (SIGTERM, then SIGKILL after a grace period); a JVM shutdown hook
 * does the same if this process exits without closing it (normal exit, Ctrl-C). A {@code kill -9}
 * of this process cannot run the hook and leaves the child running.
 *
 * <p>HTTPS: with {@link Builder#https(Path, Path, Path)} the registry serves HTTPS only (no plain
 * HTTP port) from a PEM certificate chain and key, {@link #url()} is an {@code https://} URL, and
 * the readiness probe trusts the given CA certificate only. Client certificates cannot be required:
 * Quarkus 2.16 fixes {@code quarkus.http.ssl.client-auth} when the registry jar is built.
 *
 * <p>How the jar is found: {@link Builder#jar(Path)}, else system property {@code
 * twikit.registry.jar}, else environment variable {@code EMBEDDED_REGISTRY_JAR}, else {@code
 * lib/schema-registry-server.jar} beside the running jar, else {@code
 * services/schema-registry-server/target/schema-registry-server.jar} under the working directory or
 * one of its parents.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);

  /** Path of the Confluent-compatible API under the server root. */
  public static final String CCOMPAT_PATH = "/apis/ccompat/v7";

  /** System property of the child JVM that names the process that started it. */
  public static final String PARENT_PID_PROPERTY = "twikit.embedded.parent.pid";

  /** System property naming the registry jar. */
  public static final String JAR_PROPERTY = RegistryJarLocator.JAR_PROPERTY;

  /** Environment variable naming the registry jar. */
  public static final String JAR_ENV = RegistryJarLocator.JAR_ENV;

  private static final int MAX_PORT_ATTEMPTS = 3;
  private static final int LOG_TAIL_LINES = 40;
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private final Process process;
  private final int port;
  private final SSLContext sslContext;
  private final Path workDirectory;
  private final Duration stopGracePeriod;
  private final Thread shutdownHook;
  private boolean closed;

  private EmbeddedSchemaRegistry(
      Process process,
      int port,
      SSLContext sslContext,
      Path workDirectory,
      Duration stopGracePeriod,
      Thread shutdownHook) {
    this.process = process;
    this.port = port;
    this.sslContext = sslContext;
    this.workDirectory = workDirectory;
    this.stopGracePeriod = stopGracePeriod;
    this.shutdownHook = shutdownHook;
  }

  /** Starts a registry with the default settings (see {@link Builder}). */
  public static EmbeddedSchemaRegistry start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Base URL of the Confluent-compatible API, e.g. {@code http://127.0.0.1:41234/apis/ccompat/v7}
   * ({@code https://} when started with {@link Builder#https(Path, Path, Path)}).
   */
  public String url() {
    return serverUrl() + CCOMPAT_PATH;
  }

  /**
   * Root URL of the server, e.g. {@code http://127.0.0.1:41234} or {@code https://127.0.0.1:41234}
   * (Apicurio's own API is under {@code /apis/registry/v2}).
   */
  public String serverUrl() {
    return (isHttps() ? "https" : "http") + "://127.0.0.1:" + port;
  }

  /** Whether the registry serves HTTPS (only) rather than plain HTTP. */
  public boolean isHttps() {
    return sslContext != null;
  }

  /** An HTTP client builder for this registry: trusting the builder's CA when it serves HTTPS. */
  private HttpClient.Builder httpClient() {
    HttpClient.Builder builder = HttpClient.newBuilder();
    return sslContext == null ? builder : builder.sslContext(sslContext);
  }

  public int port() {
    return port;
  }

  /** The child process (to check liveness or read its pid). */
  public ProcessHandle process() {
    return process.toHandle();
  }

  /** The child's combined stdout/stderr; deleted by {@link #close()}. */
  public Path logFile() {
    return workDirectory.resolve("registry.log");
  }

  /**
   * Stops the child JVM (gracefully, then forcibly after the grace period) and deletes its log
   * directory.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shutdownInProgress) {
      // the hook is running or about to: it stops the process as well
    }
    stop(process, stopGracePeriod);
    IllegalStateException failure =
        new IllegalStateException("Errors while cleaning up the schema registry");
    Files2.deleteRecursively(workDirectory, failure);
    if (failure.getSuppressed().length > 0) {
      log.warn("Cannot delete {}", workDirectory, failure);
    }
    log.info("Schema registry at {} stopped", serverUrl());
  }

  @Override
  public String toString() {
    return "EmbeddedSchemaRegistry[" + url() + ", pid " + process.pid() + "]";
  }

  private static void stop(Process process, Duration gracePeriod) {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(gracePeriod.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn(
            "Schema registry (pid {}) did not stop within {}: killing it",
            process.pid(),
            gracePeriod);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    descendants.forEach(ProcessHandle::destroyForcibly);
  }

  /**
   * Settings of the child registry. Defaults: jar located as described on {@link
   * EmbeddedSchemaRegistry}, heap {@code 256m}, default compatibility {@code BACKWARD}, start
   * timeout 60 s, stop grace period 10 s. Not thread-safe; {@link #start()} may be called more than
   * once (each call starts a new registry).
   */
  public static final class Builder {
    private Path jar;
    private String maxHeap = "256m";
    private String defaultCompatibility = "BACKWARD";
    private Duration startTimeout = Duration.ofSeconds(60);
    private Duration stopGracePeriod = Duration.ofSeconds(10);
    private final List<String> extraJvmOptions = new ArrayList<>();
    private Path httpsCertificate;
    private Path httpsKey;
    private Path httpsTrustedCa;

    private Builder() {}

    /** The uber-jar to run; overrides every other way of finding it. */
    public Builder jar(Path jar) {
      this.jar = Objects.requireNonNull(jar, "jar");
      return this;
    }

    /** {@code -Xmx} of the child JVM, e.g. {@code 256m}. */
    public Builder maxHeap(String maxHeap) {
      this.maxHeap = Objects.requireNonNull(maxHeap, "maxHeap");
      return this;
    }

    /**
     * Global compatibility level (NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FULL, ...) applied
     * to every subject without its own; {@code null} leaves Apicurio's default (no compatibility
     * check).
     */
    public Builder defaultCompatibility(String level) {
      this.defaultCompatibility = level == null ? null : level.toUpperCase(Locale.ROOT);
      return this;
    }

    /** How long to wait for the registry to answer before giving up. */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = requirePositive(timeout, "startTimeout");
      return this;
    }

    /** How long {@link #close()} waits after SIGTERM before killing the process. */
    public Builder stopGracePeriod(Duration gracePeriod) {
      this.stopGracePeriod = requirePositive(gracePeriod, "stopGracePeriod");
      return this;
    }

    /**
     * Serves HTTPS only, on the registry's port, with Quarkus' {@code
     * quarkus.http.ssl.certificate.files} and {@code key-files} and {@code
     * quarkus.http.insecure-requests=disabled}: no plain HTTP port is opened.
     *
     * @param certificateChainPem the server certificate chain, leaf first (PEM); it must hold
     *     {@code 127.0.0.1}, the host of {@link EmbeddedSchemaRegistry#url()}
     * @param privateKeyPem the server's unencrypted private key (PKCS#8 PEM)
     * @param trustedCaPem the CA certificate(s) (PEM) the start-up probe trusts; no other CA is
     *     trusted by it
     */
    public Builder https(Path certificateChainPem, Path privateKeyPem, Path trustedCaPem) {
      this.httpsCertificate =
          Objects.requireNonNull(certificateChainPem, "certificateChainPem").toAbsolutePath();
      this.httpsKey = Objects.requireNonNull(privateKeyPem, "privateKeyPem").toAbsolutePath();
      this.httpsTrustedCa = Objects.requireNonNull(trustedCaPem, "trustedCaPem").toAbsolutePath();
      return this;
    }

    /** More options for the child JVM, e.g. {@code -Dquarkus.log.level=INFO} to see its logs. */
    public Builder jvmOption(String option) {
      extraJvmOptions.add(Objects.requireNonNull(option, "option"));
      return this;
    }

    /**
     * Stops registry processes started by an earlier JVM that died without running its shutdown
     * hooks ({@code kill -9}): they carry {@code -Dtwikit.embedded.parent.pid} naming a process
     * that is gone.
     */
    static int reapOrphans() {
      String marker = "-D" + PARENT_PID_PROPERTY + "=";
      int reaped = 0;
      for (ProcessHandle p : (Iterable<ProcessHandle>) ProcessHandle.allProcesses()::iterator) {
        String[] args = p.info().arguments().orElse(null);
        if (args == null) {
          continue;
        }
        for (String arg : args) {
          if (arg.startsWith(marker)) {
            long parent;
            try {
              parent = Long.parseLong(arg.substring(marker.length()));
            } catch (NumberFormatException e) {
              break;
            }
            if (ProcessHandle.of(parent).map(ProcessHandle::isAlive).orElse(false)) {
              break;
            }
            log.warn(
                "Stopping an orphaned schema registry process (pid {}) left by process {}",
                p.pid(),
                parent);
            p.destroyForcibly();
            reaped++;
            break;
          }
        }
      }
      return reaped;
    }

    /**
     * Starts the registry and waits until its Confluent API answers.
     *
     * @throws IllegalStateException if the jar cannot be found or the registry does not become
     *     ready within the start timeout (the message holds the tail of its log); no process is
     *     left running then
     */
    public EmbeddedSchemaRegistry start() {
      Path resolvedJar = jar != null ? jar : RegistryJarLocator.locate();
      if (!Files.isRegularFile(resolvedJar)) {
        throw new IllegalStateException(
            "Schema registry jar "
                + resolvedJar
                + " does not exist. "
                + RegistryJarLocator.HOW_TO_BUILD);
      }
      SSLContext sslContext = httpsTrustedCa == null ? null : httpsContext();
      reapOrphans();
      for (int attempt = 1; ; attempt++) {
        try {
          return startOnce(resolvedJar.toAbsolutePath(), freeLoopbackPort(), sslContext);
        } catch (PortTakenException e) {
          if (attempt >= MAX_PORT_ATTEMPTS) {
            throw new IllegalStateException(
                "The schema registry could not bind a free port in "
                    + MAX_PORT_ATTEMPTS
                    + " attempts",
                e);
          }
          log.info("Port {} was taken before the schema registry bound it: trying another", e.port);
        }
      }
    }

    /** Checks the HTTPS files and builds the probe's SSL context trusting the CA file only. */
    private SSLContext httpsContext() {
      for (Path file : List.of(httpsCertificate, httpsKey, httpsTrustedCa)) {
        if (!Files.isRegularFile(file)) {
          throw new IllegalStateException(
              "The schema registry's HTTPS file " + file + " does not exist");
        }
      }
      for (Path file : List.of(httpsCertificate, httpsKey)) {
        if (file.toString().contains(",")) {
          // Quarkus reads certificate.files and key-files as comma-separated lists
          throw new IllegalStateException(
              "The schema registry's HTTPS file " + file + " has a ',' in its path");
        }
      }
      return trusting(httpsTrustedCa);
    }

    private EmbeddedSchemaRegistry startOnce(Path jarPath, int port, SSLContext sslContext) {
      long startNanos = System.nanoTime();
      Path workDirectory = createWorkDirectory();
      Path logFile = workDirectory.resolve("registry.log");
      List<String> command = command(jarPath, port);
      Process process;
      try {
        process =
            new ProcessBuilder(command)
                .directory(workDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
      } catch (IOException e) {
        IllegalStateException failure = new IllegalStateException("Cannot run " + command, e);
        Files2.deleteRecursively(workDirectory, failure);
        throw failure;
      }
      Duration grace = stopGracePeriod;
      Thread hook =
          new Thread(
              () -> {
                stop(process, grace);
                Files2.deleteRecursively(
                    workDirectory, new IllegalStateException("ignored at JVM exit"));
              },
              "schema-registry-shutdown-" + process.pid());
      Runtime.getRuntime().addShutdownHook(hook);
      EmbeddedSchemaRegistry registry =
          new EmbeddedSchemaRegistry(process, port, sslContext, workDirectory, grace, hook);
      try {
        awaitReady(registry, logFile);
        if (defaultCompatibility != null) {
          // Apicurio enforces registry.rules.global.compatibility but reports NONE from GET /config
          // until
          // the rule is stored: store it so what the API reports and what it enforces agree.
          putGlobalCompatibility(registry, defaultCompatibility);
        }
      } catch (RuntimeException e) {
        registry.close();
        throw e;
      }
      log.info(
          "Schema registry ready at {} (pid {}) in {} ms",
          registry.url(),
          process.pid(),
          (System.nanoTime() - startNanos) / 1_000_000);
      return registry;
    }

    private static Path createWorkDirectory() {
      try {
        return Files.createTempDirectory("schema-registry-");
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Cannot create a temporary directory for the schema registry log", e);
      }
    }

    private List<String> command(Path jarPath, int port) {
      List<String> command = new ArrayList<>();
      command.add(javaCommand());
      command.add("-Xmx" + maxHeap);
      command.add(
          "-XX:+UseSerialGC"); // a few hundred schemas at most: no need for parallel GC threads
      command.add("-XX:TieredStopAtLevel=1"); // C1 only: faster start-up, and the load is light
      command.add("-Dquarkus.http.host=127.0.0.1"); // no authentication: loopback only
      if (httpsCertificate == null) {
        command.add("-Dquarkus.http.port=" + port);
      } else {
        // HTTPS only: with insecure requests disabled Quarkus opens no plain HTTP port at all
        command.add("-Dquarkus.http.ssl-port=" + port);
        command.add("-Dquarkus.http.insecure-requests=disabled");
        command.add("-Dquarkus.http.ssl.certificate.files=" + httpsCertificate);
        command.add("-Dquarkus.http.ssl.certificate.key-files=" + httpsKey);
      }
      command.add("-Dquarkus.log.level=WARN");
      command.add("-Dquarkus.banner.enabled=false");
      command.add(
          "-Dquarkus.datasource.jdbc.initial-size=2"); // Apicurio's default pool is 20 connections
      command.add("-Dquarkus.datasource.jdbc.min-size=2");
      if (defaultCompatibility != null) {
        command.add("-Dregistry.rules.global.compatibility=" + defaultCompatibility);
      }
      // marks the child with its parent's pid, so that a later start can reap it if the parent was
      // killed with SIGKILL (no shutdown hook runs then)
      command.add("-D" + PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
      command.addAll(extraJvmOptions);
      command.add("-jar");
      command.add(jarPath.toString());
      return command;
    }

    private void awaitReady(EmbeddedSchemaRegistry registry, Path logFile) {
      long deadline = System.nanoTime() + startTimeout.toNanos();
      URI probe = URI.create(registry.url() + "/subjects");
      IOException lastFailure = null;
      try (HttpClient http = registry.httpClient().connectTimeout(Duration.ofSeconds(1)).build()) {
        HttpRequest request =
            HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(2)).GET().build();
        while (true) {
          if (!registry.process.isAlive()) {
            String tail = tail(logFile);
            if (tail.toLowerCase(Locale.ROOT).contains("in use")) {
              throw new PortTakenException(registry.port);
            }
            throw new IllegalStateException(
                "The schema registry exited with code "
                    + registry.process.exitValue()
                    + " before it was ready. Last lines of its log:\n"
                    + tail);
          }
          try {
            HttpResponse<Void> response =
                http.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() == 200) {
              return;
            }
          } catch (IOException notYetListening) {
            lastFailure = notYetListening; // keep polling until the deadline
          }
          if (System.nanoTime() - deadline > 0) {
            throw new IllegalStateException(
                "The schema registry did not answer "
                    + probe
                    + " within "
                    + startTimeout
                    + (lastFailure == null ? "" : " (last failure: " + lastFailure + ")")
                    + ". Last lines of its log:\n"
                    + tail(logFile));
          }
          // also notices an early exit without waiting for the next probe
          registry.process.waitFor(100, TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for the schema registry", e);
      }
    }

    private static void putGlobalCompatibility(EmbeddedSchemaRegistry registry, String level) {
      URI config = URI.create(registry.url() + "/config");
      String body = "{\"compatibility\":\"" + level + "\"}";
      try (HttpClient http = registry.httpClient().connectTimeout(Duration.ofSeconds(2)).build()) {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(config)
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", CONTENT_TYPE)
                    .PUT(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          throw new IllegalStateException(
              "PUT "
                  + config
                  + " "
                  + body
                  + " answered "
                  + response.statusCode()
                  + ": "
                  + response.body());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("PUT " + config + " failed", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while configuring the schema registry", e);
      }
    }

    private static Duration requirePositive(Duration duration, String name) {
      Objects.requireNonNull(duration, name);
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + duration);
      }
      return duration;
    }
  }

  /**
   * A TLS context that trusts the certificates in {@code caPem} (PEM, one or more) and nothing
   * else.
   *
   * @throws IllegalStateException naming the file when it cannot be read or holds no certificate
   */
  static SSLContext trusting(Path caPem) {
    try (InputStream in = Files.newInputStream(caPem)) {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new IllegalStateException("No certificate in " + caPem);
      }
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        trusted.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("Cannot read the CA certificate(s) in " + caPem, e);
    }
  }

  /** The {@code java} launcher of this JVM, so the child runs on the same Java version. */
  static String javaCommand() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * A port that was free a moment ago. Another process may take it before the child binds it: the
   * caller retries with a new port when the child reports the port in use.
   */
  static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find a free loopback port", e);
    }
  }

  private static String tail(Path logFile) {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join(
          "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  private static final class PortTakenException extends RuntimeException {
    private final int port;

    PortTakenException(int port) {
      super("port " + port + " in use", null, false, false);
      this.port = port;
    }
  }
}
