package dev.twikitorders.capacity;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Requests per second, for every caller of one client: {@link #acquire()} returns a future that
 * completes when the next request may go out.
 *
 * <p><b>Spacing</b>: a generic cell rate algorithm (a token bucket kept as one "theoretical arrival
 * time"): at rate {@code r} requests go out {@code 1/r} apart, with a burst of at most {@value
 * #BURST_MS} ms worth. Not resilience4j's rate limiter: that one is a fixed window that lets a
 * whole period's permits out at the start of each period, the burst a server's quota refuses, and
 * its waits block threads.
 *
 * <p><b>Adapting to 429</b>: the rate starts at the configured maximum (unlimited when none). A
 * {@link #onRateLimited(Duration)} (the server answered 429) lowers it for every caller, at most
 * once per second, to 90 % of the larger of the rate the server accepted over the last second and
 * half the rate sent (so a quota the client was not told is found in one step, a burst that was
 * refused does not count, and a 429 right after a lull does not cut to almost nothing); when the
 * server asked to wait longer than one second ({@code Retry-After}), every caller also waits until
 * then. Each second without a 429 raises the rate by 1 % (at least 1 request/s) up to the
 * configured maximum, so it creeps back towards the quota and finds it again if it changed; while
 * it is below 80 % of the quota last measured (the accepted rate at a 429 that came while the
 * callers kept the server busy), by 10 % a second. Averaged over a cycle the client uses about 95 %
 * of an unknown quota, and only the excess of one creeping second is refused.
 *
 * <p>Thread-safety: thread-safe; guarded by the instance monitor. Delayed grants run on {@code
 * scheduler}; nothing blocks a thread.
 */
public final class RateGate {

  /** Burst allowance: how far ahead of the even spacing requests may go, in milliseconds. */
  static final long BURST_MS = 20;

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final int BUCKETS = 10; // accepted responses, per tenth of a second

  private final double maxRate; // requests/s; infinite = no configured maximum
  private final ScheduledExecutorService scheduler;
  private final LongSupplier nanoClock;
  private final long[] accepted = new long[BUCKETS];
  private final long[] sent = new long[BUCKETS];
  private final long[] bucketStart = new long[BUCKETS];
  private double rate;
  private long theoreticalArrival;
  private long pausedUntil;
  private long lastChange;
  private long lastDecrease = Long.MIN_VALUE / 2;
  private long rateLimitedCount;
  private double quota; // accepted requests/s when a 429 came while callers kept the server busy

  private RateGate(double maxRate, ScheduledExecutorService scheduler, LongSupplier nanoClock) {
    this.maxRate = maxRate;
    this.rate = maxRate;
    this.scheduler = scheduler;
    this.nanoClock = nanoClock;
    long now = nanoClock.getAsLong();
    this.theoreticalArrival = now;
    this.pausedUntil = now;
    this.lastChange = now;
    java.util.Arrays.fill(bucketStart, Long.MIN_VALUE);
  }

  /**
   * A gate with at most {@code maxPerSecond} requests per second ({@code 0}: no configured maximum;
   * the gate then only slows down after a 429). Delayed grants run on {@code scheduler}.
   */
  public static RateGate create(double maxPerSecond, ScheduledExecutorService scheduler) {
    return create(maxPerSecond, scheduler, System::nanoTime);
  }

  /** As {@link #create(double, ScheduledExecutorService)} with the given clock (tests). */
  static RateGate create(
      double maxPerSecond, ScheduledExecutorService scheduler, LongSupplier nanoClock) {
    if (!(maxPerSecond >= 0) || Double.isInfinite(maxPerSecond)) {
      throw new IllegalArgumentException(
          "maxPerSecond must be a number >= 0 (0 = no maximum), got " + maxPerSecond);
    }
    return new RateGate(
        maxPerSecond == 0 ? Double.POSITIVE_INFINITY : maxPerSecond, scheduler, nanoClock);
  }

  /**
   * A future completing when the caller may send one request. Completed at once while the rate is
   * unlimited and nothing asked to pause.
   */
  public CompletableFuture<Void> acquire() {
    long delay;
    synchronized (this) {
      long now = nanoClock.getAsLong();
      sent[bucket(now)]++;
      creepUp(now);
      long start = Math.max(now, pausedUntil);
      if (Double.isInfinite(rate)) {
        delay = start - now;
      } else {
        long interval = (long) (SECOND / rate);
        long burst = TimeUnit.MILLISECONDS.toNanos(BURST_MS);
        theoreticalArrival = Math.max(theoreticalArrival, start);
        long at = Math.max(start, theoreticalArrival - burst);
        theoreticalArrival += interval;
        delay = at - now;
      }
    }
    if (delay <= 0) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> f = new CompletableFuture<>();
    try {
      scheduler.schedule(() -> f.complete(null), delay, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      f.completeExceptionally(closed);
    }
    return f;
  }

  /** A response that was not 429: the server accepted the request (counts towards the rate). */
  public synchronized void onAccepted() {
    accepted[bucket(nanoClock.getAsLong())]++;
  }

  /** The bucket of {@code now}, emptied when it last held an older tenth of a second. */
  private int bucket(long now) {
    int i = (int) ((now / (SECOND / BUCKETS)) % BUCKETS);
    long start = now - now % (SECOND / BUCKETS);
    if (bucketStart[i] != start) {
      bucketStart[i] = start;
      accepted[i] = 0;
      sent[i] = 0;
    }
    return i;
  }

  /**
   * The server answered 429: lower the rate for every caller (at most once per second) and, when
   * {@code retryAfter} is longer than one second, hold every caller until then.
   */
  public synchronized void onRateLimited(Duration retryAfter) {
    long now = nanoClock.getAsLong();
    rateLimitedCount++;
    if (retryAfter != null && retryAfter.toNanos() > SECOND) {
      pausedUntil = Math.max(pausedUntil, now + retryAfter.toNanos());
    }
    if (now - lastDecrease < SECOND) {
      return; // one decrease per second: the 429s of the same overshoot are one signal
    }
    double acceptedLastSecond = perSecond(accepted, now);
    double sentLastSecond = perSecond(sent, now);
    // what the server accepted tells its quota only when the callers kept it busy; after a lull
    // (a burst refused at its start) half of what was sent is the better guess
    double base = Math.max(acceptedLastSecond, 0.5 * sentLastSecond);
    if (acceptedLastSecond >= 1) {
      boolean keptBusy = !Double.isInfinite(rate) && sentLastSecond >= 0.8 * rate;
      // busy at the cap: what was accepted is the quota; uncapped: at least that much
      quota =
          keptBusy
              ? acceptedLastSecond
              : Double.isInfinite(rate) ? Math.max(quota, acceptedLastSecond) : quota;
    }
    double lowered = Math.max(1, 0.9 * Math.min(rate, base));
    rate = Math.min(maxRate, lowered);
    theoreticalArrival = Math.max(theoreticalArrival, now);
    lastDecrease = now;
    lastChange = now;
  }

  /** The current rate in requests per second; {@code 0} while unlimited. */
  public synchronized double rate() {
    creepUp(nanoClock.getAsLong());
    return Double.isInfinite(rate) ? 0 : rate;
  }

  /** The configured maximum in requests per second; {@code 0} for none. */
  public double maxRate() {
    return Double.isInfinite(maxRate) ? 0 : maxRate;
  }

  /** 429 answers reported so far. */
  public synchronized long rateLimited() {
    return rateLimitedCount;
  }

  private void creepUp(long now) {
    if (Double.isInfinite(rate) || rate >= maxRate) {
      return;
    }
    while (now - lastChange >= SECOND && rate < maxRate) {
      // far below the quota last measured (a cut after a lull): back quickly; near it: creep
      double step = rate < 0.8 * quota ? rate * 0.1 : rate * 0.01;
      rate = Math.min(maxRate, rate + Math.max(1, step));
      lastChange += SECOND;
      if (rate > 1e7) { // unbounded again after a long quiet time
        rate = maxRate;
      }
    }
  }

  /** Counts per second over the last second's buckets (the current one partial). */
  private double perSecond(long[] counts, long now) {
    long bucket = SECOND / BUCKETS;
    long sum = 0;
    long oldest = now;
    for (int i = 0; i < BUCKETS; i++) {
      if (bucketStart[i] > now - SECOND) {
        sum += counts[i];
        oldest = Math.min(oldest, bucketStart[i]);
      }
    }
    long covered = Math.max(bucket, now - oldest);
    return sum * (double) SECOND / covered;
  }
}
