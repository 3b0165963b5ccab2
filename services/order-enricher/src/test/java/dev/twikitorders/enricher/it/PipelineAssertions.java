package dev.twikitorders.enricher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twikitorders.enricher.it.ExpectedOutputs.OutputKey;
import dev.twikitorders.enricher.it.ExpectedOutputs.Role;
import dev.twikitorders.enricher.it.OutputReader.Output;
import dev.twikitorders.enricher.it.TestOrders.Produced;
import dev.twikitorders.schemas.OrderEvent;
import dev.twikitorders.schemas.OrderLine;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The checks every end-to-end test makes on the outputs (docs/contracts.md, invariants 1-3 and the
 * header contract). Stateless.
 */
final class PipelineAssertions {
  private PipelineAssertions() {}

  /**
   * Waits until every expected output is there and the application has committed its position at
   * the end of the input, reads the outputs to their last stable offset, and then requires the
   * multiset read to equal {@code expected} exactly: nothing missing, nothing extra, no duplicate.
   */
  static void awaitExactOutputs(
      OutputReader reader, Map<OutputKey, Long> expected, PipelineRun run, Duration timeout) {
    await("all " + ExpectedOutputs.total(expected) + " expected outputs of " + run)
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              reader.poll();
              Map<OutputKey, Long> missing = difference(expected, reader.multiset());
              assertThat(missing)
                  .as("outputs still missing (%d read so far)", reader.count())
                  .isEmpty();
            });
    awaitInputCommitted(run, timeout);
    reader.readToEnd(timeout);
    Map<OutputKey, Long> actual = reader.multiset();
    assertThat(difference(actual, expected)).as("unexpected or duplicate outputs").isEmpty();
    assertThat(difference(expected, actual)).as("missing outputs").isEmpty();
    assertThat(actual).isEqualTo(expected);
  }

  /**
   * Waits until the application's consumer group has committed the end offset of every input
   * partition.
   */
  static void awaitInputCommitted(PipelineRun run, Duration timeout) {
    try (Admin admin = admin(run)) {
      await("application " + run.applicationId() + " committed the end of " + run.input())
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                Map<TopicPartition, Long> ends = endOffsets(admin, run.input());
                Map<TopicPartition, OffsetAndMetadata> committed =
                    admin
                        .listConsumerGroupOffsets(run.applicationId())
                        .partitionsToOffsetAndMetadata()
                        .get();
                return ends.entrySet().stream()
                    .allMatch(
                        e -> {
                          OffsetAndMetadata c = committed.get(e.getKey());
                          return e.getValue() == 0 || c != null && c.offset() >= e.getValue();
                        });
              });
    }
  }

  /** Latest offsets of every partition of {@code topic}. */
  static Map<TopicPartition, Long> endOffsets(Admin admin, String topic)
      throws InterruptedException, ExecutionException {
    int partitions =
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      request.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    Map<TopicPartition, Long> ends = new HashMap<>();
    admin.listOffsets(request).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
    return ends;
  }

  static Admin admin(PipelineRun run) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, run.infra().bootstrapServers());
    return Admin.create(p);
  }

  /**
   * Every record carries {@code event-id} (when its input had an event id), {@code idempotency-key}
   * = {@code <eventId>:<lineId>} (the event id for an invalid event, the source for an unreadable
   * record) and {@code source} = {@code topic/partition/offset} of the very input record it came
   * from; keys and values agree with that input.
   */
  static void assertHeadersAndSources(List<Output> records, List<Produced> produced) {
    Map<String, Produced> bySource =
        produced.stream().collect(Collectors.toMap(Produced::source, p -> p));
    for (Output o : records) {
      String source = o.header("source");
      Produced in = bySource.get(source);
      assertThat(in).as("input record named by the source header of %s", o).isNotNull();
      String idempotencyKey = o.header("idempotency-key");
      assertThat(idempotencyKey).as("idempotency-key of %s", o).isNotNull();
      OrderEvent event = in.item().event();
      if (event == null) {
        assertThat(o.role())
            .as("role of the output of unreadable %s", in)
            .isEqualTo(Role.DEAD_LETTER);
        assertThat(o.status()).isEqualTo("UNREADABLE");
        assertThat(o.header("event-id"))
            .as("event-id of %s: its source coordinates", o)
            .isEqualTo(source);
        assertThat(idempotencyKey).isEqualTo(source);
        assertThat(o.key()).as("key of the dead letter of an unreadable record").isNull();
        assertThat(bytes(o.value().get("value")))
            .as("original value bytes in %s", o)
            .isEqualTo(in.item().raw());
        assertDeadLetterSource(o, in);
        continue;
      }
      assertThat(o.header("event-id")).as("event-id of %s", o).isEqualTo(event.getEventId());
      assertThat(o.key()).as("key of %s", o).isEqualTo(event.getOrderId());
      assertThat(o.field("eventId")).as("eventId of %s", o).isEqualTo(event.getEventId());
      assertThat(o.field("orderId")).as("orderId of %s", o).isEqualTo(event.getOrderId());
      if (o.role() == Role.DEAD_LETTER) {
        assertDeadLetterSource(o, in);
        if ("INVALID_EVENT".equals(o.status())) {
          assertThat(idempotencyKey).isEqualTo(event.getEventId());
          continue;
        }
      }
      String lineId = o.field("lineId");
      assertThat(idempotencyKey)
          .as("idempotency-key of %s", o)
          .isEqualTo(event.getEventId() + ":" + lineId);
      OrderLine line =
          event.getLines().stream()
              .filter(l -> l.getLineId().equals(lineId))
              .findFirst()
              .orElse(null);
      assertThat(line).as("line %s of %s", lineId, in).isNotNull();
      assertThat(o.field("configurationId")).isEqualTo(line.getConfigurationId());
    }
  }

  private static void assertDeadLetterSource(Output o, Produced in) {
    assertThat(o.field("sourceTopic")).isEqualTo(in.topic());
    assertThat(o.value().get("sourcePartition")).isEqualTo(in.partition());
    assertThat(o.value().get("sourceOffset")).isEqualTo(in.offset());
  }

  private static byte[] bytes(Object avroBytes) {
    if (avroBytes == null) {
      return null;
    }
    ByteBuffer b = ((ByteBuffer) avroBytes).duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  /**
   * Per order key and output topic, records appear in input order: their source offsets (all in one
   * input partition) never decrease, lines of one event are in line order, and no PLACED record
   * follows a CANCELLED one.
   */
  static void assertPerOrderInputOrder(List<Output> records) {
    Map<String, List<Output>> byTopicAndKey = new LinkedHashMap<>();
    for (Output o : records) {
      if (o.key() != null) {
        byTopicAndKey.computeIfAbsent(o.topic() + "|" + o.key(), k -> new ArrayList<>()).add(o);
      }
    }
    int ordersWithSeveralRecords = 0;
    for (var entry : byTopicAndKey.entrySet()) {
      List<Output> list = new ArrayList<>(entry.getValue());
      assertThat(list.stream().map(Output::partition).distinct())
          .as("output partitions of %s", entry.getKey())
          .hasSize(1);
      list.sort(Comparator.comparingLong(Output::offset));
      List<long[]> positions = new ArrayList<>();
      for (Output o : list) {
        String[] source = o.header("source").split("/");
        String lineId = o.field("lineId");
        positions.add(
            new long[] {
              Long.parseLong(source[source.length - 2]),
              Long.parseLong(source[source.length - 1]),
              lineId == null ? 0 : Long.parseLong(lineId)
            });
      }
      assertThat(positions.stream().map(p -> p[0]).distinct())
          .as("input partitions of %s", entry.getKey())
          .hasSize(1);
      for (int i = 1; i < positions.size(); i++) {
        long[] a = positions.get(i - 1);
        long[] b = positions.get(i);
        assertThat(a[1] < b[1] || a[1] == b[1] && a[2] < b[2])
            .as(
                "%s: record %s (input offset %d, line %d) follows input offset %d, line %d",
                entry.getKey(), list.get(i), b[1], b[2], a[1], a[2])
            .isTrue();
      }
      boolean cancelled = false;
      for (Output o : list) {
        if ("CANCELLED".equals(o.status())) {
          cancelled = true;
        } else if ("PLACED".equals(o.status())) {
          assertThat(cancelled)
              .as("%s: PLACED record %s after a CANCELLED one", entry.getKey(), o)
              .isFalse();
        }
      }
      if (list.size() > 1) {
        ordersWithSeveralRecords++;
      }
    }
    assertThat(ordersWithSeveralRecords)
        .as("orders with several records on one topic (the check needs some)")
        .isPositive();
  }

  /** {@code a} minus {@code b} as multisets. */
  static Map<OutputKey, Long> difference(Map<OutputKey, Long> a, Map<OutputKey, Long> b) {
    Map<OutputKey, Long> d = new TreeMap<>();
    a.forEach(
        (k, n) -> {
          long left = n - b.getOrDefault(k, 0L);
          if (left > 0) {
            d.put(k, left);
          }
        });
    return d;
  }
}
