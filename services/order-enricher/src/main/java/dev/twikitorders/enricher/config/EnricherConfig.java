package dev.twikitorders.enricher.config;

import dev.twikitorders.connections.RegistrySettings;
import dev.twikitorders.ops.MetricsSettings;
import dev.twikitorders.settings.ConfigException;
import dev.twikitorders.settings.ConfigSources;
import dev.twikitorders.settings.Setting;
import dev.twikitorders.settings.SettingValues;
import java.util.Objects;

/**
 * The order enricher's typed, validated configuration: one immutable group per concern, built from
 * {@link ConfigSources} (defaults &lt; properties file &lt; environment &lt; command-line flags).
 * Addresses of the deployment (Kafka, registry, Twikit) may be null here: each job checks what it
 * needs with {@link #requireKafka()}, {@link #requireRegistry()} and {@link #requireTwikit()}.
 *
 * <p>Immutable and thread-safe; {@link #toString()} never shows a secret.
 */
public record EnricherConfig(
    KafkaSettings kafka,
    RegistrySettings registry,
    TwikitSettings twikit,
    TopicSettings topics,
    EnrichmentSettings enrichment,
    MetricsSettings metrics,
    StartupSettings startup) {
  public EnricherConfig {
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(twikit, "twikit");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(enrichment, "enrichment");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(startup, "startup");
  }

  /** Validates and types the merged sources; every error names the setting and its origin. */
  public static EnricherConfig from(ConfigSources sources) {
    SettingValues v = sources.settingValues();
    KafkaSettings kafka = KafkaSettings.read(v);
    EnrichmentSettings enrichment = EnrichmentSettings.read(v);
    TimingCheck.check(kafka, enrichment);
    return new EnricherConfig(
        kafka,
        RegistrySettings.read(v),
        TwikitSettings.read(v),
        TopicSettings.read(v),
        enrichment,
        MetricsSettings.read(v),
        StartupSettings.read(v));
  }

  /**
   * @throws ConfigException naming {@code kafka.bootstrap.servers} and its variable when unset
   */
  public EnricherConfig requireKafka() {
    kafka.connection().require();
    return this;
  }

  /**
   * @throws ConfigException naming {@code schema.registry.url} and its variable when unset
   */
  public EnricherConfig requireRegistry() {
    registry.require();
    return this;
  }

  /**
   * @throws ConfigException naming the first unset Twikit address or credential
   */
  public EnricherConfig requireTwikit() {
    Setting.require(twikit.apiUrl(), TwikitSettings.API_URL);
    twikit.auth();
    return this;
  }

  /** Everything {@code run} needs: Kafka, the registry and Twikit. */
  public EnricherConfig requireExternal() {
    return requireKafka().requireRegistry().requireTwikit();
  }
}
