package dev.twikitorders.delivery.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.delivery.config.DeliveryConfig;
import dev.twikitorders.settings.ConfigSources;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/**
 * The Kafka client configurations: pass-through settings apply, the guarantees cannot be undone.
 */
class WiringTest {
  private static DeliveryConfig config(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.put("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
    env.put("DELIVERY_GROUP_ID", "erp-delivery");
    return DeliveryConfig.from(new ConfigSources(DeliveryConfig.CATALOG).environment(env));
  }

  @Test
  void theConsumerReadsCommittedWithoutAutoCommitWhateverThePassThroughSays() {
    Map<String, Object> c =
        Wiring.consumerConfig(
            config(
                Map.of(
                    "KAFKA_ENABLE_AUTO_COMMIT", "true",
                    "KAFKA_ISOLATION_LEVEL", "read_uncommitted",
                    "KAFKA_CONSUMER_MAX_POLL_RECORDS", "50",
                    "KAFKA_SECURITY_PROTOCOL", "SSL")));

    assertThat(c)
        .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "erp-delivery")
        .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
        .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
        .containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50")
        .containsEntry("security.protocol", "SSL")
        .containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
        .containsEntry(
            ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
            CooperativeStickyAssignor.class.getName());
  }

  @Test
  void theNewGroupProtocolGetsNoClientSideAssignorAndTheResetCanBeChanged() {
    Map<String, Object> c =
        Wiring.consumerConfig(
            config(
                Map.of("KAFKA_GROUP_PROTOCOL", "consumer", "KAFKA_AUTO_OFFSET_RESET", "latest")));

    assertThat(c).doesNotContainKey(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
    assertThat(c).containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
  }

  @Test
  void theDeadLetterProducerIsIdempotentWithAcksAll() {
    Map<String, Object> p =
        Wiring.producerConfig(config(Map.of("KAFKA_PRODUCER_ACKS", "1", "KAFKA_LINGER_MS", "50")));

    assertThat(p)
        .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
        .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
        .containsEntry(ProducerConfig.LINGER_MS_CONFIG, "50");
  }
}
