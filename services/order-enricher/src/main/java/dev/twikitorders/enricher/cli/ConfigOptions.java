package dev.twikitorders.enricher.cli;

import dev.twikitorders.connections.RegistrySettings;
import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.enricher.config.EnrichmentSettings;
import dev.twikitorders.enricher.config.KafkaSettings;
import dev.twikitorders.enricher.config.Settings;
import dev.twikitorders.enricher.config.TwikitSettings;
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
      names = "--twikit-api-url",
      paramLabel = "URL",
      description = "Twikit API base URL (TWIKIT_API_URL).")
  String twikitApiUrl;

  @Option(
      names = "--twikit-token-url",
      paramLabel = "URL",
      description = "OAuth token endpoint (TWIKIT_TOKEN_URL).")
  String twikitTokenUrl;

  @Option(
      names = "--twikit-client-id",
      paramLabel = "ID",
      description = "OAuth client id (TWIKIT_CLIENT_ID).")
  String twikitClientId;

  @Option(
      names = "--twikit-client-secret-file",
      paramLabel = "FILE",
      description =
          "File holding the OAuth client secret (TWIKIT_CLIENT_SECRET_FILE). There is no flag for the "
              + "secret itself: command lines are visible to other users.")
  String twikitClientSecretFile;

  @Option(
      names = "--mode",
      paramLabel = "async|sync",
      description = "Enrichment mode (ENRICHMENT_MODE), default async.")
  String mode;

  @Option(
      names = "--application-id",
      paramLabel = "ID",
      description = "Kafka Streams application id (APPLICATION_ID).")
  String applicationId;

  /** Merges defaults, file, environment and flags into the typed configuration. */
  public EnricherConfig load(Map<String, String> env) {
    return EnricherConfig.from(sources(env));
  }

  /**
   * The merged sources before typing, for a caller that adds computed values (the dev stack's
   * addresses).
   */
  public ConfigSources sources(Map<String, String> env) {
    ConfigSources sources = sourceOptions.sources(Settings.CATALOG, env);
    SourceOptions.flag(
        sources, KafkaSettings.BOOTSTRAP_SERVERS.key(), bootstrapServers, "--bootstrap-servers");
    SourceOptions.flag(
        sources, RegistrySettings.URL.key(), schemaRegistryUrl, "--schema-registry-url");
    SourceOptions.flag(sources, TwikitSettings.API_URL.key(), twikitApiUrl, "--twikit-api-url");
    SourceOptions.flag(
        sources, TwikitSettings.TOKEN_URL.key(), twikitTokenUrl, "--twikit-token-url");
    SourceOptions.flag(
        sources, TwikitSettings.CLIENT_ID.key(), twikitClientId, "--twikit-client-id");
    SourceOptions.flag(
        sources,
        TwikitSettings.CLIENT_SECRET_FILE.key(),
        twikitClientSecretFile,
        "--twikit-client-secret-file");
    SourceOptions.flag(sources, EnrichmentSettings.MODE.key(), mode, "--mode");
    SourceOptions.flag(
        sources, KafkaSettings.APPLICATION_ID.key(), applicationId, "--application-id");
    return sources;
  }
}
