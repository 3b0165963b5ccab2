package dev.twikitorders.delivery.cli;

import dev.twikitorders.connections.KafkaConnection;
import dev.twikitorders.connections.RegistrySettings;
import dev.twikitorders.delivery.config.DeliveryConfig;
import dev.twikitorders.delivery.config.DeliverySettings;
import dev.twikitorders.settings.ConfigSources;
import dev.twikitorders.settings.cli.SourceOptions;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The configuration options every command shares ({@link SourceOptions} plus shortcut flags).
 * Precedence: defaults &lt; {@code --config} file &lt; environment &lt; these flags ({@code --set}
 * first, then the dedicated flags).
 */
public final class ConfigOptions {
  @Mixin SourceOptions sourceOptions = new SourceOptions();

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOSTS",
      description = "Kafka bootstrap servers (KAFKA_BOOTSTRAP_SERVERS).")
  String bootstrapServers;

  @Option(
      names = "--schema-registry-url",
      paramLabel = "URL",
      description = "Schema registry URL (SCHEMA_REGISTRY_URL).")
  String schemaRegistryUrl;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "Endpoint the records are POSTed to (DELIVERY_URL).")
  String url;

  @Option(
      names = "--topic",
      paramLabel = "TOPIC",
      description = "Topic to deliver (DELIVERY_TOPIC), default erp.configuration-summaries.")
  String topic;

  @Option(
      names = "--group-id",
      paramLabel = "ID",
      description = "Consumer group (DELIVERY_GROUP_ID), default twikit-order-delivery.")
  String groupId;

  /** Merges defaults, file, environment and flags into the typed configuration. */
  public DeliveryConfig load(Map<String, String> env) {
    return DeliveryConfig.from(sources(env));
  }

  /** The merged sources before typing, for a caller that adds computed values. */
  public ConfigSources sources(Map<String, String> env) {
    ConfigSources sources = sourceOptions.sources(DeliveryConfig.CATALOG, env);
    SourceOptions.flag(
        sources, KafkaConnection.BOOTSTRAP_SERVERS.key(), bootstrapServers, "--bootstrap-servers");
    SourceOptions.flag(
        sources, RegistrySettings.URL.key(), schemaRegistryUrl, "--schema-registry-url");
    SourceOptions.flag(sources, DeliverySettings.URL.key(), url, "--url");
    SourceOptions.flag(sources, DeliverySettings.TOPIC.key(), topic, "--topic");
    SourceOptions.flag(sources, DeliverySettings.GROUP_ID.key(), groupId, "--group-id");
    return sources;
  }
}
