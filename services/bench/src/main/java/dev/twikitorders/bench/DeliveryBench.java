package dev.twikitorders.bench;

import dev.twikitorders.auth.AuthScheme;
import dev.twikitorders.connections.KafkaConnection;
import dev.twikitorders.connections.RegistrySettings;
import dev.twikitorders.delivery.config.DeliverySettings;
import dev.twikitorders.localstack.LocalStack;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.sandbox.sink.SinkItem;
import dev.twikitorders.sandbox.sink.SinkRecording;
import dev.twikitorders.schemas.ConfigurationSummary;
import dev.twikitorders.schemas.LineStatus;
import dev.twikitorders.schemas.SummaryParameter;
import dev.twikitorders.settings.Setting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code delivery} round ({@code --delivery}, {@code --delivery-only}): the delivery service
 * ({@code delivery.jar deliver}, a child JVM) from a fresh topic of {@code ConfigurationSummary}
 * records to the sandbox's sink {@code /sink/bench}, at the sandbox's latency.
 *
 * <p>Warm-up: a small batch is produced and delivered unmeasured first (the JVM, the connection and
 * the token are then up). Measured: {@code records} records are produced to the same topic while
 * the warm service waits for them; records/s = records / (first measured produce &rarr; the sink
 * holding every measured idempotency key). Then, after {@code settle}, the sink is checked: every
 * key arrived (duplicates are counted and reported: the service delivers at least once), no unknown
 * key, per order the keys arrived in topic order, no dead letter.
 *
 * <p>Records: keys are order ids ({@code records / 4} orders, so about four records per order,
 * spread over the partitions by Kafka's partitioner), header {@code idempotency-key} {@code
 * <eventId>:<lineId>} as the pipeline writes it; the record's index is in its event id, so the sink
 * order can be checked from the keys alone.
 *
 * <p>Not thread-safe; one round per instance.
 */
final class DeliveryBench {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryBench.class);

  /** The sandbox sink the round delivers to. */
  static final String SINK = "bench";

  private static final String HEADER = "idempotency-key";
  private static final int RECORDS_PER_ORDER = 4;

  /**
   * What the round runs.
   *
   * @param records measured records
   * @param warmupRecords unmeasured records delivered first
   * @param batch {@code delivery.batch.max.records}
   * @param lingerMs {@code delivery.linger.ms}
   * @param latencyMs sandbox latency per request (the sink's too)
   * @param partitions partitions of the topic
   * @param stall a round fails when no new key reaches the sink for this long
   * @param settle wait after the last key, for late duplicates
   */
  record Params(
      int records,
      int warmupRecords,
      int batch,
      long lingerMs,
      long latencyMs,
      int partitions,
      Duration stall,
      Duration settle) {}

  private final LocalStack stack;
  private final TwikitSandbox sandbox;
  private final Serializer<ConfigurationSummary> serializer;
  private final ChildJvm jvm;
  private final Path jar;
  private final Path workDir;
  private final String clientSecret;
  private final String runId;

  DeliveryBench(
      LocalStack stack,
      TwikitSandbox sandbox,
      Serializer<ConfigurationSummary> serializer,
      ChildJvm jvm,
      Path jar,
      Path workDir,
      String clientSecret,
      String runId) {
    this.stack = stack;
    this.sandbox = sandbox;
    this.serializer = serializer;
    this.jvm = jvm;
    this.jar = jar;
    this.workDir = workDir;
    this.clientSecret = clientSecret;
    this.runId = runId;
  }

  /** Runs the round; the result's verdict says what broke, if anything. */
  DeliveryRoundResult run(Params p) throws IOException, InterruptedException {
    String topic = runId + ".erp";
    stack.kafka().createTopics(List.of(new NewTopic(topic, p.partitions(), (short) 1)));
    sandbox.setLatency(Duration.ofMillis(p.latencyMs()));
    sandbox.clearSink(SINK);
    LOG.info(
        "=== delivery: {} records ({} warm-up) on {} partitions -> sandbox sink at {} ms, batch {},"
            + " linger {} ms ===",
        p.records(),
        p.warmupRecords(),
        p.partitions(),
        p.latencyMs(),
        p.batch(),
        p.lingerMs());
    String warmupPrefix = runId + "-w";
    String measuredPrefix = runId + "-m";
    try (KafkaProducer<String, byte[]> producer = producer();
        DeliveryProcess service =
            DeliveryProcess.start(jvm, jar, workDir, runId, settings(p, topic), clientSecret)) {
      produce(producer, topic, batch(warmupPrefix, p.warmupRecords(), topic));
      service.awaitDelivering(Duration.ofSeconds(90));
      Progress warm = await(warmupPrefix, p.warmupRecords(), p.stall(), service);
      if (!warm.complete()) {
        return failed(p, 0, "warm-up: " + warm.keys() + " of " + p.warmupRecords() + " keys");
      }
      // the measured keys only from here on (a late warm-up duplicate is ignored)
      sandbox.clearSink(SINK);
      List<ProducerRecord<String, byte[]>> measured = batch(measuredPrefix, p.records(), topic);
      long t0 = System.nanoTime();
      produce(producer, topic, measured);
      Progress done = await(measuredPrefix, p.records(), p.stall(), service);
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (!done.complete()) {
        return failed(
            p,
            seconds,
            "measured: " + done.keys() + " of " + p.records() + " keys" + service.why());
      }
      LockSupport.parkNanos(p.settle().toNanos());
      return verify(p, topic, measuredPrefix, warmupPrefix, seconds);
    }
  }

  /** Keys of {@code prefix} at the sink; complete when {@code target} arrived. */
  private record Progress(long keys, boolean complete) {}

  private Progress await(String prefix, int target, Duration stall, DeliveryProcess service) {
    long last = -1;
    long lastProgress = System.nanoTime();
    long lastLog = System.nanoTime();
    while (true) {
      long keys = countKeys(sandbox.sink(SINK), prefix);
      long now = System.nanoTime();
      if (keys >= target) {
        return new Progress(keys, true);
      }
      if (keys > last) {
        last = keys;
        lastProgress = now;
      }
      if (!service.alive() || now - lastProgress > stall.toNanos()) {
        LOG.error(
            "delivery: {} of {} keys at the sink; {}",
            keys,
            target,
            service.alive() ? "no progress for " + stall.toSeconds() + " s" : "service exited");
        return new Progress(keys, false);
      }
      if (now - lastLog > 5_000_000_000L) {
        LOG.info("delivery: {} / {} keys at the sink", keys, target);
        lastLog = now;
      }
      LockSupport.parkNanos(20_000_000L);
    }
  }

  private static long countKeys(SinkRecording sink, String prefix) {
    long n = 0;
    for (String key : sink.countByKey().keySet()) {
      if (key.startsWith(prefix)) {
        n++;
      }
    }
    return n;
  }

  private DeliveryRoundResult verify(
      Params p, String topic, String measuredPrefix, String warmupPrefix, double seconds) {
    SinkRecording sink = sandbox.sink(SINK);
    long missing = p.records();
    long duplicates = 0;
    long unknown = 0;
    for (Map.Entry<String, Long> e : sink.countByKey().entrySet()) {
      if (e.getKey().startsWith(measuredPrefix)) {
        missing--;
        duplicates += e.getValue() - 1;
      } else if (!e.getKey().startsWith(warmupPrefix)) {
        unknown++;
      }
    }
    long orderViolations = sink.truncated() ? -1 : orderViolations(sink.items(), measuredPrefix);
    long deadLetters = deadLetters(topic + DeliverySettings.DEAD_LETTER_SUFFIX);
    List<String> broken = new ArrayList<>();
    if (missing > 0) {
      broken.add(missing + " missing");
    }
    if (unknown > 0) {
      broken.add(unknown + " unknown keys");
    }
    if (orderViolations != 0) {
      broken.add(
          orderViolations < 0
              ? "order not checked (sink truncated)"
              : orderViolations + " out of order");
    }
    if (deadLetters > 0) {
      broken.add(deadLetters + " dead letters");
    }
    String verdict = broken.isEmpty() ? "ok" : String.join(", ", broken);
    return new DeliveryRoundResult(
        "delivery",
        p.records(),
        p.batch(),
        p.lingerMs(),
        p.latencyMs(),
        p.partitions(),
        seconds,
        p.records() / seconds,
        sink.total(),
        duplicates,
        missing,
        unknown,
        orderViolations,
        deadLetters,
        verdict);
  }

  /**
   * Per order, the first arrival of each key must come in record-index order (the order they were
   * produced to the order's partition).
   */
  static long orderViolations(List<SinkItem> items, String prefix) {
    Map<Long, Long> lastIndexByOrder = new HashMap<>();
    Set<String> seen = new HashSet<>();
    long violations = 0;
    for (SinkItem item : items) {
      String key = item.idempotencyKey();
      if (!key.startsWith(prefix) || !seen.add(key)) {
        continue;
      }
      long index = indexOf(key, prefix);
      long order = orderOf(key);
      Long last = lastIndexByOrder.put(order, index);
      if (last != null && last > index) {
        violations++;
      }
    }
    return violations;
  }

  /** {@code <prefix><index>:o<order>-l<line>}: the record's index. */
  private static long indexOf(String key, String prefix) {
    return Long.parseLong(key.substring(prefix.length(), key.indexOf(':')));
  }

  private static long orderOf(String key) {
    int o = key.indexOf(":o") + 2;
    return Long.parseLong(key.substring(o, key.indexOf("-l", o)));
  }

  private long deadLetters(String dlq) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-delivery-dlq");
    try (var consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> partitions = consumer.partitionsFor(dlq, Duration.ofSeconds(10));
      if (partitions == null || partitions.isEmpty()) {
        return 0;
      }
      List<TopicPartition> tps =
          partitions.stream().map(i -> new TopicPartition(dlq, i.partition())).toList();
      consumer.assign(tps);
      return consumer.endOffsets(tps, Duration.ofSeconds(10)).values().stream()
          .mapToLong(Long::longValue)
          .sum();
    }
  }

  /**
   * {@code count} records: record i belongs to order {@code i % orders} (orders = count / 4), line
   * {@code i / orders} of it; idempotency key {@code <prefix><i>:o<order>-l<line>}, that is {@code
   * <eventId>:<lineId>}.
   */
  private List<ProducerRecord<String, byte[]>> batch(String prefix, int count, String topic) {
    int orders = Math.max(1, count / RECORDS_PER_ORDER);
    Instant now = Instant.now();
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int order = i % orders;
      String orderId = prefix + "-order-" + order;
      String eventId = prefix + i;
      String lineId = "o" + order + "-l" + (i / orders);
      ConfigurationSummary summary =
          ConfigurationSummary.newBuilder()
              .setOrderId(orderId)
              .setLineId(lineId)
              .setEventId(eventId)
              .setStatus(LineStatus.PLACED)
              .setConfigurationId(
                  UUID.nameUUIDFromBytes(eventId.getBytes(StandardCharsets.UTF_8)).toString())
              .setProductTitle("Lamp")
              .setSku("SKU-" + (i % 97))
              .setQuantity(1 + i % 3)
              .setPrice("129.95")
              .setCurrency("EUR")
              .setParameters(List.of(new SummaryParameter("color", "Colour", "red", "Red")))
              .setOccurredAt(now)
              .setEnrichedAt(now)
              .setShopId(null)
              .build();
      ProducerRecord<String, byte[]> r =
          new ProducerRecord<>(topic, orderId, serializer.serialize(topic, summary));
      r.headers().add(HEADER, (eventId + ":" + lineId).getBytes(StandardCharsets.UTF_8));
      records.add(r);
    }
    return records;
  }

  private static void produce(
      KafkaProducer<String, byte[]> producer,
      String topic,
      List<ProducerRecord<String, byte[]>> rs) {
    AtomicReference<Exception> error = new AtomicReference<>();
    for (ProducerRecord<String, byte[]> r : rs) {
      producer.send(
          r,
          (md, e) -> {
            if (e != null) {
              error.compareAndSet(null, e);
            }
          });
    }
    producer.flush();
    if (error.get() != null) {
      throw new IllegalStateException("producing to " + topic + " failed", error.get());
    }
  }

  private KafkaProducer<String, byte[]> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-delivery-load");
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  private static DeliveryRoundResult failed(Params p, double seconds, String verdict) {
    return new DeliveryRoundResult(
        "delivery",
        p.records(),
        p.batch(),
        p.lingerMs(),
        p.latencyMs(),
        p.partitions(),
        seconds,
        0,
        0,
        0,
        p.records(),
        0,
        0,
        0,
        verdict);
  }

  /** The service's settings for this round (the client secret goes through the environment). */
  private Map<String, String> settings(Params p, String topic) {
    Map<String, String> s = new LinkedHashMap<>();
    put(s, KafkaConnection.BOOTSTRAP_SERVERS, stack.bootstrapServers());
    put(s, RegistrySettings.URL, stack.schemaRegistryUrl());
    put(s, DeliverySettings.TOPIC, topic);
    put(s, DeliverySettings.GROUP_ID, "bench-delivery-" + runId);
    put(s, DeliverySettings.URL, sandbox.sinkUrl(SINK).toString());
    put(s, DeliverySettings.BATCH_MAX_RECORDS, Integer.toString(p.batch()));
    put(s, DeliverySettings.LINGER, Long.toString(p.lingerMs()));
    put(s, DeliverySettings.AUTH.scheme(), AuthScheme.CLIENT_CREDENTIALS.settingValue());
    put(s, DeliverySettings.AUTH.tokenUrl(), sandbox.tokenUrl().toString());
    put(s, DeliverySettings.AUTH.clientId(), BenchStack.CLIENT_ID);
    return s;
  }

  private static void put(Map<String, String> settings, Setting setting, String value) {
    settings.put(setting.key(), value);
  }
}
