package dev.twikitorders.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.settings.ConfigException;
import dev.twikitorders.settings.ConfigSources;
import dev.twikitorders.settings.Setting;
import dev.twikitorders.settings.SettingValues;
import dev.twikitorders.settings.SettingsCatalog;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The Kafka connection of any application: bootstrap servers, pass-through, client configs. */
class KafkaConnectionTest {
  /** An application's own {@code kafka.*} setting, which must not be passed through. */
  static final Setting OWN =
      new Setting("kafka.group.instance.id", null, false, "Handled by the application.");

  static final SettingsCatalog CATALOG =
      SettingsCatalog.of(List.of(KafkaConnection.BOOTSTRAP_SERVERS, OWN))
          .withPassThrough(KafkaConnection.PASS_THROUGH);

  private static SettingValues values(Map<String, String> env) {
    return new ConfigSources(CATALOG).environment(env).settingValues();
  }

  private static KafkaConnection read(Map<String, String> env) {
    return KafkaConnection.read(values(env), OWN);
  }

  @Test
  void bootstrapServersAndPassThroughWithoutTheApplicationsOwnSettingsOrKafkasScripts() {
    KafkaConnection c =
        read(
            Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "b1:9092,b2:9092",
                "KAFKA_SECURITY_PROTOCOL", "SSL",
                "KAFKA_GROUP_INSTANCE_ID", "pod-1",
                "KAFKA_HEAP_OPTS", "-Xmx1g",
                "KAFKA_PRODUCER_LINGER_MS", "20"));
    assertThat(KafkaConnection.BOOTSTRAP_SERVERS.key()).isEqualTo("kafka.bootstrap.servers");
    assertThat(KafkaConnection.BOOTSTRAP_SERVERS.env()).isEqualTo("KAFKA_BOOTSTRAP_SERVERS");
    assertThat(c.bootstrapServers()).isEqualTo("b1:9092,b2:9092");
    assertThat(c.overrides())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("security.protocol", "SSL", "producer.linger.ms", "20"));
    assertThat(c.require()).isSameAs(c);
  }

  @Test
  void missingBootstrapServersAreNamedWithTheirVariable() {
    KafkaConnection c = read(Map.of());
    assertThat(c.bootstrapServers()).isNull();
    assertThatThrownBy(c::require)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.bootstrap.servers")
        .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS");
  }

  @Test
  void credentialsArePassedThroughButNeverShownAndRefusedOnTheCommandLine() {
    KafkaConnection c =
        read(
            Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "b:9092",
                "KAFKA_SASL_JAAS_CONFIG", "jaas pa55-word-1",
                "KAFKA_SSL_KEY_PASSWORD", "key-pa55-2"));
    assertThat(c.overrides()).containsEntry("sasl.jaas.config", "jaas pa55-word-1");
    assertThat(c.toString())
        .contains("b:9092", "sasl.jaas.config", "ssl.key.password")
        .doesNotContain("pa55");
    assertThat(KafkaConnection.isSecret("sasl.jaas.config")).isTrue();
    assertThat(KafkaConnection.isSecret("producer.ssl.keystore.password")).isTrue();
    assertThat(KafkaConnection.isSecret("sasl.oauthbearer.client.credentials.client.secret"))
        .isTrue();
    assertThat(KafkaConnection.isSecret("security.protocol")).isFalse();
    assertThatThrownBy(
            () -> new ConfigSources(CATALOG).flag("kafka.sasl.jaas.config", "jaas-x9", "--set"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.sasl.jaas.config")
        .hasMessageNotContaining("jaas-x9");
  }

  @Test
  void effectiveTakesTheMostSpecificOverrideElseTheFallback() {
    KafkaConnection c =
        new KafkaConnection(
            "b:9092", Map.of("max.request.size", "2000", "producer.max.request.size", "3000"));
    assertThat(c.effective(1000, "producer.max.request.size", "max.request.size")).isEqualTo(3000);
    assertThat(c.effective(1000, "max.request.size")).isEqualTo(2000);
    assertThat(c.effective(1000, "consumer.max.poll.records")).isEqualTo(1000);
    assertThatThrownBy(
            () ->
                new KafkaConnection("b", Map.of("commit.interval.ms", "soon"))
                    .effective(1, "commit.interval.ms"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.commit.interval.ms")
        .hasMessageContaining("soon");
  }

  private static final Map<String, String> OVERRIDES =
      Map.of(
          "security.protocol", "SSL",
          "producer.linger.ms", "50",
          "producer.batch.size", "1000",
          "consumer.fetch.min.bytes", "10",
          "consumer.group.id", "someone-elses-group",
          "main.consumer.max.poll.records", "7",
          "admin.retries", "3",
          "admin.request.timeout.ms", "99");

  @Test
  void commonLeavesOutClientPrefixedKeysAndPrefixedStripsThePrefix() {
    KafkaConnection c = new KafkaConnection("b:9092", OVERRIDES);
    assertThat(c.common())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("bootstrap.servers", "b:9092", "security.protocol", "SSL"));
    assertThat(c.prefixed("producer."))
        .containsExactlyInAnyOrderEntriesOf(Map.of("linger.ms", "50", "batch.size", "1000"));
    assertThat(c.prefixed("main.consumer.")).containsExactly(Map.entry("max.poll.records", "7"));
  }

  @Test
  void adminTakesItsOverridesThenItsTimeouts() {
    Map<String, Object> admin = new KafkaConnection("b:9092", OVERRIDES).admin();
    assertThat(admin)
        .containsEntry("bootstrap.servers", "b:9092")
        .containsEntry("security.protocol", "SSL")
        .containsEntry("retries", "3")
        .containsEntry(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000)
        .containsEntry(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000)
        .doesNotContainKeys("linger.ms", "fetch.min.bytes", "admin.retries");
  }

  @Test
  void theGroupLessConsumerNeverJoinsAGroupNorCommits() {
    Map<String, Object> consumer =
        new KafkaConnection("b:9092", OVERRIDES).groupLessConsumer("replay-1", 250);
    assertThat(consumer)
        .containsEntry("bootstrap.servers", "b:9092")
        .containsEntry("security.protocol", "SSL")
        .containsEntry("fetch.min.bytes", "10")
        .containsEntry(ConsumerConfig.CLIENT_ID_CONFIG, "replay-1")
        .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
        .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
        .containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none")
        .containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 250)
        .containsEntry(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class)
        .containsEntry(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class)
        .doesNotContainKeys(
            ConsumerConfig.GROUP_ID_CONFIG, ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "linger.ms");
  }

  @Test
  void theTransactionalProducerIsIdempotentWithItsOverrides() {
    Map<String, Object> producer =
        new KafkaConnection("b:9092", OVERRIDES).transactionalProducer("redrive-1");
    assertThat(producer)
        .containsEntry("bootstrap.servers", "b:9092")
        .containsEntry("batch.size", "1000")
        .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "redrive-1")
        .containsEntry(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "redrive-1")
        .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
        .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
        .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")
        .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 5)
        .containsEntry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class)
        .containsEntry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class)
        .doesNotContainKeys("fetch.min.bytes", "retries");
  }
}
