package dev.twikitorders.enricher.stats;

import dev.twikitorders.schemas.ErrorType;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters of what the processors did, for progress displays and metrics. Counts what was
 * forwarded, including forwards of transactions that were later aborted: the committed truth is in
 * the output topics (read them with read_committed).
 *
 * <p>Thread-safe.
 */
public final class PipelineStats {
  private final AtomicLong eventsRead = new AtomicLong();
  private final AtomicLong linesEnriched = new AtomicLong();
  private final AtomicLong linesCancelled = new AtomicLong();
  private final AtomicLong pendingEvents = new AtomicLong();
  private final AtomicLong restoredEvents = new AtomicLong();
  private final AtomicLongArray deadLetters = new AtomicLongArray(ErrorType.values().length);

  public void eventRead() {
    eventsRead.incrementAndGet();
  }

  public void lineEnriched() {
    linesEnriched.incrementAndGet();
  }

  public void lineCancelled() {
    linesCancelled.incrementAndGet();
  }

  public void deadLettered(ErrorType type) {
    deadLetters.incrementAndGet(type.ordinal());
  }

  public void pendingDelta(long delta) {
    pendingEvents.addAndGet(delta);
  }

  public void restored() {
    restoredEvents.incrementAndGet();
  }

  public long eventsRead() {
    return eventsRead.get();
  }

  public long linesEnriched() {
    return linesEnriched.get();
  }

  public long linesCancelled() {
    return linesCancelled.get();
  }

  /** Events admitted but not yet emitted, over all tasks of this instance. */
  public long pendingEvents() {
    return pendingEvents.get();
  }

  /** Pending events re-issued after a restore (crash, restart or rebalance). */
  public long restoredEvents() {
    return restoredEvents.get();
  }

  public Map<ErrorType, Long> deadLetters() {
    Map<ErrorType, Long> m = new EnumMap<>(ErrorType.class);
    for (ErrorType t : ErrorType.values()) {
      long n = deadLetters.get(t.ordinal());
      if (n > 0) {
        m.put(t, n);
      }
    }
    return m;
  }

  public long deadLettersTotal() {
    long n = 0;
    for (int i = 0; i < deadLetters.length(); i++) {
      n += deadLetters.get(i);
    }
    return n;
  }
}
