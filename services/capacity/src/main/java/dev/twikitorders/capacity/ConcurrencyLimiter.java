package dev.twikitorders.capacity;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * A non-blocking limit of calls in flight whose size adapts to the server: {@link #acquire()}
 * returns a future that completes with a {@link Permit} when a slot is free (first come, first
 * served); the caller sends, then reports how the call went through the permit, which frees the
 * slot.
 *
 * <p><b>The algorithm</b> (adaptive mode) is {@link CapacityProbe}: it measures the server's
 * throughput and its unloaded round trip and keeps about their product in flight, probing now and
 * then for more; an overload signal ({@link Permit#dropped()}: a timeout, 429 or 503) cuts the
 * limit. The limit stays between {@link ConcurrencySettings#floor()} and {@link
 * ConcurrencySettings#ceiling()}. Fixed mode: the limit is the ceiling and samples are ignored.
 *
 * <p>Thread-safety: thread-safe. Bookkeeping is guarded by the instance monitor; waiters are
 * completed outside it on {@code dispatch} so that long chains of hand-overs never recurse on one
 * stack. Nothing ever blocks a thread.
 */
public final class ConcurrencyLimiter {

  private final ConcurrencySettings settings;
  private final CapacityProbe probe; // null in fixed mode; guarded by this
  private final Executor dispatch;
  private final LongSupplier nanoClock;
  private final ArrayDeque<CompletableFuture<Permit>> waiters = new ArrayDeque<>();
  private int limit;
  private int used;

  private ConcurrencyLimiter(
      ConcurrencySettings settings, Executor dispatch, LongSupplier nanoClock) {
    this.settings = settings;
    this.probe =
        settings.mode() == ConcurrencySettings.Mode.FIXED
            ? null
            : new CapacityProbe(settings.floor(), settings.initial(), settings.ceiling());
    this.dispatch = dispatch;
    this.nanoClock = nanoClock;
    this.limit = probe == null ? settings.ceiling() : settings.initial();
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
    return new ConcurrencyLimiter(settings, dispatch, nanoClock);
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

  /** Feeds one finished call to the algorithm; a raised limit serves waiters at once. */
  private void sample(long now, long rtt, int inflight, boolean dropped) {
    List<CompletableFuture<Permit>> granted = new ArrayList<>();
    synchronized (this) {
      if (!probe.onSample(now, rtt, inflight, dropped)) {
        return;
      }
      limit = probe.limit();
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
      release();
      if (probe != null) {
        long now = nanoClock.getAsLong();
        sample(now, Math.max(1, now - startNanos), inflightAtGrant, didDrop);
      }
    }
  }
}
