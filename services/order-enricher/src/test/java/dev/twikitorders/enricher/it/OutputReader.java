package dev.twikitorders.enricher.it;

import static org.awaitility.Awaitility.await;

import dev.twikitorders.enricher.it.ExpectedOutputs.OutputKey;
import dev.twikitorders.enricher.it.ExpectedOutputs.Role;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.serde.GenericAvroDeserializer;
import dev.twikitorders.testfixtures.OutputRole;
import dev.twikitorders.testfixtures.OutputTopicsReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the three output topics from the beginning with {@code isolation.level=read_committed}
 * (what downstream consumers see: records of aborted transactions never show) and keeps every
 * record read, in partition order: an adapter of {@link OutputTopicsReader} to the tests' {@link
 * Role} and {@link OutputKey}.
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

  private final OutputTopicsReader<GenericRecord> reader;
  private final List<Output> records = new ArrayList<>();

  OutputReader(String bootstrap, SchemaRegistryClient registry, PipelineRun run) {
    reader =
        new OutputTopicsReader<>(
            bootstrap,
            Map.of(
                run.erp(),
                OutputRole.ERP,
                run.fulfillment(),
                OutputRole.FULFILLMENT,
                run.deadLetters(),
                OutputRole.DEAD_LETTER),
            new GenericAvroDeserializer(registry));
  }

  /** Polls once and keeps what arrived; returns the number of records read so far. */
  int poll() {
    reader.poll(
        Duration.ofMillis(200),
        r ->
            records.add(
                new Output(
                    role(r.role()),
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    r.key(),
                    r.headers(),
                    r.value())));
    return records.size();
  }

  private static Role role(OutputRole role) {
    return switch (role) {
      case ERP -> Role.ERP;
      case FULFILLMENT -> Role.FULFILLMENT;
      case DEAD_LETTER -> Role.DEAD_LETTER;
    };
  }

  /**
   * Reads up to the current end of every output partition. Under {@code read_committed} the end is
   * the last stable offset, so this waits out any open transaction (commit or abort).
   */
  void readToEnd(Duration timeout) {
    Map<TopicPartition, Long> end = reader.endOffsets();
    await("output topics read to their last stable offset " + end)
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              poll();
              return reader.reachedEnd(end);
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
    reader.close();
  }
}
