package dev.twikitorders.delivery.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twikitorders.auth.AuthEvents;
import dev.twikitorders.auth.AuthSettings;
import dev.twikitorders.auth.Authenticator;
import dev.twikitorders.auth.Authenticators;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.http.JdkAuthHttp;
import dev.twikitorders.delivery.DeliveryPolicy;
import dev.twikitorders.delivery.HttpDelivery;
import dev.twikitorders.delivery.Records;
import dev.twikitorders.localstack.EmbeddedKafka;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.mock.MockSchemaRegistryClient;
import dev.twikitorders.registry.serde.AvroSerdes;
import dev.twikitorders.registry.serde.GenericAvroDeserializer;
import dev.twikitorders.sandbox.SandboxConfig;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.sandbox.sink.SinkItem;
import dev.twikitorders.schemas.ConfigurationSummary;
import dev.twikitorders.schemas.DeadLetter;
import dev.twikitorders.schemas.ErrorType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The consumer loop on a real broker with the sandbox's real sink: everything delivered in
 * per-order order and committed, a refused record dead-lettered with its status while the rest is
 * delivered, and a graceful stop mid-way followed by a restart that delivers the rest (duplicates
 * only with the same key).
 */
class DeliveryLoopIT {
  private static final String API_KEY = "loop-key-5d1e";
  private static final int PARTITIONS = 3;

  private static EmbeddedKafka kafka;
  private static TwikitSandbox sb;
  private static ScheduledExecutorService scheduler;
  private static JdkAuthHttp authHttp;
  private static SchemaRegistryClient registry;

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private String topic;
  private String sink;

  @BeforeAll
  static void start() {
    kafka = EmbeddedKafka.start();
    sb = TwikitSandbox.start(SandboxConfig.builder().port(0).apiKey(API_KEY).build());
    scheduler = Executors.newScheduledThreadPool(2);
    authHttp = new JdkAuthHttp(null, Duration.ofSeconds(2), Duration.ofSeconds(10), 1_000_000);
    registry = MockSchemaRegistryClient.forScope("delivery-loop-it");
  }

  @AfterAll
  static void stop() {
    MockSchemaRegistryClient.drop("delivery-loop-it");
    authHttp.close();
    scheduler.shutdownNow();
    sb.close();
    kafka.close();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private void names(TestInfo info) {
    String name = info.getTestMethod().orElseThrow().getName();
    topic = "summaries-" + name;
    sink = name;
    kafka.createTopics(PARTITIONS, topic, topic + ".delivery-dlq");
  }

  private static Map<String, Object> registryConfig() {
    return Map.of("schema.registry.url", "mock://delivery-loop-it");
  }

  /** Writes {@code orders} orders of {@code lines} lines each; returns the keys in order. */
  private List<String> produce(int orders, int lines) {
    Serializer<ConfigurationSummary> serializer =
        AvroSerdes.specific(ConfigurationSummary.class, registry, registryConfig(), false)
            .serializer();
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    // a topic created a moment ago may answer NOT_LEADER_OR_FOLLOWER first; an idempotent producer
    // can then get stuck on OUT_OF_ORDER_SEQUENCE_NUMBER: one request at a time keeps the order
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    List<String> keys = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      for (int l = 0; l < lines; l++) {
        for (int o = 0; o < orders; o++) {
          String order = "order-" + o;
          ProducerRecord<byte[], byte[]> r =
              new ProducerRecord<>(
                  topic,
                  order.getBytes(StandardCharsets.UTF_8),
                  serializer.serialize(topic, Records.summary(order, l)));
          r.headers()
              .add("idempotency-key", Records.key(order, l).getBytes(StandardCharsets.UTF_8));
          producer.send(r);
          keys.add(Records.key(order, l));
        }
      }
      producer.flush();
    }
    return keys;
  }

  private final class Running implements AutoCloseable {
    final DeliveryLoop loop;
    final Thread thread;
    final KafkaProducer<byte[], byte[]> dlqProducer;

    Running(DeliveryPolicy policy) {
      this(policy, 1000);
    }

    Running(DeliveryPolicy policy, int maxPending) {
      Map<String, Object> c = new HashMap<>();
      c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      c.put(ConsumerConfig.GROUP_ID_CONFIG, "delivery-" + topic);
      c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
      c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
      KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c);
      Map<String, Object> p = new HashMap<>();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      dlqProducer = new KafkaProducer<>(p);
      Authenticator auth =
          Authenticators.create(
              new AuthSettings.ApiKey(Secret.of(API_KEY)),
              authHttp,
              scheduler,
              AuthEvents.NOOP,
              Clock.systemUTC());
      toClose.add(auth);
      HttpDelivery http =
          new HttpDelivery(
              sb.sinkUrl(sink),
              auth,
              null,
              Duration.ofSeconds(2),
              Duration.ofSeconds(10),
              Clock.systemUTC());
      toClose.add(http);
      GenericAvroDeserializer values = new GenericAvroDeserializer(registry);
      values.configure(registryConfig(), false);
      loop =
          new DeliveryLoop(
              consumer,
              topic,
              values::deserialize,
              http,
              policy,
              scheduler,
              new DeadLetterWriter(
                  dlqProducer,
                  AvroSerdes.specific(DeadLetter.class, registry, registryConfig(), false)
                      .serializer(),
                  topic + ".delivery-dlq",
                  Clock.systemUTC()),
              new DeliveryMetrics(new SimpleMeterRegistry()),
              maxPending,
              Duration.ofSeconds(10),
              Clock.systemUTC());
      thread = new Thread(loop, "delivery-loop-" + topic);
      thread.start();
      toClose.add(this);
    }

    @Override
    public void close() throws Exception {
      loop.stop();
      assertThat(loop.awaitTermination(Duration.ofSeconds(30))).isTrue();
      dlqProducer.close();
    }
  }

  private static final DeliveryPolicy FAST =
      DeliveryPolicy.DEFAULT.withBackoff(Duration.ofMillis(10), Duration.ofMillis(200));

  private Map<TopicPartition, Long> committed() {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "delivery-" + topic);
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
      Set<TopicPartition> all =
          java.util.stream.IntStream.range(0, PARTITIONS)
              .mapToObj(p -> new TopicPartition(topic, p))
              .collect(Collectors.toSet());
      Map<TopicPartition, Long> out = new HashMap<>();
      Map<TopicPartition, OffsetAndMetadata> offsets = consumer.committed(all);
      offsets.forEach((tp, om) -> out.put(tp, om == null ? 0L : om.offset()));
      return out;
    }
  }

  private Map<TopicPartition, Long> endOffsets() {
    try (var admin = kafka.admin()) {
      Map<TopicPartition, Long> out = new HashMap<>();
      for (int p = 0; p < PARTITIONS; p++) {
        TopicPartition tp = new TopicPartition(topic, p);
        try {
          out.put(
              tp,
              admin
                  .listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()))
                  .partitionResult(tp)
                  .get()
                  .offset());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
      return out;
    }
  }

  /** Per order, the line numbers in arrival order of first delivery. */
  private static Map<String, List<String>> firstArrivalsByOrder(List<SinkItem> items) {
    Map<String, List<String>> byOrder = new LinkedHashMap<>();
    Set<String> seen = new java.util.HashSet<>();
    for (SinkItem item : items) {
      if (seen.add(item.idempotencyKey())) {
        String order = item.idempotencyKey().substring(6, item.idempotencyKey().indexOf(':'));
        byOrder.computeIfAbsent(order, k -> new ArrayList<>()).add(item.idempotencyKey());
      }
    }
    return byOrder;
  }

  private List<DeadLetter> deadLetters(int expected) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    var deserializer =
        AvroSerdes.specific(DeadLetter.class, registry, registryConfig(), false).deserializer();
    List<DeadLetter> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
      consumer.assign(
          java.util.stream.IntStream.range(0, PARTITIONS)
              .mapToObj(p -> new TopicPartition(topic + ".delivery-dlq", p))
              .toList());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                  out.add(deserializer.deserialize(r.topic(), r.value()));
                }
                return out.size() >= expected;
              });
    }
    return out;
  }

  @Test
  void everyRecordIsDeliveredOnceInOrderPerOrderAndCommitted(TestInfo info) throws Exception {
    names(info);
    List<String> keys = produce(12, 5);
    new Running(FAST.withBatching(4, Duration.ofMillis(20)));

    await().atMost(Duration.ofSeconds(60)).until(() -> sb.sink(sink).distinctKeys() == keys.size());
    await().atMost(Duration.ofSeconds(30)).until(() -> committed().equals(endOffsets()));

    var recording = sb.sink(sink);
    assertThat(recording.countByKey().keySet()).containsExactlyInAnyOrderElementsOf(keys);
    assertThat(recording.duplicates()).isZero();
    firstArrivalsByOrder(recording.items())
        .forEach(
            (order, arrived) ->
                assertThat(arrived)
                    .as(order)
                    .containsExactlyElementsOf(
                        keys.stream().filter(k -> k.startsWith("event-" + order + ":")).toList()));
  }

  /**
   * Batches larger than the records a partition may hold pending could never fill: reading pauses
   * first. They must go out at the pending limit, not wait for the (here ten-minute) linger.
   */
  @Test
  void batchesLargerThanThePendingLimitGoOutWithoutWaitingForTheLinger(TestInfo info)
      throws Exception {
    names(info);
    List<String> keys = produce(4, 10);
    new Running(FAST.withBatching(50, Duration.ofMinutes(10)), 8);

    await().atMost(Duration.ofSeconds(60)).until(() -> sb.sink(sink).distinctKeys() == keys.size());
    await().atMost(Duration.ofSeconds(30)).until(() -> committed().equals(endOffsets()));
    assertThat(sb.sink(sink).countByKey().keySet()).containsExactlyInAnyOrderElementsOf(keys);
  }

  @Test
  void aRefusedRecordIsDeadLetteredWithItsStatusAndTheRestDelivered(TestInfo info)
      throws Exception {
    names(info);
    sb.rejectSinkKeys(sink, Records.key("order-3", 1));
    List<String> keys = produce(6, 3);
    new Running(FAST.withBatching(3, Duration.ofMillis(20)));

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> sb.sink(sink).distinctKeys() == keys.size() - 1);
    List<DeadLetter> letters = deadLetters(1);
    await().atMost(Duration.ofSeconds(30)).until(() -> committed().equals(endOffsets()));

    assertThat(letters).hasSize(1);
    DeadLetter d = letters.get(0);
    assertThat(d.getErrorType()).isEqualTo(ErrorType.DELIVERY_REJECTED);
    assertThat(d.getHttpStatus()).isEqualTo(400);
    assertThat(d.getIdempotencyKey()).isEqualTo(Records.key("order-3", 1));
    assertThat(d.getOrderId()).isEqualTo("order-3");
    assertThat(d.getLineId()).isEqualTo("line-1");
    assertThat(d.getResponseExcerpt()).contains("invalid_record");
    assertThat(d.getValue()).isNotNull();
    assertThat(d.getResponseExcerpt()).doesNotContain(API_KEY);
    assertThat(sb.sink(sink).countByKey()).doesNotContainKey(Records.key("order-3", 1));
    // the order's later line is still delivered, after the refused one
    assertThat(sb.sink(sink).countByKey()).containsKey(Records.key("order-3", 2));
  }

  @Test
  void aGracefulStopMidWayCommitsOnlyWhatSettledAndARestartDeliversTheRest(TestInfo info)
      throws Exception {
    names(info);
    List<String> keys = produce(10, 10);
    sb.setLatency(Duration.ofMillis(30));
    try {
      Running first = new Running(FAST.withBatching(2, Duration.ZERO));
      await().atMost(Duration.ofSeconds(60)).until(() -> sb.sink(sink).distinctKeys() >= 20);
      first.close();
      toClose.remove(first);
      long deliveredBeforeRestart = sb.sink(sink).distinctKeys();
      long committedBeforeRestart = committed().values().stream().mapToLong(Long::longValue).sum();
      // only what the endpoint acknowledged is committed
      assertThat(committedBeforeRestart).isLessThanOrEqualTo(deliveredBeforeRestart);

      new Running(FAST.withBatching(2, Duration.ZERO));
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> sb.sink(sink).distinctKeys() == keys.size());
      await().atMost(Duration.ofSeconds(30)).until(() -> committed().equals(endOffsets()));
    } finally {
      sb.setLatency(Duration.ZERO);
    }
    var recording = sb.sink(sink);
    assertThat(recording.countByKey().keySet()).containsExactlyInAnyOrderElementsOf(keys);
    // a duplicate is only ever a second copy under the same key
    assertThat(recording.total() - recording.distinctKeys()).isEqualTo(recording.duplicates());
  }
}
