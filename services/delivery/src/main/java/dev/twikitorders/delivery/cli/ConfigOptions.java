package dev.twikitorders.delivery.cli;

import dev.twikitorders.connections.KafkaConnection;
import dev.twikitorders.connections.RegistrySettings;
import dev.twikitorders.delivery.config.DeliveryConfig;
import dev.twikitorders.delivery.config.DeliverySettings;
import dev.twikitorders.settings.ConfigSources;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The configuration options every command shares. Precedence: defaults &lt; {@code --config} file
 * &lt; environment &lt; these flags ({@code --set} first, then the dedicated flags).
 */
public final class ConfigOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Properties file with settings (keys as in the README, e.g. delivery.url=https://...).")
  Path configFile;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      mapFallbackValue = "",
      description =
          "Any setting, e.g. --set delivery.batch.max.records=50 or --set"
              + " kafka.security.protocol=SSL. Repeatable. Secrets are refused here (command lines"
              + " are visible to other users): give them in the environment or the --config file.")
  Map<String, String> set = new LinkedHashMap<>();

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
    ConfigSources sources = new ConfigSources(DeliveryConfig.CATALOG);
    if (configFile != null) {
      sources.file(configFile);
    }
    sources.environment(env);
    set.forEach((k, v) -> sources.flag(k, v, "--set " + k));
    flag(sources, KafkaConnection.BOOTSTRAP_SERVERS.key(), bootstrapServers, "--bootstrap-servers");
    flag(sources, RegistrySettings.URL.key(), schemaRegistryUrl, "--schema-registry-url");
    flag(sources, DeliverySettings.URL.key(), url, "--url");
    flag(sources, DeliverySettings.TOPIC.key(), topic, "--topic");
    flag(sources, DeliverySettings.GROUP_ID.key(), groupId, "--group-id");
    return sources;
  }

  private static void flag(ConfigSources sources, String key, String value, String flag) {
    if (value != null) {
      sources.flag(key, value, flag);
    }
  }
}
