package dev.twikitorders.delivery.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.auth.AuthSettings;
import dev.twikitorders.capacity.ConcurrencySettings;
import dev.twikitorders.settings.ConfigException;
import dev.twikitorders.settings.ConfigSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The delivery service's settings: defaults, validation naming the setting, no secret shown. */
class DeliveryConfigTest {
  private static DeliveryConfig config(Map<String, String> env) {
    return DeliveryConfig.from(new ConfigSources(DeliveryConfig.CATALOG).environment(env));
  }

  private static Map<String, String> minimal() {
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
    env.put("SCHEMA_REGISTRY_URL", "http://localhost:8081");
    env.put("DELIVERY_URL", "https://erp.example/api/configurations");
    return env;
  }

  @Test
  void defaultsDeliverTheErpTopicOneRecordPerRequestForever() {
    DeliveryConfig c = config(minimal()).requireKafka();

    DeliverySettings d = c.delivery();
    assertThat(d.topic()).isEqualTo("erp.configuration-summaries");
    assertThat(d.deadLetterTopic()).isEqualTo("erp.configuration-summaries.delivery-dlq");
    assertThat(d.groupId()).isEqualTo("twikit-order-delivery");
    assertThat(d.createDeadLetterTopic()).isTrue();
    assertThat(d.policy().maxBatchRecords()).isEqualTo(1);
    assertThat(d.policy().deadlineIfAny()).isEmpty();
    assertThat(d.maxPendingRecords()).isEqualTo(1000);
    assertThat(c.requireEndpoint()).isInstanceOf(AuthSettings.None.class);
    assertThat(c.metrics().enabled()).isFalse();
  }

  @Test
  void theDeadLetterTopicFollowsTheTopicAndBatchingAndDeadlineAreRead() {
    Map<String, String> env = minimal();
    env.put("DELIVERY_TOPIC", "fulfillment.configurations");
    env.put("DELIVERY_BATCH_MAX_RECORDS", "50");
    env.put("DELIVERY_LINGER_MS", "20");
    env.put("DELIVERY_RETRY_DEADLINE_MS", "60000");

    DeliverySettings d = config(env).delivery();

    assertThat(d.deadLetterTopic()).isEqualTo("fulfillment.configurations.delivery-dlq");
    assertThat(d.policy().maxBatchRecords()).isEqualTo(50);
    assertThat(d.policy().linger()).isEqualTo(Duration.ofMillis(20));
    assertThat(d.policy().deadlineIfAny()).contains(Duration.ofMinutes(1));
  }

  @Test
  void badValuesAreRefusedNamingTheSetting() {
    Map<String, String> env = minimal();
    env.put("DELIVERY_BATCH_MAX_RECORDS", "0");
    assertThatThrownBy(() -> config(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("delivery.batch.max.records");

    Map<String, String> sameTopic = minimal();
    sameTopic.put("DELIVERY_DEAD_LETTER_TOPIC", "erp.configuration-summaries");
    assertThatThrownBy(() -> config(sameTopic))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("delivery.dead.letter.topic");

    Map<String, String> backoff = minimal();
    backoff.put("DELIVERY_RETRY_BACKOFF_MS", "5000");
    backoff.put("DELIVERY_RETRY_BACKOFF_MAX_MS", "1000");
    assertThatThrownBy(() -> config(backoff))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("delivery.retry.backoff.max.ms");
  }

  @Test
  void concurrencyDefaultsToAnAdaptiveLimitOf1To64And16RequestsPerPartitionWithoutARateCap() {
    DeliverySettings d = config(minimal()).delivery();

    assertThat(d.policy().maxInFlightRequests()).isEqualTo(16);
    assertThat(d.concurrency().mode()).isEqualTo(ConcurrencySettings.Mode.ADAPTIVE);
    assertThat(d.concurrency().floor()).isEqualTo(1);
    assertThat(d.concurrency().ceiling()).isEqualTo(64);
    assertThat(d.maxRequestsPerSecond()).isZero();
  }

  @Test
  void concurrencySettingsAreReadAndTheFloorIsClampedToTheCeiling() {
    Map<String, String> env = minimal();
    env.put("DELIVERY_MAX_IN_FLIGHT_PER_PARTITION", "1");
    env.put("DELIVERY_MAX_IN_FLIGHT", "8");
    env.put("DELIVERY_MIN_IN_FLIGHT", "20");
    env.put("DELIVERY_MAX_REQUESTS_PER_SECOND", "12.5");

    DeliverySettings d = config(env).delivery();

    assertThat(d.policy().maxInFlightRequests()).isEqualTo(1);
    assertThat(d.concurrency().floor()).isEqualTo(8);
    assertThat(d.concurrency().ceiling()).isEqualTo(8);
    assertThat(d.maxRequestsPerSecond()).isEqualTo(12.5);

    env.put("DELIVERY_CONCURRENCY", "FIXED");
    ConcurrencySettings fixed = config(env).delivery().concurrency();
    assertThat(fixed.mode()).isEqualTo(ConcurrencySettings.Mode.FIXED);
    assertThat(fixed.ceiling()).isEqualTo(8);
  }

  @Test
  void badConcurrencySettingsAreRefusedNamingTheSetting() {
    Map<String, String> mode = minimal();
    mode.put("DELIVERY_CONCURRENCY", "sometimes");
    assertThatThrownBy(() -> config(mode))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("delivery.concurrency")
        .hasMessageContaining("adaptive, fixed");

    for (String[] bad :
        new String[][] {
          {"DELIVERY_MAX_IN_FLIGHT_PER_PARTITION", "0", "delivery.max.in.flight.per.partition"},
          {"DELIVERY_MAX_IN_FLIGHT", "0", "delivery.max.in.flight"},
          {"DELIVERY_MIN_IN_FLIGHT", "none", "delivery.min.in.flight"},
          {"DELIVERY_MAX_REQUESTS_PER_SECOND", "-1", "delivery.max.requests.per.second"}
        }) {
      Map<String, String> env = minimal();
      env.put(bad[0], bad[1]);
      assertThatThrownBy(() -> config(env))
          .as(bad[0])
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(bad[2]);
    }
  }

  @Test
  void plainHttpIsForLoopbackUnlessAllowed() {
    Map<String, String> env = minimal();
    env.put("DELIVERY_URL", "http://erp.example/api");
    assertThatThrownBy(() -> config(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("delivery.url")
        .hasMessageContaining("DELIVERY_ALLOW_INSECURE_HTTP");

    env.put("DELIVERY_ALLOW_INSECURE_HTTP", "true");
    assertThat(config(env).delivery().url().getHost()).isEqualTo("erp.example");
    env.put("DELIVERY_URL", "http://127.0.0.1:8080/sink");
    env.remove("DELIVERY_ALLOW_INSECURE_HTTP");
    assertThat(config(env).delivery().url().getPort()).isEqualTo(8080);
  }

  @Test
  void missingEndpointAndSchemeSettingsAreNamed() {
    Map<String, String> env = minimal();
    env.remove("DELIVERY_URL");
    assertThatThrownBy(() -> config(env).requireEndpoint())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("DELIVERY_URL");

    Map<String, String> apiKey = minimal();
    apiKey.put("DELIVERY_AUTH_SCHEME", "api_key");
    assertThatThrownBy(() -> config(apiKey).requireEndpoint())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("DELIVERY_API_KEY_FILE");
  }

  @Test
  void secretsNeverShowAndAreRefusedOnTheCommandLine(@TempDir Path dir) throws Exception {
    Path keyFile = Files.writeString(dir.resolve("key"), "key-value-3f9a1c\n");
    Map<String, String> env = minimal();
    env.put("DELIVERY_AUTH_SCHEME", "api_key");
    env.put("DELIVERY_API_KEY_FILE", keyFile.toString());
    env.put("DELIVERY_CLIENT_SECRET", "client-secret-77b2");
    env.put("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "user:registry-pass-0c4e");
    env.put("KAFKA_SASL_JAAS_CONFIG", "x password=\"kafka-pass-91d0\";");

    DeliveryConfig c = config(env);

    assertThat(c.requireEndpoint()).isInstanceOf(AuthSettings.ApiKey.class);
    assertThat(c.toString() + c.requireEndpoint())
        .doesNotContain("key-value-3f9a1c")
        .doesNotContain("client-secret-77b2")
        .doesNotContain("registry-pass-0c4e")
        .doesNotContain("kafka-pass-91d0");
    assertThatThrownBy(
            () ->
                new ConfigSources(DeliveryConfig.CATALOG)
                    .flag("delivery.api.key", "on-the-command-line", "--set delivery.api.key"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("DELIVERY_API_KEY_FILE")
        .hasMessageNotContaining("on-the-command-line");
  }
}
