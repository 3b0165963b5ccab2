package dev.twikitorders.deadletters;

import dev.twikitorders.schemas.DeadLetter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the dead-letter topic between offsets captured once ({@link #capture}), with a group-less,
 * never-committing read_committed consumer, and hands every dead letter matching a filter to a
 * callback, in offset order per partition. The same range can be scanned again (re-drive reads it
 * twice: select, then process).
 *
 * <p>A record that is not a dead letter this version can read is skipped and counted ({@link
 * #unreadable()}), its coordinates logged (never its bytes).
 *
 * <p>Not thread-safe: the scan and its consumer belong to one job thread.
 */
public final class DeadLetterScan {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterScan.class);

  /**
   * One dead letter and where it is in the dead-letter topic. Immutable (the letter is the
   * deserializer's, not copied).
   *
   * @param timestamp the record's timestamp, epoch milliseconds
   */
  public record Entry(int partition, long offset, long timestamp, DeadLetter letter) {
    /** {@code partition/offset} in the dead-letter topic. */
    public String coordinates() {
      return partition + "/" + offset;
    }
  }

  /**
   * The offsets to scan, per partition: {@code [from, to)}; both maps have the same partitions.
   * Immutable once made by {@link #capture}.
   */
  public record Range(Map<Integer, Long> from, Map<Integer, Long> to) {
    /** The number of offsets in the range (records, transaction markers included). */
    public long size() {
      long n = 0;
      for (var e : to.entrySet()) {
        n += Math.max(0, e.getValue() - from.get(e.getKey()));
      }
      return n;
    }
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final Deserializer<DeadLetter> deserializer;
  private long unreadable;

  /**
   * A scan of {@code topic} with {@code consumer}, which should be a read_committed consumer
   * without group id and auto-commit; the scan assigns and seeks it, and unsubscribes it when done.
   */
  public DeadLetterScan(
      KafkaConsumer<byte[], byte[]> consumer, String topic, Deserializer<DeadLetter> deserializer) {
    this.consumer = Objects.requireNonNull(consumer);
    this.topic = Objects.requireNonNull(topic);
    this.deserializer = Objects.requireNonNull(deserializer);
  }

  /**
   * The range from the first record written at or after {@code from} (or the log start) to the end
   * offset now. A dead letter is written after it failed, so none with {@code failedAt >= from} is
   * before the start.
   *
   * @param from null for the log start
   */
  public Range capture(SortedSet<Integer> partitions, Instant from) {
    List<TopicPartition> all = partitions.stream().map(p -> new TopicPartition(topic, p)).toList();
    Map<Integer, Long> start = new LinkedHashMap<>();
    Map<Integer, Long> end = new LinkedHashMap<>();
    consumer.beginningOffsets(all).forEach((tp, o) -> start.put(tp.partition(), o));
    consumer.endOffsets(all).forEach((tp, o) -> end.put(tp.partition(), o));
    if (from != null) {
      Map<TopicPartition, Long> query = new HashMap<>();
      all.forEach(tp -> query.put(tp, from.toEpochMilli()));
      for (Map.Entry<TopicPartition, OffsetAndTimestamp> e :
          consumer.offsetsForTimes(query).entrySet()) {
        int p = e.getKey().partition();
        start.put(
            p,
            e.getValue() == null
                ? end.get(p)
                : Math.min(Math.max(start.get(p), e.getValue().offset()), end.get(p)));
      }
    }
    return new Range(start, end);
  }

  /** Records in the range that are not dead letters this version can read (skipped, logged). */
  public long unreadable() {
    return unreadable;
  }

  /**
   * Scans the range; {@code sink} returns false to stop early.
   *
   * @param onProgress called with the records read so far after every poll
   */
  public void scan(
      Range range, DeadLetterFilter filter, Predicate<Entry> sink, LongConsumer onProgress) {
    unreadable = 0;
    Map<TopicPartition, Long> active = new LinkedHashMap<>();
    range
        .to()
        .forEach(
            (p, to) -> {
              if (to > range.from().get(p)) {
                active.put(new TopicPartition(topic, p), to);
              }
            });
    consumer.unsubscribe();
    consumer.assign(active.keySet());
    active.forEach((tp, to) -> consumer.seek(tp, range.from().get(tp.partition())));
    long read = 0;
    boolean stop = false;
    while (!active.isEmpty() && !stop) {
      ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
      for (TopicPartition tp : records.partitions()) {
        Long to = active.get(tp);
        if (to == null) {
          continue;
        }
        for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
          if (r.offset() >= to || stop) {
            break;
          }
          read++;
          DeadLetter letter;
          try {
            letter = deserializer.deserialize(r.topic(), r.headers(), r.value());
          } catch (RuntimeException e) {
            unreadable++;
            LOG.warn(
                "Dead-letter topic {} partition {} offset {} is not a readable DeadLetter: {}",
                topic,
                r.partition(),
                r.offset(),
                e.getClass().getSimpleName());
            continue;
          }
          if (letter != null
              && filter.matches(letter)
              && !sink.test(new Entry(r.partition(), r.offset(), r.timestamp(), letter))) {
            stop = true;
          }
        }
      }
      List<TopicPartition> finished = new ArrayList<>();
      active.forEach(
          (tp, to) -> {
            if (consumer.position(tp) >= to) {
              finished.add(tp);
            }
          });
      finished.forEach(active::remove);
      consumer.pause(finished);
      onProgress.accept(read);
    }
    consumer.unsubscribe();
  }
}
