package dev.twikitorders.enricher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.auth.ClientAuthMethod;
import dev.twikitorders.capacity.ConcurrencySettings;
import dev.twikitorders.settings.ConfigException;
import dev.twikitorders.settings.ConfigSources;
import dev.twikitorders.settings.Setting;
import dev.twikitorders.twikit.HttpProtocol;
import dev.twikitorders.twikit.TwikitPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnricherConfigTest {
  @TempDir Path dir;

  @Test
  void defaultsApplyWhenNothingIsSet() {
    EnricherConfig c = EnricherConfig.from(new ConfigSources(Settings.CATALOG));
    assertThat(c.topics().orderEvents()).isEqualTo("order-events");
    assertThat(c.topics().erp()).isEqualTo("erp.configuration-summaries");
    assertThat(c.topics().fulfillment()).isEqualTo("fulfillment.configurations");
    assertThat(c.topics().deadLetters()).isEqualTo("order-events.dlq");
    assertThat(c.enrichment().mode()).isEqualTo(EnrichmentMode.ASYNC);
    assertThat(c.twikit().maxInFlight()).isEqualTo(1024);
    assertThat(c.twikit().concurrency()).isEqualTo(ConcurrencySettings.Mode.ADAPTIVE);
    assertThat(c.twikit().minInFlight()).isEqualTo(8);
    assertThat(c.twikit().maxRequestsPerSecond()).isZero();
    assertThat(c.twikit().retryDeadline()).isEqualTo(Duration.ZERO);
    assertThat(c.twikit().maxResponseBytes()).isEqualTo(4_194_304);
    assertThat(c.twikit().authMethod()).isEqualTo(ClientAuthMethod.CLIENT_SECRET_POST);
    assertThat(c.twikit().httpProtocol()).isEqualTo(HttpProtocol.HTTP_1_1);
    assertThat(c.twikit().paths()).isEqualTo(TwikitPaths.DEFAULT);
    assertThat(c.kafka().bootstrapServers()).isNull();
    assertThat(c.metrics().port()).isZero();
    assertThat(c.metrics().enabled()).isFalse();
    assertThat(c.metrics().bindAddress()).isEqualTo("0.0.0.0");
  }

  @Test
  void maxLinesPerEventIsASettingWhoseDefaultTheDecoderShares() {
    assertThat(
            EnricherConfig.from(new ConfigSources(Settings.CATALOG))
                .enrichment()
                .maxLinesPerEvent())
        .isEqualTo(dev.twikitorders.enricher.records.EventDecoder.DEFAULT_MAX_CONFIGURED_LINES);
    assertThat(EnrichmentSettings.MAX_LINES_PER_EVENT.key())
        .isEqualTo(dev.twikitorders.enricher.records.EventDecoder.MAX_LINES_SETTING);
    assertThat(EnrichmentSettings.MAX_LINES_PER_EVENT.defaultValue())
        .isEqualTo(
            String.valueOf(
                dev.twikitorders.enricher.records.EventDecoder.DEFAULT_MAX_CONFIGURED_LINES));
    assertThat(
            EnricherConfig.from(
                    new ConfigSources(Settings.CATALOG)
                        .environment(Map.of("ENRICHMENT_MAX_LINES_PER_EVENT", "3")))
                .enrichment()
                .maxLinesPerEvent())
        .isEqualTo(3);
    assertThatThrownBy(
            () ->
                EnricherConfig.from(
                    new ConfigSources(Settings.CATALOG)
                        .flag("enrichment.max.lines.per.event", "0", "--set")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("enrichment.max.lines.per.event");
  }

  @Test
  void precedenceIsDefaultsThenFileThenEnvironmentThenFlags() throws IOException {
    Path file = dir.resolve("app.properties");
    Files.writeString(
        file, "topic.erp=from-file\ntopic.fulfillment=from-file\ntopic.dead.letters=from-file\n");
    EnricherConfig c =
        EnricherConfig.from(
            new ConfigSources(Settings.CATALOG)
                .file(file)
                .environment(
                    Map.of("TOPIC_FULFILLMENT", "from-env", "TOPIC_DEAD_LETTERS", "from-env"))
                .flag("topic.dead.letters", "from-flag", "--set topic.dead.letters"));
    assertThat(c.topics().erp()).isEqualTo("from-file");
    assertThat(c.topics().fulfillment()).isEqualTo("from-env");
    assertThat(c.topics().deadLetters()).isEqualTo("from-flag");
    assertThat(c.topics().orderEvents()).isEqualTo("order-events");
  }

  @Test
  void kafkaSettingsPassThroughFromEnvironmentAndFiles() throws IOException {
    Path file = dir.resolve("app.properties");
    Files.writeString(file, "kafka.sasl.mechanism=PLAIN\n");
    EnricherConfig c =
        EnricherConfig.from(
            new ConfigSources(Settings.CATALOG)
                .file(file)
                .environment(
                    Map.of(
                        "KAFKA_SECURITY_PROTOCOL",
                        "SASL_SSL",
                        "KAFKA_BOOTSTRAP_SERVERS",
                        "b:9092",
                        "KAFKA_HOME",
                        "/opt/kafka")));
    assertThat(c.kafka().bootstrapServers()).isEqualTo("b:9092");
    assertThat(c.kafka().overrides())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "PLAIN")
        .doesNotContainKey("home")
        .doesNotContainKey("bootstrap.servers");
  }

  @Test
  void unknownKeyInFileIsAnErrorNamingKeyAndFile() throws IOException {
    Path file = dir.resolve("app.properties");
    Files.writeString(file, "twikit.api.ulr=http://x\n");
    assertThatThrownBy(() -> new ConfigSources(Settings.CATALOG).file(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("twikit.api.ulr")
        .hasMessageContaining(file.toString());
  }

  @Test
  void aSyncWaitThatCouldOutliveTheTransactionIsRefusedNamingTheSettings() {
    assertThatThrownBy(
            () ->
                EnricherConfig.from(
                    new ConfigSources(Settings.CATALOG)
                        .environment(Map.of("ENRICHMENT_MAX_BLOCK_MS", "10000"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("enrichment.max.block.ms (10000)")
        .hasMessageContaining("kafka.commit.interval.ms (100)")
        .hasMessageContaining("kafka.producer.transaction.timeout.ms (10000)");
    assertThatThrownBy(
            () ->
                EnricherConfig.from(
                    new ConfigSources(Settings.CATALOG)
                        .environment(
                            Map.of(
                                "ENRICHMENT_MAX_BLOCK_MS",
                                "4000",
                                "KAFKA_PRODUCER_TRANSACTION_TIMEOUT_MS",
                                "60000",
                                "KAFKA_MAX_POLL_INTERVAL_MS",
                                "6000"))))
        .hasMessageContaining("kafka.max.poll.interval.ms (6000)");
    // a longer transaction timeout makes room for a longer wait
    assertThat(
            EnricherConfig.from(
                    new ConfigSources(Settings.CATALOG)
                        .environment(
                            Map.of(
                                "ENRICHMENT_MAX_BLOCK_MS",
                                "10000",
                                "KAFKA_PRODUCER_TRANSACTION_TIMEOUT_MS",
                                "30000")))
                .enrichment()
                .maxBlock())
        .hasSeconds(10);
  }

  @Test
  void badValuesNameTheSettingAndWhereItCameFrom() {
    assertThatThrownBy(
            () ->
                EnricherConfig.from(
                    new ConfigSources(Settings.CATALOG)
                        .environment(Map.of("TWIKIT_MAX_IN_FLIGHT", "lots"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("twikit.max.in.flight")
        .hasMessageContaining("environment TWIKIT_MAX_IN_FLIGHT");
    assertThatThrownBy(
            () ->
                EnricherConfig.from(
                    new ConfigSources(Settings.CATALOG)
                        .flag("twikit.api.url", "ftp://x", "--twikit-api-url")))
        .hasMessageContaining("twikit.api.url")
        .hasMessageContaining("--twikit-api-url");
    assertThatThrownBy(
            () ->
                EnricherConfig.from(
                    new ConfigSources(Settings.CATALOG)
                        .flag("topic.erp", "bad topic!", "--set topic.erp")))
        .hasMessageContaining("topic.erp");
    assertThatThrownBy(
            () ->
                EnricherConfig.from(
                    new ConfigSources(Settings.CATALOG)
                        .environment(Map.of("METRICS_PORT", "70000"))))
        .hasMessageContaining("metrics.port")
        .hasMessageContaining("between 0 and 65535");
    assertThatThrownBy(
            () ->
                EnricherConfig.from(
                    new ConfigSources(Settings.CATALOG).flag("enrichment.mode", "turbo", "--mode")))
        .hasMessageContaining("enrichment.mode");
    assertThatThrownBy(
            () ->
                EnricherConfig.from(
                    new ConfigSources(Settings.CATALOG)
                        .flag("twikit.path.summary", "/configurations/summary", "--set")))
        .hasMessageContaining("twikit.path.summary")
        .hasMessageContaining("{id}");
  }

  @Test
  void missingExternalSettingsAreNamedWithTheirEnvironmentVariable() {
    EnricherConfig c =
        EnricherConfig.from(
            new ConfigSources(Settings.CATALOG)
                .environment(Map.of("KAFKA_BOOTSTRAP_SERVERS", "b:9092")));
    assertThatThrownBy(c::requireExternal)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url")
        .hasMessageContaining("SCHEMA_REGISTRY_URL");
  }

  @Test
  void secretFileWinsAndSecretsNeverShowInToString() throws IOException {
    Path secretFile = dir.resolve("secret");
    Files.writeString(secretFile, "s3cr3t-from-file\n");
    EnricherConfig c =
        EnricherConfig.from(
            new ConfigSources(Settings.CATALOG)
                .environment(
                    Map.of(
                        "TWIKIT_CLIENT_SECRET",
                        "s3cr3t-from-env",
                        "TWIKIT_CLIENT_SECRET_FILE",
                        secretFile.toString(),
                        "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO",
                        "user:pa55word")));
    assertThat(c.twikit().clientSecret().revealAsString()).isEqualTo("s3cr3t-from-file");
    assertThat(c.toString()).doesNotContain("s3cr3t").doesNotContain("pa55word");
    assertThat(c.twikit().clientSecret().toString()).isEqualTo("****");
  }

  @Test
  void unreadableSecretFileIsAnErrorWithoutTheSecret() {
    assertThatThrownBy(
            () ->
                EnricherConfig.from(
                    new ConfigSources(Settings.CATALOG)
                        .environment(
                            Map.of(
                                "TWIKIT_CLIENT_SECRET_FILE", dir.resolve("missing").toString()))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("twikit.client.secret.file");
  }

  @Test
  void everySettingHasItsEnvironmentVariableDerivedFromItsKey() {
    assertThat(TwikitSettings.CLIENT_SECRET_FILE.env()).isEqualTo("TWIKIT_CLIENT_SECRET_FILE");
    assertThat(KafkaSettings.BOOTSTRAP_SERVERS.env()).isEqualTo("KAFKA_BOOTSTRAP_SERVERS");
    assertThat(Settings.ALL).extracting(Setting::key).doesNotHaveDuplicates();
  }

  @Test
  void maxResponseBytesComesFromItsEnvironmentVariableAndIsBounded() {
    EnricherConfig c =
        EnricherConfig.from(
            new ConfigSources(Settings.CATALOG)
                .environment(Map.of("TWIKIT_MAX_RESPONSE_BYTES", "65536")));
    assertThat(c.twikit().maxResponseBytes()).isEqualTo(65_536);
    assertThatThrownBy(
            () ->
                EnricherConfig.from(
                    new ConfigSources(Settings.CATALOG)
                        .environment(Map.of("TWIKIT_MAX_RESPONSE_BYTES", "10"))))
        .hasMessageContaining("twikit.max.response.bytes");
  }

  @Test
  void enumsAndPathsAreTheClientsOwnTypes() {
    EnricherConfig c =
        EnricherConfig.from(
            new ConfigSources(Settings.CATALOG)
                .environment(
                    Map.of(
                        "TWIKIT_AUTH_METHOD", "CLIENT_SECRET_BASIC",
                        "TWIKIT_HTTP_VERSION", "http_2",
                        "ENRICHMENT_MODE", "SYNC",
                        "TWIKIT_PATH_SUMMARY", "/v2/configurations/{id}/summary")));
    assertThat(c.twikit().authMethod()).isEqualTo(ClientAuthMethod.CLIENT_SECRET_BASIC);
    assertThat(c.twikit().httpProtocol()).isEqualTo(HttpProtocol.HTTP_2);
    assertThat(c.enrichment().mode()).isEqualTo(EnrichmentMode.SYNC);
    assertThat(c.twikit().paths().summary()).isEqualTo("/v2/configurations/{id}/summary");
    assertThat(c.twikit().paths().filtered()).isEqualTo(TwikitPaths.DEFAULT.filtered());
    assertThatThrownBy(
            () ->
                EnricherConfig.from(
                    new ConfigSources(Settings.CATALOG)
                        .environment(Map.of("TWIKIT_AUTH_METHOD", "private_key_jwt"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("twikit.auth.method")
        .hasMessageContaining("environment TWIKIT_AUTH_METHOD")
        .hasMessageContaining("client_secret_basic, client_secret_post");
    assertThatThrownBy(
            () ->
                EnricherConfig.from(
                    new ConfigSources(Settings.CATALOG)
                        .flag("twikit.path.status", "/status/{id}", "--set")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("twikit.path.status")
        .hasMessageContaining("must not contain {id}");
  }

  @Test
  void secretsAreRefusedOnTheCommandLineNamingWhatToUseInstead() {
    assertThatThrownBy(
            () ->
                new ConfigSources(Settings.CATALOG)
                    .flag("twikit.client.secret", "s3cr3t", "--set twikit.client.secret"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TWIKIT_CLIENT_SECRET_FILE")
        .hasMessageNotContaining("s3cr3t");
    assertThatThrownBy(
            () ->
                new ConfigSources(Settings.CATALOG)
                    .flag(
                        "schema.registry.basic.auth.user.info",
                        "user:pa55",
                        "--set schema.registry.basic.auth.user.info"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO")
        .hasMessageNotContaining("pa55");
    assertThatThrownBy(
            () ->
                new ConfigSources(Settings.CATALOG)
                    .flag(
                        "kafka.sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required"
                            + " password=\"pa55\";",
                        "--set kafka.sasl.jaas.config"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("KAFKA_SASL_JAAS_CONFIG")
        .hasMessageNotContaining("pa55");
    assertThatThrownBy(
            () ->
                new ConfigSources(Settings.CATALOG)
                    .flag(
                        "kafka.ssl.keystore.password", "pa55", "--set kafka.ssl.keystore.password"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("KAFKA_SSL_KEYSTORE_PASSWORD");
    // the same settings are accepted from the environment
    EnricherConfig c =
        EnricherConfig.from(
            new ConfigSources(Settings.CATALOG)
                .environment(
                    Map.of(
                        "TWIKIT_CLIENT_SECRET", "s3cr3t",
                        "KAFKA_SASL_JAAS_CONFIG", "jaas pa55")));
    assertThat(c.twikit().clientSecret().revealAsString()).isEqualTo("s3cr3t");
    assertThat(c.kafka().overrides()).containsEntry("sasl.jaas.config", "jaas pa55");
    assertThat(c.toString()).doesNotContain("s3cr3t").doesNotContain("pa55");
  }

  @Test
  void metricsBindAddressIsValidated() {
    EnricherConfig c =
        EnricherConfig.from(
            new ConfigSources(Settings.CATALOG)
                .environment(Map.of("METRICS_PORT", "9464", "METRICS_BIND_ADDRESS", "127.0.0.1")));
    assertThat(c.metrics().enabled()).isTrue();
    assertThat(c.metrics().bindAddress()).isEqualTo("127.0.0.1");
    assertThatThrownBy(
            () ->
                EnricherConfig.from(
                    new ConfigSources(Settings.CATALOG)
                        .environment(Map.of("METRICS_BIND_ADDRESS", "every where"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("metrics.bind.address");
  }

  @Test
  void theEnricherCatalogKeepsItsMessagesWordForWord() {
    assertThatThrownBy(() -> new ConfigSources(Settings.CATALOG).flag("topic.erpp", "x", "--set"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "unknown setting 'topic.erpp' (flag --set); known settings are listed by --help and in"
                + " the README, Kafka client settings take the prefix 'kafka.'");
    assertThatThrownBy(
            () ->
                new ConfigSources(Settings.CATALOG)
                    .flag("twikit.client.secret", "s3cr3t", "--set twikit.client.secret"))
        .hasMessage(
            "setting twikit.client.secret (flag --set twikit.client.secret) is a secret and is"
                + " refused on the command line, which other users of the machine can read: put it"
                + " in a file and set TWIKIT_CLIENT_SECRET_FILE (or --twikit-client-secret-file), or"
                + " set the environment variable TWIKIT_CLIENT_SECRET");
    assertThatThrownBy(
            () ->
                new ConfigSources(Settings.CATALOG)
                    .flag(
                        "kafka.sasl.oauthbearer.client.credentials.client.secret",
                        "s3cr3t",
                        "--set"))
        .hasMessageEndingWith(
            "set the environment variable KAFKA_SASL_OAUTHBEARER_CLIENT_CREDENTIALS_CLIENT_SECRET"
                + " or the key in the --config file");
    assertThat(Settings.byKey().keySet())
        .containsExactlyElementsOf(Settings.ALL.stream().map(Setting::key).toList());
  }
}
