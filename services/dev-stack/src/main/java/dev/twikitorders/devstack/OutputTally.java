package dev.twikitorders.devstack;

import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.serde.GenericAvroDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the three output topics with {@code read_committed} and counts what is there: the ground
 * truth the demo reports (what the pipeline's own counters say may include aborted attempts).
 *
 * <p>Not thread-safe.
 */
public final class OutputTally implements AutoCloseable {
  private final KafkaConsumer<String, GenericRecord> consumer;
  private final String erpTopic;
  private final String fulfillmentTopic;
  private final String deadLetterTopic;
  private long erp;
  private long fulfillment;
  private long cancelled;
  private final Map<String, Long> deadLettersByReason = new TreeMap<>();
  private final List<GenericRecord> erpSamples = new ArrayList<>();
  private final List<GenericRecord> fulfillmentSamples = new ArrayList<>();
  private final List<GenericRecord> deadLetterSamples = new ArrayList<>();

  public OutputTally(
      String bootstrap,
      SchemaRegistryClient registry,
      String erpTopic,
      String fulfillmentTopic,
      String deadLetterTopic) {
    this.erpTopic = erpTopic;
    this.fulfillmentTopic = fulfillmentTopic;
    this.deadLetterTopic = deadLetterTopic;
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "order-enricher-demo-tally-" + UUID.randomUUID());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new GenericAvroDeserializer(registry));
    consumer.subscribe(List.of(erpTopic, fulfillmentTopic, deadLetterTopic));
  }

  /** Polls once and counts what arrived. */
  public void poll(Duration timeout) {
    for (ConsumerRecord<String, GenericRecord> r : consumer.poll(timeout)) {
      GenericRecord v = r.value();
      if (r.topic().equals(erpTopic)) {
        erp++;
        if ("CANCELLED".equals(String.valueOf(v.get("status")))) {
          cancelled++;
        }
        sample(erpSamples, v);
      } else if (r.topic().equals(fulfillmentTopic)) {
        fulfillment++;
        sample(fulfillmentSamples, v);
      } else if (r.topic().equals(deadLetterTopic)) {
        deadLettersByReason.merge(String.valueOf(v.get("errorType")), 1L, Long::sum);
        sample(deadLetterSamples, v);
      }
    }
  }

  private static void sample(List<GenericRecord> samples, GenericRecord v) {
    if (samples.size() < 3) {
      samples.add(v);
    }
  }

  public long erp() {
    return erp;
  }

  public long fulfillment() {
    return fulfillment;
  }

  public long cancelled() {
    return cancelled;
  }

  public long deadLetters() {
    return deadLettersByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  public Map<String, Long> deadLettersByReason() {
    return Map.copyOf(deadLettersByReason);
  }

  public List<GenericRecord> erpSamples() {
    return List.copyOf(erpSamples);
  }

  public List<GenericRecord> fulfillmentSamples() {
    return List.copyOf(fulfillmentSamples);
  }

  public List<GenericRecord> deadLetterSamples() {
    return List.copyOf(deadLetterSamples);
  }

  @Override
  public void close() {
    consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
