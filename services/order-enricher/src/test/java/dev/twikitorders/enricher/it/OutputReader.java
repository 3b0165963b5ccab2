package dev.twikitorders.enricher.it;

import static org.awaitility.Awaitility.await;

import dev.twikitorders.enricher.it.ExpectedOutputs.OutputKey;
import dev.twikitorders.enricher.it.ExpectedOutputs.Role;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.serde.GenericAvroDeserializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the three output topics from the beginning with {@code isolation.level=read_committed}
 * (what downstream consumers see: records of aborted transactions never show) and keeps every
 * record read, in partition order.
 *
 * <p>Not thread-safe: one test thread polls it.
 */
final class OutputReader implements AutoCloseable {
  /** One output record as read. */
  record Output(
      Role role,
      String topic,
      int partition,
      long offset,
      String key,
      Map<String, String> headers,
      GenericRecord value) {
    String header(String name) {
      return headers.get(name);
    }

    String field(String name) {
      Object v = value == null ? null : value.get(name);
      return v == null ? null : v.toString();
    }

    /** Status (ERP, fulfillment) or error type (dead letters). */
    String status() {
      return role == Role.DEAD_LETTER ? field("errorType") : field("status");
    }

    OutputKey outputKey() {
      return new OutputKey(
          role, String.valueOf(header("idempotency-key")), String.valueOf(status()));
    }
  }

  private final KafkaConsumer<String, GenericRecord> consumer;
  private final Map<String, Role> roles = new HashMap<>();
  private final List<Output> records = new ArrayList<>();

  OutputReader(String bootstrap, SchemaRegistryClient registry, PipelineRun run) {
    roles.put(run.erp(), Role.ERP);
    roles.put(run.fulfillment(), Role.FULFILLMENT);
    roles.put(run.deadLetters(), Role.DEAD_LETTER);
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new GenericAvroDeserializer(registry));
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : roles.keySet()) {
      consumer
          .partitionsFor(topic, Duration.ofSeconds(30))
          .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Polls once and keeps what arrived; returns the number of records read so far. */
  int poll() {
    for (ConsumerRecord<String, GenericRecord> r : consumer.poll(Duration.ofMillis(200))) {
      Map<String, String> headers = new LinkedHashMap<>();
      for (Header h : r.headers()) {
        headers.put(
            h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
      }
      records.add(
          new Output(
              roles.get(r.topic()),
              r.topic(),
              r.partition(),
              r.offset(),
              r.key(),
              headers,
              r.value()));
    }
    return records.size();
  }

  /**
   * Reads up to the current end of every output partition. Under {@code read_committed} the end is
   * the last stable offset, so this waits out any open transaction (commit or abort).
   */
  void readToEnd(Duration timeout) {
    Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
    await("output topics read to their last stable offset " + end)
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              poll();
              return end.entrySet().stream()
                  .allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
            });
  }

  List<Output> records() {
    return List.copyOf(records);
  }

  int count() {
    return records.size();
  }

  /** The multiset of what was read. */
  Map<OutputKey, Long> multiset() {
    Map<OutputKey, Long> m = new TreeMap<>();
    records.forEach(r -> m.merge(r.outputKey(), 1L, Long::sum));
    return m;
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
