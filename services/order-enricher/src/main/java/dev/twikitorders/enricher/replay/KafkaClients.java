package dev.twikitorders.enricher.replay;

import dev.twikitorders.enricher.config.EnricherConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Client settings of the bounded replay and re-drive jobs: the {@code kafka.*} pass-through
 * settings (security and the like) plus what makes the jobs safe. Consumers have no group id and
 * never commit (they cannot touch the live application's group); they read committed data only.
 */
final class KafkaClients {
  private KafkaClients() {}

  /** The pass-through settings without Streams-only and client-prefixed keys. */
  static Map<String, Object> common(EnricherConfig config) {
    Map<String, Object> m = new HashMap<>();
    config
        .kafka()
        .overrides()
        .forEach(
            (k, v) -> {
              if (!isPrefixed(k)) {
                m.put(k, v);
              }
            });
    m.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
    return m;
  }

  private static boolean isPrefixed(String k) {
    return k.startsWith("producer.")
        || k.startsWith("consumer.")
        || k.startsWith("main.consumer.")
        || k.startsWith("restore.consumer.")
        || k.startsWith("global.consumer.")
        || k.startsWith("admin.");
  }

  private static void prefixed(EnricherConfig config, String prefix, Map<String, Object> into) {
    config
        .kafka()
        .overrides()
        .forEach(
            (k, v) -> {
              if (k.startsWith(prefix)) {
                into.put(k.substring(prefix.length()), v);
              }
            });
  }

  static Map<String, Object> admin(EnricherConfig config) {
    Map<String, Object> m = common(config);
    prefixed(config, "admin.", m);
    m.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    m.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    return m;
  }

  /** A group-less, read_committed, never-committing consumer of raw bytes. */
  static Map<String, Object> consumer(EnricherConfig config, String clientId, int maxPollRecords) {
    Map<String, Object> m = common(config);
    prefixed(config, "consumer.", m);
    m.remove(ConsumerConfig.GROUP_ID_CONFIG);
    m.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    m.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    m.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    m.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // positions are always set by seek(); a position that falls off the log is an error, not a jump
    m.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    m.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
    m.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    m.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return m;
  }

  /** A transactional producer of raw bytes. */
  static Map<String, Object> producer(EnricherConfig config, String transactionalId) {
    Map<String, Object> m = common(config);
    prefixed(config, "producer.", m);
    m.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
    m.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    m.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    m.put(ProducerConfig.ACKS_CONFIG, "all");
    m.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    m.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    m.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    m.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return m;
  }
}
