package dev.twikitorders.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
 * A {@code read_committed} consumer over a round's ERP, fulfillment and dead-letter topics, from
 * their beginning, feeding a {@link Tally} on its own thread. It reads keys and the {@code
 * idempotency-key} header only (no Avro decoding), so it keeps up with the pipeline.
 *
 * <p>Thread-safe: the tally is synchronized; {@link #close()} from any thread.
 */
final class Verifier implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, Tally.Output> topics;
  private final Tally tally;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Throwable error;

  Verifier(
      String bootstrap,
      String erpTopic,
      String fulfillmentTopic,
      String deadLetterTopic,
      Tally tally) {
    this.tally = tally;
    this.topics =
        Map.of(
            erpTopic,
            Tally.Output.ERP,
            fulfillmentTopic,
            Tally.Output.FULFILLMENT,
            deadLetterTopic,
            Tally.Output.DEAD_LETTER);
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-verifier");
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String t : topics.keySet()) {
      for (PartitionInfo info : consumer.partitionsFor(t, Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(t, info.partition()));
      }
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    partitions.forEach(tp -> consumer.position(tp, Duration.ofSeconds(30)));
    thread = Thread.ofPlatform().name("bench-verifier").daemon().start(this::loop);
  }

  private void loop() {
    try {
      while (running) {
        var records = consumer.poll(Duration.ofMillis(50));
        long now = System.currentTimeMillis();
        for (ConsumerRecord<String, byte[]> r : records) {
          Header h = r.headers().lastHeader("idempotency-key");
          String key =
              h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
          tally.record(topics.get(r.topic()), r.key(), key, now);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (Throwable t) {
      error = t;
    }
  }

  /** The error that stopped the consumer thread, or null. */
  Throwable error() {
    return error;
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close(Duration.ofSeconds(5));
  }
}
