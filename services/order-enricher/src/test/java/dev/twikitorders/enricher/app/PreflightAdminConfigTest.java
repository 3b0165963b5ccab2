package dev.twikitorders.enricher.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.enricher.config.Settings;
import dev.twikitorders.settings.ConfigSources;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/** The start-up checks' admin client: the shared admin configuration with start-up timeouts. */
class PreflightAdminConfigTest {

  private static Map<String, Object> adminConfig(Map<String, String> env, Duration timeout) {
    EnricherConfig config =
        EnricherConfig.from(new ConfigSources(Settings.CATALOG).environment(env));
    return Preflight.adminConfig(config, timeout);
  }

  @Test
  void startUpTimeoutsAndBackoffsOverTheSharedAdminConfiguration() {
    Map<String, Object> m =
        adminConfig(
            Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "b:9092",
                "KAFKA_SECURITY_PROTOCOL", "SSL",
                "KAFKA_PRODUCER_LINGER_MS", "20",
                "KAFKA_REQUEST_TIMEOUT_MS", "60000"),
            Duration.ofSeconds(5));
    assertThat(m)
        .containsEntry(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "b:9092")
        .containsEntry("security.protocol", "SSL")
        .containsEntry(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000)
        .containsEntry(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000)
        .containsEntry(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 1_000)
        .containsEntry(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 5_000)
        .doesNotContainKeys("linger.ms", "producer.linger.ms");
  }

  @Test
  void adminOnlyOverridesWinAsInKafkaStreams() {
    Map<String, Object> m =
        adminConfig(
            Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "b:9092",
                "KAFKA_ADMIN_REQUEST_TIMEOUT_MS", "777",
                "KAFKA_RECONNECT_BACKOFF_MS", "50"),
            Duration.ofSeconds(30));
    assertThat(m)
        .containsEntry(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "777")
        .containsEntry(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000)
        .containsEntry(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "50")
        .doesNotContainKey("admin.request.timeout.ms");
  }
}
