package dev.twikitorders.devstack;

import dev.twikitorders.connections.RegistrySettings;
import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.enricher.config.KafkaSettings;
import dev.twikitorders.enricher.config.TwikitSettings;
import dev.twikitorders.localstack.LocalStack;
import dev.twikitorders.sandbox.SandboxConfig;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.settings.ConfigSources;
import dev.twikitorders.settings.Setting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

  /** The settings that say where Kafka, the registry and Twikit are, and Twikit's credentials. */
  public static final List<Setting> ADDRESSES =
      List.of(
          KafkaSettings.BOOTSTRAP_SERVERS,
          RegistrySettings.URL,
          RegistrySettings.BASIC_AUTH,
          TwikitSettings.API_URL,
          TwikitSettings.TOKEN_URL,
          TwikitSettings.CLIENT_ID,
          TwikitSettings.CLIENT_SECRET,
          TwikitSettings.CLIENT_SECRET_FILE);

  private static final String ORIGIN = "embedded stack";

  /**
   * Starts what {@code sources} do not point at elsewhere (the broker always; the registry unless
   * {@code schema.registry.url} is set; the sandbox unless {@code twikit.api.url} is set), and adds
   * their addresses and the sandbox's credentials to {@code sources} with the origin "embedded
   * stack".
   *
   * @param apiLatency latency of the sandbox's API responses
   */
  public static EmbeddedInfrastructure start(ConfigSources sources, Duration apiLatency) {
    EnricherConfig requested = EnricherConfig.from(sources);
    boolean needRegistry = requested.registry().url() == null;
    boolean needSandbox = requested.twikit().apiUrl() == null;
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
    if (requested.kafka().bootstrapServers() == null) {
      sources.set(KafkaSettings.BOOTSTRAP_SERVERS.key(), stack.bootstrapServers(), ORIGIN);
    }
    if (needRegistry) {
      sources.set(RegistrySettings.URL.key(), stack.schemaRegistryUrl(), ORIGIN);
    }
    if (sandbox != null) {
      sources.set(TwikitSettings.API_URL.key(), sandbox.apiUrl().toString(), ORIGIN);
      sources.set(TwikitSettings.TOKEN_URL.key(), sandbox.tokenUrl().toString(), ORIGIN);
      sources.set(TwikitSettings.CLIENT_ID.key(), clientId, ORIGIN);
      sources.set(TwikitSettings.CLIENT_SECRET.key(), secret, ORIGIN);
      sources.clear(TwikitSettings.CLIENT_SECRET_FILE.key());
    }
    Path stateDir = null;
    if (requested.kafka().stateDir() == null) {
      // a new broker every start: local state from an earlier run would not match it
      try {
        stateDir = Files.createTempDirectory("order-enricher-state-");
      } catch (IOException e) {
        stack.close();
        throw new UncheckedIOException(
            "cannot create a temporary Kafka Streams state directory", e);
      }
      sources.set(KafkaSettings.STATE_DIR.key(), stateDir.toString(), ORIGIN);
    }
    EnricherConfig filled;
    try {
      filled = EnricherConfig.from(sources);
    } catch (RuntimeException e) {
      stack.close();
      throw e;
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
