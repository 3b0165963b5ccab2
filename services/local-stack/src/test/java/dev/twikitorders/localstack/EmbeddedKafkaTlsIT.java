package dev.twikitorders.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.twikitorders.testpki.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker with its SSL and SASL_SSL (SCRAM-SHA-512) listeners, certificates from {@link
 * TestPki}: real Kafka clients connect over each, and an untrusted server certificate or a wrong
 * password is refused. One broker for the class.
 */
class EmbeddedKafkaTlsIT {
  private static final String USER = "tls-it-user";
  private static final String PASSWORD = "scram-PASSWORD-tls-it";

  @TempDir static Path dir;

  private static TestPki pki;
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() {
    pki = TestPki.create(dir.resolve("pki"));
    kafka =
        EmbeddedKafka.builder()
            .tlsListeners(pki.serverKeyStore(), pki.password(), pki.trustStore(), pki.password())
            .start();
    kafka.createScramUser(USER, PASSWORD);
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void listensOnThreeDistinctLoopbackPortsAndShowsNoPassword() {
    List<String> addresses =
        List.of(
            kafka.bootstrapServers(), kafka.sslBootstrapServers(), kafka.saslSslBootstrapServers());

    assertThat(addresses).allMatch(a -> a.matches("localhost:\\d+")).doesNotHaveDuplicates();
    assertThat(kafka.toString())
        .contains(kafka.sslBootstrapServers(), kafka.saslSslBootstrapServers())
        .doesNotContain(pki.password());
  }

  @Test
  void producesOverSslAndConsumesOverSaslSsl() {
    String topic = "tls-roundtrip";
    kafka.createTopics(1, topic);

    Map<String, Object> producerConfig = kafka.sslClientConfig();
    producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
      IntStream.range(0, 5)
          .forEach(i -> producer.send(new ProducerRecord<>(topic, "k", "over-ssl-" + i)));
      producer.flush();
    }

    Map<String, Object> consumerConfig = kafka.saslSslClientConfig(USER, PASSWORD);
    consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "tls-it");
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                  values.add(r.value());
                }
                return values.size() >= 5;
              });
    }

    assertThat(values)
        .containsExactlyElementsOf(IntStream.range(0, 5).mapToObj(i -> "over-ssl-" + i).toList());
  }

  @Test
  void theSecuredListenersServeAdminRequestsOfTheSameCluster() throws Exception {
    String plainId;
    try (Admin admin = kafka.admin()) {
      plainId = admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
    }

    assertThat(clusterId(kafka.sslClientConfig())).isEqualTo(plainId);
    assertThat(clusterId(kafka.saslSslClientConfig(USER, PASSWORD))).isEqualTo(plainId);
  }

  @Test
  void aWrongScramPasswordIsRefusedWithoutShowingIt() {
    String wrong = "not-the-PASSWORD-" + System.nanoTime();

    assertThatThrownBy(() -> clusterId(kafka.saslSslClientConfig(USER, wrong)))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(SaslAuthenticationException.class)
        .hasMessageContaining("SCRAM-SHA-512")
        .hasMessageNotContaining(wrong);
  }

  @Test
  void aClientThatDoesNotTrustTheServerCertificateIsRefused() {
    Map<String, Object> config = kafka.sslClientConfig();
    config.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, pki.otherTrustStore().toString());

    assertThatThrownBy(() -> clusterId(config))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(SslAuthenticationException.class);
  }

  @Test
  void aPlaintextClientOnTheSslListenerGetsNoAnswer() {
    Map<String, Object> config = new HashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.sslBootstrapServers());
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);

    assertThatThrownBy(() -> clusterId(config)).isInstanceOf(ExecutionException.class);
  }

  @Test
  void aScramPasswordThatJaasCannotQuoteIsRejectedWithoutShowingIt() {
    String unquotable = "pass\"word-" + System.nanoTime();

    assertThatThrownBy(() -> kafka.createScramUser("other", unquotable))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining(unquotable);
  }

  @Test
  void aMissingStoreIsNamedBeforeAnythingStarts() {
    Path missing = dir.resolve("no-such-keystore.p12");

    assertThatThrownBy(
            () ->
                EmbeddedKafka.builder()
                    .tlsListeners(missing, pki.password(), pki.trustStore(), pki.password())
                    .start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageNotContaining(pki.password());
  }

  private static String clusterId(Map<String, Object> clientConfig) throws Exception {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
    config.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    try (Admin admin = Admin.create(config)) {
      return admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
    }
  }
}
