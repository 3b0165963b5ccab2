package dev.twikitorders.devstack;

import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.serde.GenericAvroDeserializer;
import dev.twikitorders.testfixtures.OutputRole;
import dev.twikitorders.testfixtures.OutputTopicsReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Reads the three output topics from their beginning with {@code read_committed} (an {@link
 * OutputTopicsReader}) and counts what is there: the ground truth the demo reports (what the
 * pipeline's own counters say may include aborted attempts). The topics must exist.
 *
 * <p>Not thread-safe.
 */
public final class OutputTally implements AutoCloseable {
  /** The header the pipeline puts the records' idempotency keys in. */
  static final String IDEMPOTENCY_KEY_HEADER = "idempotency-key";

  private final OutputTopicsReader<GenericRecord> reader;
  private long erp;
  private long fulfillment;
  private long cancelled;
  private final Map<String, Long> deadLettersByReason = new TreeMap<>();
  private final Set<String> erpKeys = new LinkedHashSet<>();
  private final List<GenericRecord> erpSamples = new ArrayList<>();
  private final List<GenericRecord> fulfillmentSamples = new ArrayList<>();
  private final List<GenericRecord> deadLetterSamples = new ArrayList<>();

  public OutputTally(
      String bootstrap,
      SchemaRegistryClient registry,
      String erpTopic,
      String fulfillmentTopic,
      String deadLetterTopic) {
    this.reader =
        new OutputTopicsReader<>(
            bootstrap,
            Map.of(
                erpTopic,
                OutputRole.ERP,
                fulfillmentTopic,
                OutputRole.FULFILLMENT,
                deadLetterTopic,
                OutputRole.DEAD_LETTER),
            new GenericAvroDeserializer(registry),
            Map.of(ConsumerConfig.CLIENT_ID_CONFIG, "order-enricher-demo-tally"));
  }

  /** Polls once and counts what arrived. */
  public void poll(Duration timeout) {
    reader.poll(timeout, this::count);
  }

  private void count(OutputTopicsReader.OutputRecord<GenericRecord> r) {
    GenericRecord v = r.value();
    switch (r.role()) {
      case ERP -> {
        erp++;
        erpKeys.add(idempotencyKey(r));
        if ("CANCELLED".equals(String.valueOf(v.get("status")))) {
          cancelled++;
        }
        sample(erpSamples, v);
      }
      case FULFILLMENT -> {
        fulfillment++;
        sample(fulfillmentSamples, v);
      }
      case DEAD_LETTER -> {
        deadLettersByReason.merge(String.valueOf(v.get("errorType")), 1L, Long::sum);
        sample(deadLetterSamples, v);
      }
    }
  }

  /**
   * The key the delivery service sends a record with: its {@code idempotency-key} header ({@code
   * <eventId>:<lineId>}), else {@code <topic>/<partition>/<offset>}.
   */
  private static String idempotencyKey(OutputTopicsReader.OutputRecord<GenericRecord> r) {
    String header = r.header(IDEMPOTENCY_KEY_HEADER);
    return header != null ? header : r.topic() + "/" + r.partition() + "/" + r.offset();
  }

  private static void sample(List<GenericRecord> samples, GenericRecord v) {
    if (samples.size() < 3) {
      samples.add(v);
    }
  }

  public long erp() {
    return erp;
  }

  /**
   * The distinct idempotency keys of the ERP records read so far: what the delivery service must
   * bring to its endpoint (the demo's {@code --deliver}).
   */
  public Set<String> erpKeys() {
    return Set.copyOf(erpKeys);
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
    reader.close();
  }
}
