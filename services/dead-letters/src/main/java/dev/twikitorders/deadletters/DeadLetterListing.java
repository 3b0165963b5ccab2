package dev.twikitorders.deadletters;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twikitorders.schemas.DeadLetter;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The result of {@code dlq list}: the dead letters matching a filter, at most a limit, in offset
 * order per partition, and what the scan read. {@link #print} writes it as a table, {@link
 * #printJson} as one JSON document (for scripts); neither ever holds the stored key or value bytes.
 *
 * <p>Immutable (the entries' letters are the deserializer's, not copied).
 *
 * @param entries the dead letters listed
 * @param limitReached whether more dead letters may match than were listed
 * @param scanned the records read
 * @param unreadable the records skipped because they are not readable dead letters
 */
public record DeadLetterListing(
    List<DeadLetterScan.Entry> entries, boolean limitReached, long scanned, long unreadable) {

  public DeadLetterListing {
    entries = List.copyOf(entries);
  }

  /** Told how a listing goes, on the listing's thread. */
  public interface Listener {
    /** The scan is about to read a range of {@code records} offsets. */
    void started(long records);

    /** After every poll: {@code scanned} records read so far, {@code matched} listed so far. */
    void scanned(long scanned, int matched);
  }

  /**
   * Lists the dead letters of {@code topic} matching {@code filter}, at most {@code limit}, in
   * offset order per partition, from the first record written at or after the filter's {@code from}
   * (or the log start) to the end offsets when the scan starts. The partitions are {@code
   * consumer}'s {@link KafkaConsumer#partitionsFor(String)}.
   *
   * @param consumer a read_committed consumer without group id and auto-commit, and with {@code
   *     allow.auto.create.topics=false} (or the lookup of a missing topic may create it); it is
   *     assigned, sought and left unsubscribed, not closed
   * @param onProgress called with the records read so far after every poll
   * @throws DeadLetterUsageException when {@code limit} is below 1 ({@code --limit}) or the topic
   *     does not exist
   */
  public static DeadLetterListing list(
      KafkaConsumer<byte[], byte[]> consumer,
      String topic,
      Deserializer<DeadLetter> deserializer,
      DeadLetterFilter filter,
      int limit,
      LongConsumer onProgress) {
    Objects.requireNonNull(onProgress, "onProgress");
    checkLimit(limit);
    List<PartitionInfo> infos = consumer.partitionsFor(topic);
    if (infos == null || infos.isEmpty()) {
      throw new DeadLetterUsageException("topic '" + topic + "' does not exist");
    }
    SortedSet<Integer> partitions = new TreeSet<>();
    infos.forEach(p -> partitions.add(p.partition()));
    return list(
        consumer,
        topic,
        partitions,
        deserializer,
        filter,
        limit,
        new Listener() {
          @Override
          public void started(long records) {}

          @Override
          public void scanned(long scanned, int matched) {
            onProgress.accept(scanned);
          }
        });
  }

  /**
   * Lists as {@link #list(KafkaConsumer, String, Deserializer, DeadLetterFilter, int,
   * LongConsumer)} does, over the given {@code partitions} of {@code topic}.
   *
   * @throws DeadLetterUsageException when {@code limit} is below 1 ({@code --limit})
   */
  public static DeadLetterListing list(
      KafkaConsumer<byte[], byte[]> consumer,
      String topic,
      SortedSet<Integer> partitions,
      Deserializer<DeadLetter> deserializer,
      DeadLetterFilter filter,
      int limit,
      Listener listener) {
    checkLimit(limit);
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(listener, "listener");
    DeadLetterScan scan = new DeadLetterScan(consumer, topic, deserializer);
    DeadLetterScan.Range range = scan.capture(partitions, filter.from());
    List<DeadLetterScan.Entry> entries = new ArrayList<>();
    boolean[] limited = {false};
    long[] scanned = {0};
    listener.started(range.size());
    scan.scan(
        range,
        filter,
        e -> {
          if (entries.size() >= limit) {
            limited[0] = true;
            return false;
          }
          entries.add(e);
          return true;
        },
        n -> {
          scanned[0] = n;
          listener.scanned(n, entries.size());
        });
    return new DeadLetterListing(entries, limited[0], scanned[0], scan.unreadable());
  }

  /**
   * Checks a {@code --limit} of a listing, for a command to check before it connects.
   *
   * @throws DeadLetterUsageException when {@code limit} is below 1
   */
  public static void checkLimit(int limit) {
    if (limit < 1) {
      throw new DeadLetterUsageException("--limit must be at least 1, was " + limit);
    }
  }

  /** Prints one line per dead letter (never the key or value bytes) and a count. */
  public void print(PrintWriter out) {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "DLQ",
          "SOURCE",
          "ERROR_TYPE",
          "ATTEMPTS",
          "FAILED_AT",
          "EVENT_ID",
          "ORDER_ID",
          "LINE_ID",
          "CONFIGURATION_ID",
          "REPLAY_ID",
          "MESSAGE"
        });
    for (DeadLetterScan.Entry e : entries) {
      DeadLetter d = e.letter();
      rows.add(
          new String[] {
            e.coordinates(),
            d.getSourceTopic() + "/" + d.getSourcePartition() + "/" + d.getSourceOffset(),
            String.valueOf(d.getErrorType()),
            String.valueOf(d.getAttempts()),
            String.valueOf(d.getFailedAt()),
            dash(d.getEventId()),
            dash(d.getOrderId()),
            dash(d.getLineId()),
            dash(d.getConfigurationId()),
            dash(d.getReplayId()),
            oneLine(d.getMessage())
          });
    }
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length - 1; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
      }
      out.println(line.toString().stripTrailing());
    }
    out.printf(
        "%d dead letters listed%s (%d records scanned%s)%n",
        entries.size(),
        limitReached ? "; --limit reached, more may match" : "",
        scanned,
        unreadable == 0 ? "" : ", " + unreadable + " unreadable skipped");
    out.flush();
  }

  /**
   * The listing as a JSON document with stable field names (documented in docs/replay.md):
   *
   * <pre>{@code
   * {"deadLetters": [{"dlqPartition": 0, "dlqOffset": 5, "sourceTopic": "order-events",
   *   "sourcePartition": 1, "sourceOffset": 42, "errorType": "NOT_FOUND", "attempts": 3,
   *   "failedAt": "2025-03-01T00:00:00Z", "eventId": "e1", "orderId": "o1", "lineId": "l1",
   *   "configurationId": "c1", "replayId": null, "message": "no such configuration c1"}],
   *  "listed": 1, "limitReached": false, "scanned": 40, "unreadable": 0}
   * }</pre>
   *
   * <p>Every dead letter has all the fields above (absent ids are {@code null}), plus {@code
   * httpStatus} (number) and {@code idempotencyKey} when the letter has them (the delivery
   * service's). Never the stored key or value bytes, the exception class or the response excerpt.
   */
  public ObjectNode toJson() {
    ObjectNode doc = JsonNodeFactory.instance.objectNode();
    ArrayNode letters = doc.putArray("deadLetters");
    for (DeadLetterScan.Entry e : entries) {
      DeadLetter d = e.letter();
      ObjectNode n = letters.addObject();
      n.put("dlqPartition", e.partition());
      n.put("dlqOffset", e.offset());
      n.put("sourceTopic", d.getSourceTopic());
      n.put("sourcePartition", d.getSourcePartition());
      n.put("sourceOffset", d.getSourceOffset());
      n.put("errorType", String.valueOf(d.getErrorType()));
      n.put("attempts", d.getAttempts());
      n.put("failedAt", d.getFailedAt() == null ? null : d.getFailedAt().toString());
      n.put("eventId", d.getEventId());
      n.put("orderId", d.getOrderId());
      n.put("lineId", d.getLineId());
      n.put("configurationId", d.getConfigurationId());
      n.put("replayId", d.getReplayId());
      n.put("message", d.getMessage());
      if (d.getHttpStatus() != null) {
        n.put("httpStatus", d.getHttpStatus().intValue());
      }
      if (d.getIdempotencyKey() != null) {
        n.put("idempotencyKey", d.getIdempotencyKey());
      }
    }
    doc.put("listed", entries.size());
    doc.put("limitReached", limitReached);
    doc.put("scanned", scanned);
    doc.put("unreadable", unreadable);
    return doc;
  }

  /** Prints {@link #toJson()} on one line (Jackson's {@code JsonNode.toString()} is JSON). */
  public void printJson(PrintWriter out) {
    out.println(toJson().toString());
    out.flush();
  }

  private static String dash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }

  /** The message on one line, without control characters. */
  static String oneLine(String s) {
    if (s == null) {
      return "-";
    }
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
    return b.toString();
  }
}
