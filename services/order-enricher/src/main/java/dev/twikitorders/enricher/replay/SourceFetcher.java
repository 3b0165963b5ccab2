package dev.twikitorders.enricher.replay;

import dev.twikitorders.enricher.records.OutputHeaders;
import dev.twikitorders.enricher.records.SourceRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads single input records back by {@code topic/partition/offset}, for dead letters that name
 * their source event but do not hold its bytes (an output the broker refused is dead-lettered by
 * the production exception handler, where the input's bytes are not at hand). Uses its own
 * group-less, read_committed, never-committing consumer: {@code assign()}, {@code seek()}, poll
 * until the offset.
 *
 * <p>Not thread-safe: one job thread.
 */
final class SourceFetcher {
  /** Where a dead letter's source event is. */
  record Coordinates(String topic, int partition, long offset) {
    String source() {
      return OutputHeaders.source(topic, partition, offset);
    }
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Duration timeout;

  SourceFetcher(KafkaConsumer<byte[], byte[]> consumer, Duration timeout) {
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /**
   * Checks, before anything is written, that every record is still in its topic: the topic and
   * partition exist and the offset lies between the log start (records before it were deleted by
   * retention) and the end.
   *
   * @throws ReplayUsageException naming the coordinates of the first records that are not
   */
  void checkAvailable(Collection<Coordinates> wanted) {
    List<String> problems = new ArrayList<>();
    Map<String, Set<Integer>> partitionsOf = new java.util.HashMap<>();
    Set<TopicPartition> tps = new HashSet<>();
    for (Coordinates c : wanted) {
      Set<Integer> partitions =
          partitionsOf.computeIfAbsent(
              c.topic(),
              t -> {
                Set<Integer> ps = new TreeSet<>();
                for (PartitionInfo p : consumer.partitionsFor(t)) {
                  ps.add(p.partition());
                }
                return ps;
              });
      if (!partitions.contains(c.partition())) {
        problems.add(c.source() + " (no such topic or partition)");
      } else {
        tps.add(new TopicPartition(c.topic(), c.partition()));
      }
    }
    Map<TopicPartition, Long> start = consumer.beginningOffsets(tps);
    Map<TopicPartition, Long> end = consumer.endOffsets(tps);
    for (Coordinates c : wanted) {
      TopicPartition tp = new TopicPartition(c.topic(), c.partition());
      if (!tps.contains(tp)) {
        continue;
      }
      if (c.offset() < start.get(tp)) {
        problems.add(
            c.source()
                + " (deleted by retention: the partition starts at offset "
                + start.get(tp)
                + ")");
      } else if (c.offset() >= end.get(tp)) {
        problems.add(c.source() + " (beyond the end of the partition, offset " + end.get(tp) + ")");
      }
    }
    if (!problems.isEmpty()) {
      throw new ReplayUsageException(
          problems.size()
              + " dead letter(s) hold no original bytes and their source record is not in the"
              + " input any more, so they cannot be re-driven: "
              + String.join(", ", problems.subList(0, Math.min(10, problems.size())))
              + (problems.size() > 10 ? ", ..." : "")
              + "; leave them out with --error-type, --order-id or --from-timestamp");
    }
  }

  /**
   * The committed record at these coordinates.
   *
   * @throws ReplayFailedException naming the coordinates when there is no committed record at that
   *     offset (an aborted record or a transaction marker), it cannot be read, or it does not
   *     arrive within the timeout
   */
  SourceRecord fetch(Coordinates c) {
    TopicPartition tp = new TopicPartition(c.topic(), c.partition());
    consumer.assign(List.of(tp));
    consumer.seek(tp, c.offset());
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
        for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
          if (r.offset() == c.offset()) {
            return new SourceRecord(
                r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value());
          }
          if (r.offset() > c.offset()) {
            throw unreadable(c, "there is no committed record at that offset", null);
          }
        }
        if (consumer.position(tp) > c.offset()) {
          // read_committed skips aborted records and transaction markers
          throw unreadable(c, "there is no committed record at that offset", null);
        }
      }
    } catch (KafkaException e) {
      throw unreadable(c, e.toString(), e);
    } finally {
      consumer.unsubscribe();
    }
    throw unreadable(c, "it could not be read within " + timeout.toSeconds() + " s", null);
  }

  private static ReplayFailedException unreadable(Coordinates c, String why, Throwable cause) {
    return new ReplayFailedException(
        "cannot read the source record " + c.source() + " of a dead letter to re-drive: " + why,
        cause);
  }
}
