package dev.twikitorders.delivery.it;

import static org.awaitility.Awaitility.await;

import dev.twikitorders.delivery.Records;
import dev.twikitorders.localstack.LocalStack;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.SchemaRegistryClients;
import dev.twikitorders.registry.serde.AvroSerdes;
import dev.twikitorders.sandbox.SandboxConfig;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.sandbox.sink.SinkItem;
import dev.twikitorders.schemas.ConfigurationSummary;
import dev.twikitorders.schemas.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One test class's infrastructure for the delivery ITs: the LocalStack (embedded KRaft broker, the
 * real Apicurio registry as a child JVM) with the Twikit sandbox (whose sink is the delivery
 * endpoint) on loopback, and the Kafka side of the checks: producing {@code ConfigurationSummary}
 * records with their {@code idempotency-key} header, reading committed and end offsets and the
 * dead-letter topic.
 *
 * <p>Each test uses its own topic, group and sink ({@link #newRun(String)}). Thread-safe to close.
 */
final class DeliveryStack implements AutoCloseable {
  static final int PARTITIONS = 3;

  private final LocalStack stack;
  private final TwikitSandbox sandbox;
  private final SchemaRegistryClient registry;

  private DeliveryStack(LocalStack stack) {
    this.stack = stack;
    this.sandbox = stack.service(TwikitSandbox.class);
    this.registry = SchemaRegistryClients.create(stack.schemaRegistryUrl());
  }

  /** Starts the broker, the registry and a sandbox configured by {@code sandboxConfig}. */
  static DeliveryStack start(UnaryOperator<SandboxConfig.Builder> sandboxConfig) {
    LocalStack stack =
        LocalStack.builder()
            .service(
                TwikitSandbox.class,
                () ->
                    TwikitSandbox.start(
                        sandboxConfig.apply(SandboxConfig.builder().port(0)).build()))
            .start();
    return new DeliveryStack(stack);
  }

  TwikitSandbox sandbox() {
    return sandbox;
  }

  String bootstrapServers() {
    return stack.bootstrapServers();
  }

  String registryUrl() {
    return stack.schemaRegistryUrl();
  }

  /** The names of one test: topic (created, {@value #PARTITIONS} partitions), group and sink. */
  record Run(String name, String topic, String group, String sink) {
    String deadLetterTopic() {
      return topic + ".delivery-dlq";
    }
  }

  Run newRun(String name) {
    String id = name + "-" + UUID.randomUUID().toString().substring(0, 8);
    Run run = new Run(id, id + ".summaries", "delivery-" + id, id);
    stack.kafka().createTopics(PARTITIONS, run.topic());
    return run;
  }

  /**
   * The environment of a {@code deliver} of {@code run} to the sandbox's sink: Kafka, registry,
   * URL, topic, group, a 6 s session timeout (a killed member's partitions move on quickly) and
   * quick retries; {@code extra} last.
   */
  Map<String, String> environment(Run run, Map<String, String> extra) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers());
    env.put("SCHEMA_REGISTRY_URL", registryUrl());
    env.put("DELIVERY_URL", sandbox.sinkUrl(run.sink()).toString());
    env.put("DELIVERY_TOPIC", run.topic());
    env.put("DELIVERY_GROUP_ID", run.group());
    env.put("DELIVERY_RETRY_BACKOFF_MS", "20");
    env.put("DELIVERY_RETRY_BACKOFF_MAX_MS", "300");
    env.put("KAFKA_SESSION_TIMEOUT_MS", "6000");
    env.put("KAFKA_HEARTBEAT_INTERVAL_MS", "1000");
    env.putAll(extra);
    return env;
  }

  /** One produced record: its order, idempotency key and where it landed. */
  record Produced(String order, String key, int partition, long offset) {}

  /** The order of an idempotency key made by {@link #key(String, int)}. */
  static String orderOf(String key) {
    return key.substring("event-".length(), key.indexOf(':'));
  }

  /**
   * Writes {@code orders} orders of {@code lines} lines each (line by line, orders interleaved),
   * keyed by order id, with the {@code idempotency-key} header; returns them in production order
   * with their partitions and offsets.
   */
  List<Produced> produce(Run run, int orders, int lines) {
    Map<String, Object> registryConfig = Map.of("schema.registry.url", registryUrl());
    Serializer<ConfigurationSummary> serializer =
        AvroSerdes.specific(ConfigurationSummary.class, registry, registryConfig, false)
            .serializer();
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    // a topic created a moment ago may answer NOT_LEADER_OR_FOLLOWER first; an idempotent producer
    // can then get stuck on OUT_OF_ORDER_SEQUENCE_NUMBER: one request at a time keeps the order
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    List<String> orderOf = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      for (int l = 0; l < lines; l++) {
        for (int o = 0; o < orders; o++) {
          String order = "order-" + o;
          ProducerRecord<byte[], byte[]> r =
              new ProducerRecord<>(
                  run.topic(),
                  order.getBytes(StandardCharsets.UTF_8),
                  serializer.serialize(run.topic(), Records.summary(order, l)));
          r.headers()
              .add("idempotency-key", Records.key(order, l).getBytes(StandardCharsets.UTF_8));
          sent.add(producer.send(r));
          orderOf.add(order);
          keys.add(Records.key(order, l));
        }
      }
      producer.flush();
      List<Produced> out = new ArrayList<>();
      for (int i = 0; i < sent.size(); i++) {
        RecordMetadata m = sent.get(i).get();
        out.add(new Produced(orderOf.get(i), keys.get(i), m.partition(), m.offset()));
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot produce to " + run.topic(), e.getCause());
    }
  }

  /**
   * Writes one record with raw value bytes ({@code null}: a tombstone), keyed by {@code order},
   * with the {@code idempotency-key} header {@code key}; returns where it landed.
   */
  Produced produceRaw(Run run, String order, String key, byte[] value) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      ProducerRecord<byte[], byte[]> r =
          new ProducerRecord<>(run.topic(), order.getBytes(StandardCharsets.UTF_8), value);
      r.headers().add("idempotency-key", key.getBytes(StandardCharsets.UTF_8));
      RecordMetadata m = producer.send(r).get();
      return new Produced(order, key, m.partition(), m.offset());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot produce to " + run.topic(), e.getCause());
    }
  }

  /** The group's committed offsets of the run's topic (0 where none). */
  Map<TopicPartition, Long> committed(Run run) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, run.group());
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
      Map<TopicPartition, Long> out = new HashMap<>();
      Map<TopicPartition, OffsetAndMetadata> offsets =
          consumer.committed(partitions(run.topic()), Duration.ofSeconds(30));
      for (TopicPartition tp : partitions(run.topic())) {
        OffsetAndMetadata om = offsets.get(tp);
        out.put(tp, om == null ? 0L : om.offset());
      }
      return out;
    }
  }

  /** The end offsets of {@code topic}. */
  Map<TopicPartition, Long> endOffsets(String topic) {
    try (Admin admin = stack.kafka().admin()) {
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      partitions(topic).forEach(tp -> request.put(tp, OffsetSpec.latest()));
      Map<TopicPartition, Long> out = new HashMap<>();
      admin.listOffsets(request).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot list the offsets of " + topic, e.getCause());
    }
  }

  private static Set<TopicPartition> partitions(String topic) {
    Set<TopicPartition> all = new HashSet<>();
    IntStream.range(0, PARTITIONS).forEach(p -> all.add(new TopicPartition(topic, p)));
    return all;
  }

  /** Every dead letter of the run, read with read_committed up to the topic's end. */
  List<DeadLetter> deadLetters(Run run) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    Deserializer<DeadLetter> deserializer =
        AvroSerdes.specific(
                DeadLetter.class, registry, Map.of("schema.registry.url", registryUrl()), false)
            .deserializer();
    Map<TopicPartition, Long> end = endOffsets(run.deadLetterTopic());
    List<DeadLetter> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
      consumer.assign(end.keySet());
      consumer.seekToBeginning(end.keySet());
      await("the dead letters of " + run.name())
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                  out.add(deserializer.deserialize(r.topic(), r.value()));
                }
                return end.keySet().stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
              });
    }
    return out;
  }

  /** Reads a {@code ConfigurationSummary} value (registry wire format). */
  ConfigurationSummary readSummary(String topic, byte[] value) {
    return AvroSerdes.specific(
            ConfigurationSummary.class,
            registry,
            Map.of("schema.registry.url", registryUrl()),
            false)
        .deserializer()
        .deserialize(topic, value);
  }

  /** Per order, its keys in order of their first arrival at the sink. */
  static Map<String, List<String>> firstArrivalsByOrder(List<SinkItem> items) {
    Map<String, List<String>> byOrder = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (SinkItem item : items) {
      if (seen.add(item.idempotencyKey())) {
        byOrder
            .computeIfAbsent(orderOf(item.idempotencyKey()), k -> new ArrayList<>())
            .add(item.idempotencyKey());
      }
    }
    return byOrder;
  }

  /** Per order, its keys in topic order. */
  static Map<String, List<String>> keysByOrder(List<Produced> produced) {
    Map<String, List<String>> byOrder = new LinkedHashMap<>();
    for (Produced p : produced) {
      byOrder.computeIfAbsent(p.order(), k -> new ArrayList<>()).add(p.key());
    }
    return byOrder;
  }

  @Override
  public void close() {
    try {
      registry.close();
    } finally {
      stack.close();
    }
  }
}
