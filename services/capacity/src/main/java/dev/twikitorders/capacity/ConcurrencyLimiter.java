package dev.twikitorders.capacity;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.VegasLimit;
import com.netflix.concurrency.limits.limit.WindowedLimit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A non-blocking limit of calls in flight whose size adapts to the server: {@link #acquire()}
 * returns a future that completes with a {@link Permit} when a slot is free (first come, first
 * served); the caller sends, then reports how the call went through the permit, which frees the
 * slot.
 *
 * <p><b>The algorithm</b> (adaptive mode) is TCP Vegas applied to calls, from Netflix's
 * concurrency-limits library ({@link VegasLimit}), fed through its {@link WindowedLimit} so that it
 * sees one averaged sample per window (at least 100 ms and at least 10 calls) instead of every
 * call's noisy round trip. Per window it estimates the server's queue as {@code limit × (1 −
 * rttNoLoad / rtt)}, where {@code rtt} is the window's average round trip and {@code rttNoLoad} the
 * lowest window average seen (re-probed now and then): no queue, grow by a fifth; a small queue
 * (below {@code limit / 20}), grow a little; a queue beyond {@code limit / 10}, or any overload
 * signal in the window ({@link Permit#dropped()}: a timeout, 429 or 503), shrink by 10 %. It does
 * not grow while fewer than half the slots are used. Against a server that serves {@code C} calls
 * at a time and queues the rest, the round trip grows once the limit passes {@code C}, so the limit
 * settles a little above {@code C}; against a server without such a bound it climbs to the ceiling.
 * The limit stays between {@link ConcurrencySettings#floor()} and {@link
 * ConcurrencySettings#ceiling()}. Fixed mode: the limit is the ceiling and samples are ignored.
 *
 * <p>Thread-safety: thread-safe. Bookkeeping is guarded by the instance monitor; waiters are
 * completed outside it on {@code dispatch} so that long chains of hand-overs never recurse on one
 * stack. Nothing ever blocks a thread.
 */
public final class ConcurrencyLimiter {

  /** Shortest sampling window (the smallest {@link WindowedLimit} allows). */
  private static final long WINDOW_MS = 100;

  private final ConcurrencySettings settings;
  private final Limit limitAlgorithm; // null in fixed mode
  private final Executor dispatch;
  private final LongSupplier nanoClock;
  private final ArrayDeque<CompletableFuture<Permit>> waiters = new ArrayDeque<>();
  private int limit;
  private int used;

  private ConcurrencyLimiter(
      ConcurrencySettings settings, Limit algorithm, Executor dispatch, LongSupplier nanoClock) {
    this.settings = settings;
    this.limitAlgorithm = algorithm;
    this.dispatch = dispatch;
    this.nanoClock = nanoClock;
    this.limit = algorithm == null ? settings.ceiling() : settings.initial();
    if (algorithm != null) {
      algorithm.notifyOnChange(this::onLimitChange);
    }
  }

  /**
   * A limiter with {@code settings}; waiters are completed on {@code dispatch}, round trips are
   * timed with {@link System#nanoTime()}.
   */
  public static ConcurrencyLimiter create(ConcurrencySettings settings, Executor dispatch) {
    return create(settings, dispatch, System::nanoTime);
  }

  /** As {@link #create(ConcurrencySettings, Executor)} with the given clock (tests). */
  static ConcurrencyLimiter create(
      ConcurrencySettings settings, Executor dispatch, LongSupplier nanoClock) {
    Limit algorithm =
        settings.mode() == ConcurrencySettings.Mode.FIXED ? null : vegas(settings, WINDOW_MS);
    return new ConcurrencyLimiter(settings, algorithm, dispatch, nanoClock);
  }

  /** Vegas with queue thresholds proportional to the limit, over averaged windows. */
  static Limit vegas(ConcurrencySettings s, long windowMs) {
    VegasLimit vegas =
        VegasLimit.newBuilder()
            .initialLimit(s.initial())
            .maxConcurrency(s.ceiling())
            .thresholdFunction(limit -> Math.max(1, limit / 40))
            .alphaFunction(limit -> Math.max(2, limit / 20))
            .betaFunction(limit -> Math.max(4, limit / 10))
            .increaseFunction(limit -> limit + Math.max(1, limit / 50))
            .decreaseFunction(limit -> Math.max(s.floor(), limit * 0.9))
            .build();
    return WindowedLimit.newBuilder()
        .minWindowTime(windowMs, TimeUnit.MILLISECONDS)
        .maxWindowTime(Math.max(windowMs, 1000), TimeUnit.MILLISECONDS)
        .windowSize(10)
        .build(vegas);
  }

  /** The settings this limiter was built with. */
  public ConcurrencySettings settings() {
    return settings;
  }

  /** A future completing once the caller holds a slot; report the call through the permit. */
  public CompletableFuture<Permit> acquire() {
    synchronized (this) {
      if (used < limit) {
        used++;
        return CompletableFuture.completedFuture(new Permit(used));
      }
      CompletableFuture<Permit> f = new CompletableFuture<>();
      waiters.add(f);
      return f;
    }
  }

  /**
   * Gives up a place in the queue: removes {@code waiter} (a future from {@link #acquire()}) when
   * it is still waiting and returns true; the caller then holds no slot. False when it was already
   * granted (or being handed over): the caller holds a permit and must release it.
   */
  public boolean cancel(CompletableFuture<Permit> waiter) {
    synchronized (this) {
      return waiters.remove(waiter);
    }
  }

  /** The current limit of calls in flight. */
  public synchronized int limit() {
    return limit;
  }

  /** Slots held now. */
  public synchronized int inUse() {
    return used;
  }

  /** Callers waiting for a slot now. */
  public synchronized int queued() {
    return waiters.size();
  }

  /** Removes all waiters (on close) and returns them, so the caller can fail them. */
  public List<CompletableFuture<Permit>> drain() {
    synchronized (this) {
      List<CompletableFuture<Permit>> all = new ArrayList<>(waiters);
      waiters.clear();
      return all;
    }
  }

  private void onLimitChange(int newLimit) {
    int bounded = Math.max(settings.floor(), Math.min(settings.ceiling(), newLimit));
    List<CompletableFuture<Permit>> granted = new ArrayList<>();
    synchronized (this) {
      limit = bounded;
      while (used < limit && !waiters.isEmpty()) {
        used++;
        granted.add(waiters.poll());
      }
    }
    for (CompletableFuture<Permit> waiter : granted) {
      handOver(waiter);
    }
  }

  private void release() {
    CompletableFuture<Permit> next;
    synchronized (this) {
      if (used > limit || (next = waiters.poll()) == null) {
        used--; // over a lowered limit, or nobody waiting: the slot goes away
        return;
      }
    }
    handOver(next);
  }

  private void handOver(CompletableFuture<Permit> waiter) {
    int inflight;
    synchronized (this) {
      inflight = used;
    }
    Permit permit = new Permit(inflight);
    dispatch.execute(
        () -> {
          if (!waiter.complete(permit)) {
            permit.ignore(); // the waiter was completed otherwise (drained on close)
          }
        });
  }

  /**
   * One slot, held from {@link #acquire()} until exactly one of {@link #success()}, {@link
   * #dropped()} or {@link #ignore()} is called (later calls do nothing). The round trip is timed
   * from {@link #start()} (or from the grant, when the caller never calls it).
   *
   * <p>Thread-safety: the report methods may be called from any thread, once.
   */
  public final class Permit {
    private final int inflightAtGrant;
    private volatile long startNanos;
    private final java.util.concurrent.atomic.AtomicBoolean released =
        new java.util.concurrent.atomic.AtomicBoolean();

    private Permit(int inflightAtGrant) {
      this.inflightAtGrant = inflightAtGrant;
      this.startNanos = nanoClock.getAsLong();
    }

    /** Marks the moment the request is sent (after any wait for a rate token). */
    public void start() {
      startNanos = nanoClock.getAsLong();
    }

    /** The call got an answer that says the server is healthy (any 2xx, most 4xx): a sample. */
    public void success() {
      report(false);
    }

    /** The call met an overload signal (timeout, 429, 503): the limit shrinks. */
    public void dropped() {
      report(true);
    }

    /** The call says nothing about the server's load (cancelled, refused connection). */
    public void ignore() {
      if (released.compareAndSet(false, true)) {
        release();
      }
    }

    private void report(boolean didDrop) {
      if (!released.compareAndSet(false, true)) {
        return;
      }
      if (limitAlgorithm != null) {
        long rtt = Math.max(1, nanoClock.getAsLong() - startNanos);
        limitAlgorithm.onSample(startNanos, rtt, inflightAtGrant, didDrop);
      }
      release();
    }
  }
}
