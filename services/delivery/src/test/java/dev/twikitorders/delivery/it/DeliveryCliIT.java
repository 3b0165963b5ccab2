package dev.twikitorders.delivery.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.delivery.it.DeliveryProcess.Finished;
import dev.twikitorders.localstack.EmbeddedKafka;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged {@code delivery.jar}'s command line and its start-up refusals, as child processes:
 * {@code --help} lists the commands, {@code settings} the settings; {@code deliver} exits 2 naming
 * the setting when Kafka is not configured, when the endpoint is plain HTTP to a host other than
 * loopback, and when the topic does not exist (against an embedded broker).
 *
 * <p>Child output goes to {@code target/it-logs/}; every child is killed in {@link #stopAll()}.
 */
class DeliveryCliIT {
  private static EmbeddedKafka kafka;

  @AfterAll
  static void stopAll() {
    DeliveryProcess.killAll();
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void helpListsTheCommands() {
    Finished f = DeliveryProcess.run("cli-help", Map.of(), "--help");
    assertThat(f.exitCode()).as(f.all()).isZero();
    assertThat(f.out()).contains("deliver", "settings", "dlq");

    Finished dlq = DeliveryProcess.run("cli-dlq-help", Map.of(), "dlq", "--help");
    assertThat(dlq.exitCode()).as(dlq.all()).isZero();
    assertThat(dlq.out()).contains("list", "redrive");
  }

  @Test
  void settingsListsEverySettingWithItsVariable() {
    Finished f = DeliveryProcess.run("cli-settings", Map.of(), "settings");
    assertThat(f.exitCode()).as(f.all()).isZero();
    assertThat(f.out())
        .contains("delivery.url", "DELIVERY_URL")
        .contains("delivery.ssl.keystore.key.location", "DELIVERY_SSL_KEYSTORE_KEY_LOCATION")
        .contains("kafka.bootstrap.servers", "KAFKA_BOOTSTRAP_SERVERS");
  }

  @Test
  void deliverWithoutKafkaExits2NamingTheSetting() {
    Finished f =
        DeliveryProcess.run(
            "cli-no-kafka",
            Map.of(
                "SCHEMA_REGISTRY_URL", "http://127.0.0.1:1",
                "DELIVERY_URL", "http://127.0.0.1:1/sink"),
            "deliver");
    assertThat(f.exitCode()).as(f.all()).isEqualTo(2);
    assertThat(f.err()).contains("KAFKA_BOOTSTRAP_SERVERS");
  }

  @Test
  void plainHttpToAnotherHostExits2NamingTheOptIn() {
    Finished f =
        DeliveryProcess.run(
            "cli-insecure",
            Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1",
                "SCHEMA_REGISTRY_URL", "http://127.0.0.1:1",
                "DELIVERY_URL", "http://erp.example.com/orders"),
            "deliver");
    assertThat(f.exitCode()).as(f.all()).isEqualTo(2);
    assertThat(f.err()).contains("DELIVERY_ALLOW_INSECURE_HTTP");
  }

  private static synchronized EmbeddedKafka kafka() {
    if (kafka == null) {
      kafka = EmbeddedKafka.start();
    }
    return kafka;
  }

  @Test
  void aMissingRefreshTokenStoreExits2NamingTheSetting() {
    kafka().createTopics(1, "cli-refresh-topic");
    Finished f =
        DeliveryProcess.run(
            "cli-missing-store",
            Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka().bootstrapServers(),
                "SCHEMA_REGISTRY_URL", "http://127.0.0.1:1",
                "DELIVERY_URL", "http://127.0.0.1:1/sink",
                "DELIVERY_TOPIC", "cli-refresh-topic",
                "DELIVERY_AUTH_SCHEME", "refresh_token",
                "DELIVERY_TOKEN_URL", "http://127.0.0.1:1/oauth2/token",
                "DELIVERY_CLIENT_ID", "cli-client",
                "DELIVERY_REFRESH_TOKEN_FILE", "/nonexistent/delivery-tokens.json"),
            "deliver");
    assertThat(f.exitCode()).as(f.all()).isEqualTo(2);
    assertThat(f.err()).contains("delivery-tokens.json");
  }

  @Test
  void aMissingTopicExits2NamingTheSetting() {
    kafka();
    Finished f =
        DeliveryProcess.run(
            "cli-missing-topic",
            Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", "http://127.0.0.1:1",
                "DELIVERY_URL", "http://127.0.0.1:1/sink",
                "DELIVERY_TOPIC", "no-such-topic"),
            "deliver");
    assertThat(f.exitCode()).as(f.all()).isEqualTo(2);
    assertThat(f.err()).contains("delivery.topic").contains("no-such-topic");
  }
}
