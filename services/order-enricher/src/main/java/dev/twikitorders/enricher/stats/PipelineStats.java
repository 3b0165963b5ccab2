package dev.twikitorders.enricher.stats;

import dev.twikitorders.ops.RecentRows;
import dev.twikitorders.schemas.DeadLetter;
import dev.twikitorders.schemas.ErrorType;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * Counters of what the processors did, for progress displays and metrics. Counts what was
 * forwarded, including forwards of transactions that were later aborted: the committed truth is in
 * the output topics (read them with read_committed).
 *
 * <p>Thread-safe.
 */
public final class PipelineStats {
  private final RecentRows recent = new RecentRows(RECENT_DEAD_LETTERS);
  private final AtomicLong eventsRead = new AtomicLong();
  private final AtomicLong linesEnriched = new AtomicLong();
  private final AtomicLong linesCancelled = new AtomicLong();
  private final AtomicLong pendingEvents = new AtomicLong();
  private final AtomicLong restoredEvents = new AtomicLong();
  private final AtomicLongArray deadLetters = new AtomicLongArray(ErrorType.values().length);
  private final AtomicLong parkedEvents = new AtomicLong();
  private final Map<String, Long> oldestByTask = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> failedAttempts = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> outputs = new ConcurrentHashMap<>();
  private volatile Consumer<Duration> endToEnd = d -> {};

  public void eventRead() {
    eventsRead.incrementAndGet();
  }

  public void lineEnriched() {
    linesEnriched.incrementAndGet();
  }

  public void lineCancelled() {
    linesCancelled.incrementAndGet();
  }

  /**
   * A dead letter was emitted: counted by type and kept among the last {@value
   * #RECENT_DEAD_LETTERS} for the status page (time, type, order, line, configuration, message;
   * never bytes, and messages never hold secrets).
   */
  public void deadLettered(DeadLetter letter) {
    deadLettered(letter.getErrorType());
    String message = letter.getMessage();
    recent.add(
        Arrays.asList(
            String.valueOf(letter.getFailedAt()),
            letter.getErrorType().name(),
            dash(letter.getOrderId()),
            dash(letter.getLineId()),
            dash(letter.getConfigurationId()),
            message.length() > 300 ? message.substring(0, 300) + "..." : message));
  }

  private static String dash(String s) {
    return s == null ? "-" : s;
  }

  /** How many dead letters {@link #recentDeadLetters()} keeps. */
  public static final int RECENT_DEAD_LETTERS = 20;

  /** The columns of {@link #recentDeadLetters()}. */
  public static final List<String> RECENT_COLUMNS =
      List.of("time", "type", "order id", "line id", "configuration id", "message");

  /** The last dead letters emitted, newest first ({@link #RECENT_COLUMNS}). */
  public List<List<String>> recentDeadLetters() {
    return recent.rows();
  }

  public void deadLettered(ErrorType type) {
    deadLetters.incrementAndGet(type.ordinal());
  }

  public void pendingDelta(long delta) {
    pendingEvents.addAndGet(delta);
  }

  /** Events admitted but not started: their task's partition is held at the source. */
  public void parkedDelta(long delta) {
    parkedEvents.addAndGet(delta);
  }

  /**
   * When the oldest event still pending in {@code task} was admitted (epoch millis), or {@link
   * Long#MAX_VALUE} when none is.
   */
  public void taskOldest(String task, long admittedAtMillis) {
    if (admittedAtMillis == Long.MAX_VALUE) {
      oldestByTask.remove(task);
    } else {
      oldestByTask.put(task, admittedAtMillis);
    }
  }

  /** One failed Twikit call attempt that will be retried, by failure kind (e.g. UNAVAILABLE). */
  public void callFailed(String kind) {
    failedAttempts.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
  }

  /** One output record forwarded to the sink of {@code role} (an output role name, e.g. ERP). */
  public void outputWritten(String role) {
    outputs.computeIfAbsent(role, k -> new AtomicLong()).incrementAndGet();
  }

  /** Output records forwarded to the sink of {@code role} since start. */
  public long outputsWritten(String role) {
    AtomicLong n = outputs.get(role);
    return n == null ? 0 : n.get();
  }

  /**
   * The outputs of an event were emitted {@code latency} after its event time ({@code occurredAt});
   * passed on to the listener set by {@link #onEndToEnd}.
   */
  public void emitted(Duration latency) {
    endToEnd.accept(latency);
  }

  /**
   * Where {@link #emitted} reports go (the metrics endpoint's timer); replaces the previous
   * listener. The listener must be thread-safe and fast: it runs on the stream threads.
   */
  public void onEndToEnd(Consumer<Duration> listener) {
    endToEnd = Objects.requireNonNull(listener, "listener");
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

  /** Events admitted but not started yet (their calls wait for a free slot or a pause to end). */
  public long parkedEvents() {
    return parkedEvents.get();
  }

  /** When the oldest pending event of this instance was admitted, if any is pending. */
  public Optional<Instant> oldestPendingSince() {
    return oldestByTask.values().stream().min(Long::compare).map(Instant::ofEpochMilli);
  }

  /** Failed Twikit call attempts that were retried, by failure kind, since start. */
  public Map<String, Long> failedAttempts() {
    Map<String, Long> m = new TreeMap<>();
    failedAttempts.forEach((k, v) -> m.put(k, v.get()));
    return m;
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
