package dev.twikitorders.sandbox.faults;

import dev.twikitorders.sandbox.counters.CounterRecorder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The sandbox's server model: a rate limit checked on arrival and a capacity of concurrent service
 * slots, shared by every event loop (one instance per sandbox).
 *
 * <ul>
 *   <li><b>Rate limit</b> (token bucket): refilled at {@code rate} tokens per second up to a burst
 *       of {@code max(1, rate/10)} tokens (100 ms worth), full when the rate is set. An arriving
 *       request takes one token ({@link #tryTake()}); when none is left it is refused at once (HTTP
 *       429) with the whole seconds until a token will be there, at least 1. A refused request
 *       takes neither a token nor a slot. Rate 0 = off.
 *   <li><b>Capacity</b> (M/D/N): at most {@code capacity} requests are in service at once. {@link
 *       #acquire(Runnable)} grants a slot at once or queues the request (FIFO); {@link #release()}
 *       hands the slot to the longest waiting request. A request holds its slot for its service
 *       time (the injected latency), so throughput is at most {@code capacity / latency} and the
 *       answer time is queue wait plus latency. Capacity 0 = unlimited (requests are still counted
 *       as in service, for the gauges).
 * </ul>
 *
 * <p>Changes ({@link #configure(int, double)}) act on requests arriving afterwards; queued requests
 * keep waiting and are served as slots free up, and a raised capacity (or 0) grants waiting
 * requests at once. A new rate starts with a full bucket.
 *
 * <p>Invariants: {@code inService >= 0}; the queue is non-empty only while {@code capacity > 0 &&
 * inService >= capacity} (so no arrival overtakes a waiting request). The highest {@link
 * #inService()} and {@link #queued()} are reported to the {@link CounterRecorder} ({@code
 * maxConcurrent}, {@code maxQueued}), refusals as {@code rateLimited}.
 *
 * <p>Thread-safe: the slots and the queue are guarded by one lock, the bucket by another (never
 * held together); granted callbacks run outside the locks, on the thread that freed the slot (the
 * caller hands them to the request's event loop).
 */
public final class Admission {
  private final CounterRecorder counters;
  private final LongSupplier nanoTime;

  private final java.util.concurrent.atomic.AtomicLongArray serviceTimes =
      new java.util.concurrent.atomic.AtomicLongArray(
          dev.twikitorders.sandbox.counters.ServiceTimes.BUCKETS);

  private final Object slotLock = new Object();
  private int capacity;
  private int inService;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();

  private final Object bucketLock = new Object();
  private volatile double rate;
  private double burst;
  private double tokens;
  private long refilledAt;

  /** Counts one served request that arrived at {@code arrivedNanos} (of this clock), now. */
  public void served(long arrivedNanos) {
    serviceTimes.incrementAndGet(
        dev.twikitorders.sandbox.counters.ServiceTimes.bucket(nanoTime.getAsLong() - arrivedNanos));
  }

  /** The service times counted so far. */
  public dev.twikitorders.sandbox.counters.ServiceTimes serviceTimes() {
    long[] c = new long[serviceTimes.length()];
    for (int i = 0; i < c.length; i++) {
      c[i] = serviceTimes.get(i);
    }
    return new dev.twikitorders.sandbox.counters.ServiceTimes(c);
  }

  /** Forgets the service times (with the counters). */
  public void resetServiceTimes() {
    for (int i = 0; i < serviceTimes.length(); i++) {
      serviceTimes.set(i, 0);
    }
  }

  /** The clock of {@link #served(long)}. */
  public long now() {
    return nanoTime.getAsLong();
  }

  /** A refused request: when to retry and the limit in force. */
  public record Refusal(long retryAfterSeconds, double rate) {}

  /**
   * @param counters receives {@code rateLimited}, {@code maxConcurrent} and {@code maxQueued}
   * @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime}; tests pass their
   *     own)
   */
  public Admission(CounterRecorder counters, LongSupplier nanoTime) {
    this.counters = Objects.requireNonNull(counters, "counters");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    counters.gauges(this::inService, this::queued);
  }

  /**
   * Sets the capacity (0 = unlimited) and the rate limit (requests per second, 0 = off). A changed
   * rate refills the bucket; a raised capacity grants waiting requests at once.
   */
  public void configure(int capacity, double rate) {
    Faults.checkCapacity(capacity, "capacity");
    Faults.checkRateLimit(rate, "rateLimit");
    synchronized (bucketLock) {
      if (rate != this.rate) {
        this.burst = Math.max(1.0, rate / 10.0);
        this.tokens = burst;
        this.refilledAt = nanoTime.getAsLong();
        this.rate = rate;
      }
    }
    List<Runnable> granted;
    synchronized (slotLock) {
      this.capacity = capacity;
      granted = grantWaiting();
    }
    granted.forEach(Runnable::run);
  }

  /** The capacity in force (0 = unlimited). */
  public int capacity() {
    synchronized (slotLock) {
      return capacity;
    }
  }

  /** The rate limit in force, requests per second (0 = off). */
  public double rate() {
    return rate;
  }

  /**
   * Takes a token for an arriving request.
   *
   * @return {@code null} when admitted (or no rate limit is set), else the refusal (counted as
   *     {@code rateLimited}); {@code retryAfterSeconds} is {@code max(1, ceil(seconds until a token
   *     is available))}
   */
  public Refusal tryTake() {
    if (rate == 0) {
      return null;
    }
    double r;
    double wait;
    synchronized (bucketLock) {
      r = rate;
      if (r == 0) {
        return null;
      }
      long now = nanoTime.getAsLong();
      tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * r);
      refilledAt = now;
      if (tokens >= 1) {
        tokens -= 1;
        return null;
      }
      wait = (1 - tokens) / r;
    }
    counters.rateLimited();
    return new Refusal(Math.max(1, (long) Math.ceil(wait)), r);
  }

  /**
   * Gets a service slot for a request: runs {@code whenGranted} at once (on this thread) when one
   * is free, else queues it; it then runs on the thread of the {@link #release()} or {@link
   * #configure(int, double)} that frees the slot. The request must {@link #release()} exactly once
   * after it ran.
   */
  public void acquire(Runnable whenGranted) {
    Objects.requireNonNull(whenGranted, "whenGranted");
    boolean now;
    synchronized (slotLock) {
      now = waiting.isEmpty() && (capacity == 0 || inService < capacity);
      if (now) {
        inService++;
        counters.inService(inService);
      } else {
        waiting.addLast(whenGranted);
        counters.queued(waiting.size());
      }
    }
    if (now) {
      whenGranted.run();
    }
  }

  /** Frees the slot of a request that was granted one, handing it to the next waiting one. */
  public void release() {
    List<Runnable> granted;
    synchronized (slotLock) {
      if (inService == 0) {
        throw new IllegalStateException("release without a granted slot");
      }
      inService--;
      granted = grantWaiting();
    }
    granted.forEach(Runnable::run);
  }

  /** Requests holding a slot now. */
  public int inService() {
    synchronized (slotLock) {
      return inService;
    }
  }

  /** Requests waiting for a slot now. */
  public int queued() {
    synchronized (slotLock) {
      return waiting.size();
    }
  }

  /** Moves waiting requests into free slots; callers run the result outside the lock. */
  private List<Runnable> grantWaiting() {
    if (waiting.isEmpty() || (capacity != 0 && inService >= capacity)) {
      return List.of();
    }
    List<Runnable> granted = new ArrayList<>();
    while (!waiting.isEmpty() && (capacity == 0 || inService < capacity)) {
      granted.add(waiting.pollFirst());
      inService++;
    }
    counters.inService(inService);
    return granted;
  }
}
