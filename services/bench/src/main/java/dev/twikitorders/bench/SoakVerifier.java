package dev.twikitorders.bench;

import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.serde.GenericAvroDeserializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A {@code read_committed} consumer over the soak's ERP, fulfillment and dead-letter topics from
 * their beginning, feeding a {@link SoakTally} on its own thread: keys, the {@code idempotency-key}
 * header, record timestamps and, for dead letters, the {@code errorType} (decoded with the
 * registry). Unlike the round {@link Verifier} it needs the timestamps, which {@code
 * OutputTopicsReader} does not expose, hence its own consumer (same settings: assigned partitions,
 * no group, no commits).
 *
 * <p>Thread-safe: {@link #finish(Duration)} from the thread that created it, after which the
 * consumer thread has ended.
 */
final class SoakVerifier {
  private final KafkaConsumer<String, byte[]> consumer;
  private final GenericAvroDeserializer deadLetters;
  private final Map<String, SoakTally.Output> roles;
  private final SoakTally tally;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Throwable error;

  SoakVerifier(
      String bootstrap,
      SchemaRegistryClient registry,
      String erp,
      String fulfillment,
      String dlq,
      SoakTally tally) {
    this.tally = tally;
    this.roles =
        Map.of(
            erp,
            SoakTally.Output.ERP,
            fulfillment,
            SoakTally.Output.FULFILLMENT,
            dlq,
            SoakTally.Output.DEAD_LETTER);
    this.deadLetters = new GenericAvroDeserializer(registry);
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "soak-verifier");
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : roles.keySet()) {
      for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    thread = Thread.ofPlatform().name("soak-verifier").daemon().start(this::loop);
  }

  private void loop() {
    try {
      while (running) {
        pollOnce();
      }
    } catch (WakeupException e) {
      // finishing
    } catch (Throwable t) {
      error = t;
    }
  }

  private void pollOnce() {
    var records = consumer.poll(Duration.ofMillis(100));
    long now = System.currentTimeMillis();
    for (ConsumerRecord<String, byte[]> r : records) {
      SoakTally.Output output = roles.get(r.topic());
      String reason = null;
      if (output == SoakTally.Output.DEAD_LETTER) {
        try {
          GenericRecord v = deadLetters.deserialize(r.topic(), r.value());
          reason = String.valueOf(v.get("errorType"));
        } catch (RuntimeException e) {
          reason = "(undecodable)";
        }
      }
      tally.record(output, r.key(), header(r, "idempotency-key"), reason, r.timestamp(), now);
    }
  }

  private static String header(ConsumerRecord<?, ?> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** The error that stopped the consumer thread, or null. */
  Throwable error() {
    return error;
  }

  /**
   * Stops the background thread, then reads everything committed up to now (the last stable
   * offsets) and closes the consumer.
   *
   * @return false when the end was not reached within {@code timeout}
   */
  boolean finish(Duration timeout) throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join();
    try {
      for (int attempt = 0; ; attempt++) {
        try {
          return readToEnd(timeout);
        } catch (WakeupException e) {
          if (attempt > 0) {
            throw e;
          } // else the wakeup came after the thread's last poll: it fires once, read on
        }
      }
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  private boolean readToEnd(Duration timeout) {
    Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      boolean reached = true;
      for (var e : end.entrySet()) {
        if (consumer.position(e.getKey()) < e.getValue()) {
          reached = false;
        }
      }
      if (reached) {
        return true;
      }
      pollOnce();
    }
    return false;
  }
}
