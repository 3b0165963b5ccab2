package dev.twikitorders.enricher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    EnricherConfig c = EnricherConfig.from(new ConfigSources());
    assertThat(c.orderEventsTopic()).isEqualTo("order-events");
    assertThat(c.erpTopic()).isEqualTo("erp.configuration-summaries");
    assertThat(c.fulfillmentTopic()).isEqualTo("fulfillment.configurations");
    assertThat(c.deadLetterTopic()).isEqualTo("order-events.dlq");
    assertThat(c.mode()).isEqualTo("async");
    assertThat(c.twikitMaxInFlight()).isEqualTo(256);
    assertThat(c.twikitRetryDeadline()).isEqualTo(Duration.ZERO);
    assertThat(c.embeddedKafka()).isTrue();
    assertThat(c.twikitPath(Settings.TWIKIT_PATH_SUMMARY))
        .isEqualTo("/configurations/{id}/summary");
    assertThat(c.metricsPort()).isZero();
  }

  @Test
  void precedenceIsDefaultsThenFileThenEnvironmentThenFlags() throws IOException {
    Path file = dir.resolve("app.properties");
    Files.writeString(
        file, "topic.erp=from-file\ntopic.fulfillment=from-file\ntopic.dead.letters=from-file\n");
    EnricherConfig c =
        EnricherConfig.from(
            new ConfigSources()
                .file(file)
                .environment(
                    Map.of("TOPIC_FULFILLMENT", "from-env", "TOPIC_DEAD_LETTERS", "from-env"))
                .flag("topic.dead.letters", "from-flag", "--set topic.dead.letters"));
    assertThat(c.erpTopic()).isEqualTo("from-file");
    assertThat(c.fulfillmentTopic()).isEqualTo("from-env");
    assertThat(c.deadLetterTopic()).isEqualTo("from-flag");
    assertThat(c.orderEventsTopic()).isEqualTo("order-events");
  }

  @Test
  void kafkaSettingsPassThroughFromEnvironmentAndFiles() throws IOException {
    Path file = dir.resolve("app.properties");
    Files.writeString(file, "kafka.sasl.mechanism=PLAIN\n");
    EnricherConfig c =
        EnricherConfig.from(
            new ConfigSources()
                .file(file)
                .environment(
                    Map.of(
                        "KAFKA_SECURITY_PROTOCOL",
                        "SASL_SSL",
                        "KAFKA_BOOTSTRAP_SERVERS",
                        "b:9092",
                        "KAFKA_HOME",
                        "/opt/kafka")));
    assertThat(c.bootstrapServers()).isEqualTo("b:9092");
    assertThat(c.kafkaOverrides())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "PLAIN")
        .doesNotContainKey("home")
        .doesNotContainKey("bootstrap.servers");
  }

  @Test
  void unknownKeyInFileIsAnErrorNamingKeyAndFile() throws IOException {
    Path file = dir.resolve("app.properties");
    Files.writeString(file, "twikit.api.ulr=http://x\n");
    assertThatThrownBy(() -> new ConfigSources().file(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("twikit.api.ulr")
        .hasMessageContaining(file.toString());
  }

  @Test
  void badValuesNameTheSettingAndWhereItCameFrom() {
    assertThatThrownBy(
            () ->
                EnricherConfig.from(
                    new ConfigSources().environment(Map.of("TWIKIT_MAX_IN_FLIGHT", "lots"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("twikit.max.in.flight")
        .hasMessageContaining("environment TWIKIT_MAX_IN_FLIGHT");
    assertThatThrownBy(
            () ->
                EnricherConfig.from(
                    new ConfigSources().flag("twikit.api.url", "ftp://x", "--twikit-api-url")))
        .hasMessageContaining("twikit.api.url")
        .hasMessageContaining("--twikit-api-url");
    assertThatThrownBy(
            () ->
                EnricherConfig.from(
                    new ConfigSources().flag("topic.erp", "bad topic!", "--set topic.erp")))
        .hasMessageContaining("topic.erp");
    assertThatThrownBy(
            () ->
                EnricherConfig.from(
                    new ConfigSources().environment(Map.of("METRICS_PORT", "70000"))))
        .hasMessageContaining("metrics.port")
        .hasMessageContaining("between 0 and 65535");
    assertThatThrownBy(
            () ->
                EnricherConfig.from(new ConfigSources().flag("enrichment.mode", "turbo", "--mode")))
        .hasMessageContaining("enrichment.mode");
    assertThatThrownBy(
            () ->
                EnricherConfig.from(
                    new ConfigSources()
                        .flag("twikit.path.summary", "/configurations/summary", "--set")))
        .hasMessageContaining("twikit.path.summary")
        .hasMessageContaining("{id}");
  }

  @Test
  void missingExternalSettingsAreNamedWithTheirEnvironmentVariable() {
    EnricherConfig c =
        EnricherConfig.from(
            new ConfigSources().environment(Map.of("KAFKA_BOOTSTRAP_SERVERS", "b:9092")));
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
            new ConfigSources()
                .environment(
                    Map.of(
                        "TWIKIT_CLIENT_SECRET",
                        "s3cr3t-from-env",
                        "TWIKIT_CLIENT_SECRET_FILE",
                        secretFile.toString(),
                        "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO",
                        "user:pa55word")));
    assertThat(c.twikitClientSecret().reveal()).isEqualTo("s3cr3t-from-file");
    assertThat(c.toString()).doesNotContain("s3cr3t").doesNotContain("pa55word");
    assertThat(c.twikitClientSecret().toString()).isEqualTo("****");
  }

  @Test
  void unreadableSecretFileIsAnErrorWithoutTheSecret() {
    assertThatThrownBy(
            () ->
                EnricherConfig.from(
                    new ConfigSources()
                        .environment(
                            Map.of(
                                "TWIKIT_CLIENT_SECRET_FILE", dir.resolve("missing").toString()))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("twikit.client.secret.file");
  }

  @Test
  void everySettingHasItsEnvironmentVariableDerivedFromItsKey() {
    assertThat(Settings.TWIKIT_CLIENT_SECRET_FILE.env()).isEqualTo("TWIKIT_CLIENT_SECRET_FILE");
    assertThat(Settings.BOOTSTRAP_SERVERS.env()).isEqualTo("KAFKA_BOOTSTRAP_SERVERS");
    assertThat(Settings.ALL).extracting(Setting::key).doesNotHaveDuplicates();
  }
}
