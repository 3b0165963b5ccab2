package dev.twikitorders.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The soak's verification core, free of Kafka so that it is unit-tested: what every input must
 * produce, what the {@code read_committed} consumer saw, and the verdict.
 *
 * <p>Every expected outcome is identified by the {@code idempotency-key} header of its records:
 * {@code <eventId>:<lineId>} for a line, the event id for an invalid event, {@code
 * topic/partition/offset} for an unreadable record. Conservation: a configured line of an {@code
 * ORDER_PLACED} event gives one ERP and one fulfillment record or one dead letter (a line whose
 * configuration the sandbox does not know or finds incompatible: one dead letter); a line of an
 * {@code ORDER_CANCELLED} event one {@code CANCELLED} record on each output; an unreadable or
 * invalid event one dead letter. Per output topic and order key, records arrive in input order
 * (event sequence, then line position).
 *
 * <p>It also keeps the record timestamp (the pipeline's emit time) and the moment each record was
 * read, for the gaps and the recovery times of the report.
 *
 * <p>Thread-safe (all methods synchronized): the consumer thread and the producer's callbacks
 * record, the main thread reads.
 */
final class SoakTally {
  /** What one expected outcome should be. */
  enum Expect {
    /** A configured line the sandbox serves: ERP + fulfillment (a dead letter is tolerated). */
    ENRICHED,
    /** A configured line whose configuration is unknown or incompatible: one dead letter. */
    DEAD_LETTER,
    /** A configured line of a cancellation: one CANCELLED record on each output. */
    CANCELLED,
    /** An unreadable or invalid event: one dead letter. */
    EVENT_DEAD_LETTER
  }

  /** The output topic a record was read from. */
  enum Output {
    ERP,
    FULFILLMENT,
    DEAD_LETTER
  }

  private static final int EXAMPLES = 5;

  private static final class Line {
    Expect expect; // null: seen but never expected
    String orderId;
    long position;
    final int[] seen = new int[3];
    String reason;
    boolean done;
  }

  /** What went wrong, with a few idempotency keys of each kind. */
  record Verdict(
      long expected,
      long lost,
      long duplicates,
      long conflicting,
      long wrongOutcome,
      long unknown,
      long orderViolations,
      Map<String, Long> deadLetteredInsteadOfEnriched,
      Map<String, List<String>> examples) {

    /** No loss, duplicate, conflict, wrong outcome, unknown record or reordering. */
    boolean ok() {
      return lost == 0
          && duplicates == 0
          && conflicting == 0
          && wrongOutcome == 0
          && unknown == 0
          && orderViolations == 0;
    }

    /** One line per problem, naming a few keys; empty when {@link #ok()}. */
    List<String> problems() {
      List<String> p = new ArrayList<>();
      add(p, lost, "LOST (missing on one or both outputs, no dead letter)", "lost");
      add(
          p,
          duplicates,
          "DUPLICATE records (same idempotency key twice on one topic)",
          "duplicate");
      add(p, conflicting, "CONFLICTING: both enriched records and a dead letter", "conflicting");
      add(p, wrongOutcome, "WRONG OUTCOME (e.g. an unknown configuration enriched)", "wrong");
      add(p, unknown, "UNKNOWN records (idempotency key never produced, or wrong key)", "unknown");
      add(p, orderViolations, "REORDERED records (per-order input order broken)", "reordered");
      return p;
    }

    private void add(List<String> p, long n, String what, String kind) {
      if (n > 0) {
        p.add(n + " " + what + ", e.g. " + examples.getOrDefault(kind, List.of()));
      }
    }
  }

  private final Map<String, Line> lines = new HashMap<>();
  private final List<Map<String, Long>> last =
      List.of(new HashMap<>(), new HashMap<>(), new HashMap<>());
  private final long[] records = new long[3];
  private final Map<String, Long> deadLettersByReason = new TreeMap<>();
  private final Map<Expect, Long> expectedByKind = new TreeMap<>();
  private final List<String> orderExamples = new ArrayList<>();
  private long expected;
  private long done;
  private long orderViolations;
  private long[] timestamps = new long[1 << 16];
  private long[] readTimes = new long[1 << 16];
  private int count;

  /** {@code idempotencyKey} must give {@code expect}; its records are keyed by {@code orderId}. */
  synchronized void expect(String idempotencyKey, String orderId, long position, Expect expect) {
    Line line = lines.computeIfAbsent(idempotencyKey, k -> new Line());
    if (line.expect != null) {
      throw new IllegalArgumentException("expected twice: " + idempotencyKey);
    }
    line.expect = expect;
    line.orderId = orderId;
    line.position = position;
    expected++;
    expectedByKind.merge(expect, 1L, Long::sum);
    settle(line); // an unreadable record's dead letter may be read before its send is acknowledged
  }

  /**
   * One record: read from {@code output} at {@code readAt}, with record key {@code key}, header
   * {@code idempotencyKey}, record timestamp {@code timestamp} and, for dead letters, its {@code
   * errorType}.
   */
  synchronized void record(
      Output output,
      String key,
      String idempotencyKey,
      String errorType,
      long timestamp,
      long readAt) {
    records[output.ordinal()]++;
    if (output == Output.DEAD_LETTER) {
      deadLettersByReason.merge(errorType == null ? "?" : errorType, 1L, Long::sum);
    }
    if (count == timestamps.length) {
      timestamps = Arrays.copyOf(timestamps, count * 2);
      readTimes = Arrays.copyOf(readTimes, count * 2);
    }
    timestamps[count] = timestamp;
    readTimes[count] = readAt;
    count++;
    Line line =
        lines.computeIfAbsent(idempotencyKey == null ? "(none)" : idempotencyKey, k -> new Line());
    line.seen[output.ordinal()]++;
    if (output == Output.DEAD_LETTER) {
      line.reason = errorType;
    }
    if (line.expect != null && line.expect != Expect.EVENT_DEAD_LETTER && key != null) {
      if (!key.equals(line.orderId)) {
        line.orderId = null; // a wrong key: counted as unknown in the verdict
      } else {
        Map<String, Long> seenLast = last.get(output.ordinal());
        Long previous = seenLast.get(key);
        if (previous != null && line.position < previous) {
          orderViolations++;
          if (orderExamples.size() < EXAMPLES) {
            orderExamples.add(output + " " + idempotencyKey + " after position " + previous);
          }
        } else {
          seenLast.put(key, line.position);
        }
      }
    }
    settle(line);
  }

  private void settle(Line line) {
    if (line.done || line.expect == null) {
      return;
    }
    boolean enriched = line.seen[0] > 0 && line.seen[1] > 0;
    boolean dead = line.seen[2] > 0;
    line.done =
        switch (line.expect) {
          case ENRICHED, DEAD_LETTER -> enriched || dead;
          case CANCELLED -> enriched;
          case EVENT_DEAD_LETTER -> dead;
        };
    if (line.done) {
      done++;
    }
  }

  /** Expected outcomes registered so far. */
  synchronized long expected() {
    return expected;
  }

  /** Expected outcomes that have all their records (possibly more: see the verdict). */
  synchronized long done() {
    return done;
  }

  /** Records read per output. */
  synchronized long records(Output output) {
    return records[output.ordinal()];
  }

  synchronized Map<String, Long> deadLettersByReason() {
    return new LinkedHashMap<>(deadLettersByReason);
  }

  synchronized Map<Expect, Long> expectedByKind() {
    return new LinkedHashMap<>(expectedByKind);
  }

  /** The verdict over everything read so far. */
  synchronized Verdict verdict() {
    long lost = 0;
    long duplicates = 0;
    long conflicting = 0;
    long wrong = 0;
    long unknown = 0;
    Map<String, Long> insteadOfEnriched = new TreeMap<>();
    Map<String, List<String>> examples = new LinkedHashMap<>();
    for (Map.Entry<String, Line> e : lines.entrySet()) {
      Line l = e.getValue();
      String key = e.getKey();
      int erp = l.seen[0];
      int ful = l.seen[1];
      int dlq = l.seen[2];
      if (l.expect == null || l.orderId == null && l.expect != Expect.EVENT_DEAD_LETTER) {
        unknown += erp + ful + dlq;
        example(examples, "unknown", key);
        continue;
      }
      long dup = Math.max(0, erp - 1) + Math.max(0, ful - 1) + Math.max(0, dlq - 1);
      if (dup > 0) {
        duplicates += dup;
        example(
            examples,
            "duplicate",
            key + " (erp " + erp + ", fulfillment " + ful + ", dlq " + dlq + ")");
      }
      boolean enriched = erp > 0 && ful > 0;
      boolean dead = dlq > 0;
      if ((erp > 0 || ful > 0) && dead) {
        conflicting++;
        example(examples, "conflicting", key);
        continue;
      }
      boolean ok =
          switch (l.expect) {
            case ENRICHED -> enriched || dead;
            case DEAD_LETTER, EVENT_DEAD_LETTER -> dead;
            case CANCELLED -> enriched;
          };
      if (ok) {
        if (l.expect == Expect.ENRICHED && dead) {
          insteadOfEnriched.merge(String.valueOf(l.reason), 1L, Long::sum);
          example(examples, "dead-lettered", key + " " + l.reason);
        }
        continue;
      }
      if (erp == 0 && ful == 0 && dlq == 0
          || (erp > 0) != (ful > 0) && l.expect != Expect.EVENT_DEAD_LETTER) {
        lost++;
        example(
            examples,
            "lost",
            key + (erp + ful == 0 ? "" : erp > 0 ? " (no fulfillment)" : " (no ERP)"));
      } else {
        wrong++;
        example(examples, "wrong", key + " expected " + l.expect);
      }
    }
    examples.put("reordered", List.copyOf(orderExamples));
    return new Verdict(
        expected,
        lost,
        duplicates,
        conflicting,
        wrong,
        unknown,
        orderViolations,
        insteadOfEnriched,
        examples);
  }

  private static void example(Map<String, List<String>> examples, String kind, String what) {
    List<String> list = examples.computeIfAbsent(kind, k -> new ArrayList<>());
    if (list.size() < EXAMPLES) {
      list.add(what);
    }
  }

  /** The longest gap between consecutive output records and where it starts. */
  record Gap(long millis, long from, long to) {}

  /**
   * The longest gap between consecutive records within {@code [from, to]} (epoch ms), by record
   * timestamp or by the moment the consumer read them; the bounds count as records, so a silent
   * start or end shows too.
   */
  synchronized Gap longestGap(boolean byTimestamp, long from, long to) {
    long[] times = Arrays.copyOf(byTimestamp ? timestamps : readTimes, count);
    Arrays.sort(times);
    long previous = from;
    Gap best = new Gap(0, from, from);
    for (long t : times) {
      if (t < from || t > to) {
        continue;
      }
      if (t - previous > best.millis()) {
        best = new Gap(t - previous, previous, t);
      }
      previous = t;
    }
    if (to - previous > best.millis()) {
      best = new Gap(to - previous, previous, to);
    }
    return best;
  }

  /**
   * The first record emitted at or after {@code since} (by its timestamp): its timestamp and the
   * moment it was read, or null when there is none.
   */
  synchronized long[] firstEmittedSince(long since) {
    long bestTs = Long.MAX_VALUE;
    long bestRead = -1;
    long firstRead = Long.MAX_VALUE;
    for (int i = 0; i < count; i++) {
      if (timestamps[i] >= since) {
        if (timestamps[i] < bestTs) {
          bestTs = timestamps[i];
          bestRead = readTimes[i];
        }
        firstRead = Math.min(firstRead, readTimes[i]);
      }
    }
    return bestRead < 0 ? null : new long[] {bestTs, firstRead};
  }
}
