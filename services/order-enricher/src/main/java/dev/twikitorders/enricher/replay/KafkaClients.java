package dev.twikitorders.enricher.replay;

import dev.twikitorders.connections.KafkaConnection;
import dev.twikitorders.enricher.config.EnricherConfig;
import java.util.Map;

/**
 * Client settings of the bounded replay and re-drive jobs: the configurations of the pipeline's
 * {@link KafkaConnection} ({@code kafka.*} pass-through settings plus what makes the jobs safe).
 * Consumers have no group id and never commit (they cannot touch the live application's group);
 * they read committed data only.
 */
final class KafkaClients {
  private KafkaClients() {}

  /** {@link KafkaConnection#admin()}. */
  static Map<String, Object> admin(EnricherConfig config) {
    return config.kafka().connection().admin();
  }

  /** A group-less, read_committed, never-committing consumer of raw bytes. */
  static Map<String, Object> consumer(EnricherConfig config, String clientId, int maxPollRecords) {
    return config.kafka().connection().groupLessConsumer(clientId, maxPollRecords);
  }

  /** A transactional producer of raw bytes. */
  static Map<String, Object> producer(EnricherConfig config, String transactionalId) {
    return config.kafka().connection().transactionalProducer(transactionalId);
  }
}
