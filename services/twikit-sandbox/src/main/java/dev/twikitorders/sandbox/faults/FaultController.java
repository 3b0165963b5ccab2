package dev.twikitorders.sandbox.faults;

import dev.twikitorders.sandbox.api.Operation;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The live fault state of a sandbox: the current {@link Faults} plus the deterministic "next N
 * requests" controls, the per-request decision, and the server model ({@link Admission}: capacity
 * and rate limit), which follows every change of the faults.
 *
 * <p>Thread-safe: the faults are one atomic reference; the counters of {@code failNext} and {@code
 * hangNext} are decremented atomically, so exactly N requests are affected under concurrency.
 * Changes of the faults are serialised, so the admission always ends with the last value.
 */
public final class FaultController {

  /** What to do with one API request. */
  public record Decision(
      long delayMs,
      int failStatus,
      boolean hang,
      long hangMs,
      boolean malformed,
      long retryAfterSeconds) {
    /** Serve the request at once, normally. */
    public static final Decision NONE = new Decision(0, 0, false, 0, false, 0);
  }

  /** A "next N requests" control. */
  private record Countdown(AtomicInteger remaining, int status, Set<Operation> operations) {
    boolean appliesTo(Operation op) {
      return operations.isEmpty() ? op != Operation.STATUS : operations.contains(op);
    }

    boolean take(Operation op) {
      if (!appliesTo(op)) {
        return false;
      }
      return remaining.getAndUpdate(r -> r > 0 ? r - 1 : r) > 0;
    }
  }

  private final Faults initial;
  private final AtomicReference<Faults> faults;
  private final Admission admission;
  private volatile Countdown failNext;
  private volatile Countdown hangNext;

  /**
   * @param initial the faults to start with and to return to on {@link #reset()}
   * @param admission the server model; configured from {@code initial} now and from every change
   */
  public FaultController(Faults initial, Admission admission) {
    this.initial = Objects.requireNonNull(initial);
    this.faults = new AtomicReference<>(initial);
    this.admission = Objects.requireNonNull(admission, "admission");
    admission.configure(initial.capacity(), initial.rateLimit());
  }

  /** The current faults. */
  public Faults current() {
    return faults.get();
  }

  /** The server model (capacity and rate limit of the current faults). */
  public Admission admission() {
    return admission;
  }

  /** Replaces the faults. */
  public synchronized void set(Faults f) {
    faults.set(Objects.requireNonNull(f));
    admission.configure(f.capacity(), f.rateLimit());
  }

  /** Atomically updates the faults and returns the new value. */
  public synchronized Faults update(UnaryOperator<Faults> change) {
    Faults f = faults.updateAndGet(change);
    admission.configure(f.capacity(), f.rateLimit());
    return f;
  }

  /** Back to the initial faults; clears {@code failNext} and {@code hangNext}. */
  public synchronized void reset() {
    faults.set(initial);
    admission.configure(initial.capacity(), initial.rateLimit());
    failNext = null;
    hangNext = null;
  }

  /**
   * The next {@code count} requests to {@code ops} (empty = all but STATUS) answer {@code status}.
   */
  public void failNext(int count, int status, Set<Operation> ops) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative");
    }
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be 4xx or 5xx: " + status);
    }
    failNext = new Countdown(new AtomicInteger(count), status, copy(ops));
  }

  /** The next {@code count} requests to {@code ops} hang (as configured by {@code hangFor}). */
  public void hangNext(int count, Set<Operation> ops) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative");
    }
    hangNext = new Countdown(new AtomicInteger(count), 0, copy(ops));
  }

  /** Requests still to fail by {@code failNext}, and with which status (0 when none). */
  public Map<String, Object> pending() {
    Countdown f = failNext;
    Countdown h = hangNext;
    return Map.of(
        "failNextRemaining", f == null ? 0 : Math.max(0, f.remaining.get()),
        "failNextStatus", f == null ? 0 : f.status,
        "hangNextRemaining", h == null ? 0 : Math.max(0, h.remaining.get()));
  }

  /** Decides the fate of one request. Cheap when no fault is configured. */
  public Decision decide(Operation op) {
    Faults f = faults.get();
    Countdown fail = failNext;
    Countdown hang = hangNext;
    if (fail == null && hang == null && !f.affectsApi()) {
      return Decision.NONE;
    }
    boolean applies = f.appliesTo(op);
    long delay = 0;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (applies) {
      delay = f.latency().toMillis();
      long spread = f.latencySpread().toMillis();
      if (spread > 0) {
        delay += random.nextLong(spread + 1);
      }
    }
    long retryAfter = f.retryAfter().toSeconds();
    if (fail != null && fail.take(op)) {
      return new Decision(delay, fail.status, false, 0, false, retryAfter);
    }
    if (hang != null && hang.take(op)) {
      return new Decision(delay, 0, true, f.hangFor().toMillis(), false, retryAfter);
    }
    if (!applies) {
      return delay == 0 ? Decision.NONE : new Decision(delay, 0, false, 0, false, 0);
    }
    if (!f.errorRates().isEmpty()) {
      double r = random.nextDouble();
      double acc = 0;
      for (Map.Entry<Integer, Double> e : f.errorRates().entrySet()) {
        acc += e.getValue();
        if (r < acc) {
          return new Decision(delay, e.getKey(), false, 0, false, retryAfter);
        }
      }
    }
    if (f.hangRate() > 0 && random.nextDouble() < f.hangRate()) {
      return new Decision(delay, 0, true, f.hangFor().toMillis(), false, retryAfter);
    }
    boolean malformed = f.malformedRate() > 0 && random.nextDouble() < f.malformedRate();
    return new Decision(delay, 0, false, 0, malformed, retryAfter);
  }

  /** The token lifetime to use now. */
  public Duration tokenTtl(Duration configured) {
    Duration ttl = faults.get().tokenTtl();
    return ttl == null ? configured : ttl;
  }

  private static Set<Operation> copy(Set<Operation> ops) {
    return ops == null || ops.isEmpty() ? Set.of() : EnumSet.copyOf(ops);
  }
}
