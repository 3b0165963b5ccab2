package dev.twikitorders.delivery.app;

import dev.twikitorders.delivery.config.DeliveryConfig;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.SchemaRegistryClients;
import dev.twikitorders.registry.serde.AvroSerde;
import dev.twikitorders.registry.serde.AvroSerdes;
import dev.twikitorders.registry.serde.GenericAvroDeserializer;
import dev.twikitorders.schemas.DeadLetter;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The client configurations of the delivery service, built from its settings: what the settings
 * leave open (the {@code kafka.*} pass-through) comes first, what delivery guarantees depend on (no
 * auto-commit, read_committed, acks=all) is set last and cannot be overridden.
 */
public final class Wiring {
  private Wiring() {}

  /** The schema registry client and serde settings: URL(s), HTTP Basic credentials, TLS. */
  public static Map<String, Object> registryConfig(DeliveryConfig config) {
    return config.registry().clientConfig();
  }

  /** Reads the delivered records' values in their writer's schema (through {@code registry}). */
  public static DeliveryLoop.ValueDecoder valueDecoder(
      DeliveryConfig config, SchemaRegistryClient registry) {
    GenericAvroDeserializer values = new GenericAvroDeserializer(registry);
    values.configure(registryConfig(config), false);
    return values::deserialize;
  }

  /** The {@link DeadLetter} serde of the delivery dead-letter topic (through {@code registry}). */
  public static AvroSerde<DeadLetter> deadLetterSerde(
      DeliveryConfig config, SchemaRegistryClient registry) {
    return AvroSerdes.specific(DeadLetter.class, registry, registryConfig(config), false);
  }

  /** Writes delivery dead letters to the configured topic with {@code producer}. */
  public static DeadLetterWriter deadLetterWriter(
      DeliveryConfig config,
      SchemaRegistryClient registry,
      org.apache.kafka.clients.producer.Producer<byte[], byte[]> producer,
      java.time.Clock clock) {
    return new DeadLetterWriter(
        producer,
        deadLetterSerde(config, registry).serializer(),
        config.delivery().deadLetterTopic(),
        clock);
  }

  public static SchemaRegistryClient registryClient(DeliveryConfig config) {
    return SchemaRegistryClients.create(registryConfig(config));
  }

  /**
   * The group consumer of the delivered topic: {@code kafka.*} and {@code kafka.consumer.*}, then
   * the group id, manual commits, read_committed and raw bytes. {@code auto.offset.reset} defaults
   * to earliest (a new group delivers the whole topic) and cooperative rebalancing to keep the
   * partitions that stay during a rebalance delivering.
   */
  public static Map<String, Object> consumerConfig(DeliveryConfig config) {
    Map<String, Object> m = new HashMap<>();
    m.putAll(config.kafka().common());
    m.putAll(config.kafka().prefixed("consumer."));
    m.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    m.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, config.delivery().groupId());
    // the KIP-848 protocol (group.protocol=consumer) assigns on the broker and refuses an assignor
    if (!"consumer".equalsIgnoreCase(String.valueOf(m.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG)))) {
      m.putIfAbsent(
          ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
          CooperativeStickyAssignor.class.getName());
    }
    m.put(ConsumerConfig.GROUP_ID_CONFIG, config.delivery().groupId());
    m.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    m.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    m.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    m.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return m;
  }

  /**
   * The dead-letter producer: {@code kafka.*} and {@code kafka.producer.*}, then idempotent,
   * acks=all.
   */
  public static Map<String, Object> producerConfig(DeliveryConfig config) {
    Map<String, Object> m = new HashMap<>();
    m.putAll(config.kafka().common());
    m.putAll(config.kafka().prefixed("producer."));
    m.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, config.delivery().groupId() + "-dead-letters");
    m.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
    m.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    m.put(ProducerConfig.ACKS_CONFIG, "all");
    m.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    m.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return m;
  }
}
