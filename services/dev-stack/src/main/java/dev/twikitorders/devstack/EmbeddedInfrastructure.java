package dev.twikitorders.devstack;

import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.localstack.LocalStack;
import dev.twikitorders.sandbox.SandboxConfig;
import dev.twikitorders.sandbox.TwikitSandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default stack for {@code run} without Kafka settings and for {@code demo}: a real
 * KRaft broker in-process, a real Confluent-compatible schema registry (Apicurio, child JVM) unless
 * {@code schema.registry.url} is set, and the Twikit sandbox unless {@code twikit.api.url} is set.
 * All on loopback, on free ports; {@link #close()} stops them, and a shutdown hook makes sure no
 * child process outlives the JVM.
 *
 * <p>Thread-safe to close.
 */
public final class EmbeddedInfrastructure implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedInfrastructure.class);

  private final LocalStack stack;
  private final TwikitSandbox sandbox;
  private final EnricherConfig config;

  private final Path stateDir;

  private EmbeddedInfrastructure(
      LocalStack stack, TwikitSandbox sandbox, EnricherConfig config, Path stateDir) {
    this.stack = stack;
    this.sandbox = sandbox;
    this.config = config;
    this.stateDir = stateDir;
  }

  /**
   * Starts what {@code config} does not point at elsewhere.
   *
   * @param apiLatency latency of the sandbox's API responses
   */
  public static EmbeddedInfrastructure start(EnricherConfig config, Duration apiLatency) {
    boolean needRegistry = config.schemaRegistryUrl() == null;
    boolean needSandbox = config.twikitApiUrl() == null;
    var builder = LocalStack.builder();
    if (!needRegistry) {
      builder.withoutSchemaRegistry();
    }
    String clientId = "demo";
    String secret = "sandbox-" + UUID.randomUUID();
    if (needSandbox) {
      builder.service(
          TwikitSandbox.class,
          () ->
              TwikitSandbox.start(
                  SandboxConfig.builder()
                      .port(0)
                      .clientId(clientId)
                      .clientSecret(secret)
                      .latency(apiLatency)
                      .build()));
    }
    LOG.info(
        "Starting the embedded stack (Kafka broker{}{})",
        needRegistry ? ", schema registry" : "",
        needSandbox ? ", Twikit sandbox" : "");
    LocalStack stack = builder.start();
    TwikitSandbox sandbox = needSandbox ? stack.service(TwikitSandbox.class) : null;
    EnricherConfig filled =
        config.withInfrastructure(
            stack.bootstrapServers(),
            needRegistry ? stack.schemaRegistryUrl() : null,
            sandbox == null ? null : sandbox.apiUrl(),
            sandbox == null ? null : sandbox.tokenUrl(),
            sandbox == null ? null : clientId,
            sandbox == null ? null : new EnricherConfig.Secret(secret));
    Path stateDir = null;
    if (filled.stateDir() == null) {
      // a new broker every start: local state from an earlier run would not match it
      try {
        stateDir = Files.createTempDirectory("order-enricher-state-");
      } catch (IOException e) {
        stack.close();
        throw new UncheckedIOException(
            "cannot create a temporary Kafka Streams state directory", e);
      }
      filled = filled.withStateDir(stateDir.toString());
    }
    var infra = new EmbeddedInfrastructure(stack, sandbox, filled, stateDir);
    Runtime.getRuntime().addShutdownHook(new Thread(infra::close, "embedded-stack-shutdown"));
    return infra;
  }

  /** The configuration with the embedded addresses filled in. */
  public EnricherConfig config() {
    return config;
  }

  /** The sandbox, or null when an external Twikit API is configured. */
  public TwikitSandbox sandbox() {
    return sandbox;
  }

  public LocalStack stack() {
    return stack;
  }

  @Override
  public void close() {
    try {
      stack.close();
    } catch (RuntimeException e) {
      LOG.warn("Error while stopping the embedded stack: {}", e.toString());
    }
    if (stateDir != null) {
      deleteQuietly(stateDir);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("Could not delete {}: {}", dir, e.toString());
    }
  }
}
