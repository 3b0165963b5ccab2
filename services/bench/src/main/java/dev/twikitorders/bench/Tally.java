package dev.twikitorders.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The verification core of one round, free of Kafka so that it is unit-tested: what lines are
 * expected, what the {@code read_committed} consumer saw, and the verdict.
 *
 * <p>A line is identified by the {@code idempotency-key} header ({@code <eventId>:<lineId>}) and
 * must arrive exactly once on each output topic, keyed by its order id. Per output topic and order
 * key, records must arrive in input order: event sequence, then line position, strictly increasing.
 * A line is complete when both its ERP and its fulfillment records were seen; its latency is then
 * the later of the two sightings minus the event's {@code occurredAt} (its produce time).
 *
 * <p>Thread-safe (all methods synchronized): the consumer thread records, the main thread reads.
 */
public final class Tally {
  /** The output topic a record was read from. */
  public enum Output {
    ERP,
    FULFILLMENT,
    DEAD_LETTER
  }

  private static final class Line {
    final String orderId;
    final long position; // event sequence * 16 + line index: the per-order input order
    final boolean measured;
    long producedAt = -1;
    long seenErp = -1;
    long seenFulfillment = -1;

    Line(String orderId, long position, boolean measured) {
      this.orderId = orderId;
      this.position = position;
      this.measured = measured;
    }
  }

  /** The verdict and the measurements of the measured lines. */
  public record Summary(
      long expectedLines,
      long measuredLines,
      long complete,
      long measuredComplete,
      long missingErp,
      long missingFulfillment,
      long duplicates,
      long unknown,
      long orderViolations,
      long deadLetters,
      long firstProducedAt,
      long lastCompleteAt,
      Percentiles latency) {

    /**
     * Conservation and ordering hold: nothing missing, duplicated, unknown, misordered or
     * dead-lettered.
     */
    public boolean correct() {
      return missingErp == 0
          && missingFulfillment == 0
          && duplicates == 0
          && unknown == 0
          && orderViolations == 0
          && deadLetters == 0;
    }

    /** Why {@link #correct()} is false, for the loud failure message. */
    public String problems() {
      List<String> p = new ArrayList<>();
      if (missingErp > 0) p.add(missingErp + " lines missing on the ERP topic");
      if (missingFulfillment > 0)
        p.add(missingFulfillment + " lines missing on the fulfillment topic");
      if (duplicates > 0) p.add(duplicates + " duplicate records");
      if (unknown > 0)
        p.add(unknown + " unexpected records (unknown idempotency key or wrong record key)");
      if (orderViolations > 0) p.add(orderViolations + " per-order ordering violations");
      if (deadLetters > 0) p.add(deadLetters + " dead letters (the workload has no bad lines)");
      return p.isEmpty() ? "none" : String.join("; ", p);
    }
  }

  private final Map<String, Line> lines = new HashMap<>();
  private final Map<String, Long> lastErp = new HashMap<>();
  private final Map<String, Long> lastFulfillment = new HashMap<>();
  private final List<Long> latencies = new ArrayList<>();
  private long measuredLines;
  private long complete;
  private long measuredComplete;
  private long duplicates;
  private long unknown;
  private long orderViolations;
  private long deadLetters;
  private long firstProducedAt = -1;
  private long lastCompleteAt = -1;

  /**
   * Registers the lines of {@code workload}; {@code measured} lines count towards rates and
   * latencies.
   */
  public synchronized void expect(Workload workload, boolean measured) {
    for (Workload.Order o : workload.orders()) {
      for (int i = 0; i < o.lines(); i++) {
        String key = o.eventId() + ":" + o.lineIds().get(i);
        if (lines.put(key, new Line(o.orderId(), (long) o.seq() * 16 + i, measured)) != null) {
          throw new IllegalArgumentException("line expected twice: " + key);
        }
        if (measured) {
          measuredLines++;
        }
      }
    }
  }

  /**
   * The event of {@code order} was handed to the producer at {@code at} (epoch ms = its
   * occurredAt).
   */
  public synchronized void produced(Workload.Order order, long at) {
    for (String lineId : order.lineIds()) {
      Line line = lines.get(order.eventId() + ":" + lineId);
      if (line != null) {
        line.producedAt = at;
        if (line.measured && (firstProducedAt < 0 || at < firstProducedAt)) {
          firstProducedAt = at;
        }
      }
    }
  }

  /** One record read back at {@code seenAt} (epoch ms). */
  public synchronized void record(Output output, String key, String idempotencyKey, long seenAt) {
    if (output == Output.DEAD_LETTER) {
      deadLetters++;
      return;
    }
    Line line = idempotencyKey == null ? null : lines.get(idempotencyKey);
    if (line == null || key == null || !key.equals(line.orderId)) {
      unknown++;
      return;
    }
    Map<String, Long> last = output == Output.ERP ? lastErp : lastFulfillment;
    Long previous = last.get(key);
    if (previous != null && line.position < previous) {
      orderViolations++;
    }
    if (previous == null || line.position > previous) {
      last.put(key, line.position);
    }
    if (output == Output.ERP) {
      if (line.seenErp >= 0) {
        duplicates++;
        return;
      }
      line.seenErp = seenAt;
    } else {
      if (line.seenFulfillment >= 0) {
        duplicates++;
        return;
      }
      line.seenFulfillment = seenAt;
    }
    if (line.seenErp >= 0 && line.seenFulfillment >= 0) {
      complete++;
      if (line.measured) {
        measuredComplete++;
        lastCompleteAt = Math.max(lastCompleteAt, seenAt);
        if (line.producedAt >= 0) {
          latencies.add(
              Math.max(0, Math.max(line.seenErp, line.seenFulfillment) - line.producedAt));
        }
      }
    }
  }

  public synchronized long complete() {
    return complete;
  }

  public synchronized long expectedLines() {
    return lines.size();
  }

  public synchronized Summary summary() {
    long missingErp = 0;
    long missingFulfillment = 0;
    for (Line l : lines.values()) {
      if (l.seenErp < 0) missingErp++;
      if (l.seenFulfillment < 0) missingFulfillment++;
    }
    long[] lat = latencies.stream().mapToLong(Long::longValue).toArray();
    return new Summary(
        lines.size(),
        measuredLines,
        complete,
        measuredComplete,
        missingErp,
        missingFulfillment,
        duplicates,
        unknown,
        orderViolations,
        deadLetters,
        firstProducedAt,
        lastCompleteAt,
        Percentiles.of(lat));
  }
}
