package dev.twikitorders.twikit.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A non-blocking counting semaphore: {@link #acquire()} returns a future that completes when a
 * permit is free; waiters are served first come, first served. Nothing ever blocks a thread.
 *
 * <p>Thread-safety: thread-safe; guarded by the instance monitor. Waiters are completed outside the
 * monitor on {@code dispatch} so that long chains of hand-overs never recurse on one stack.
 */
public final class AsyncPermits {

  private static final CompletableFuture<Void> GRANTED = CompletableFuture.completedFuture(null);

  private final int max;
  private final Executor dispatch;
  private final ArrayDeque<CompletableFuture<Void>> waiters = new ArrayDeque<>();
  private int used;

  public AsyncPermits(int max, Executor dispatch) {
    this.max = max;
    this.dispatch = dispatch;
  }

  /** A future completing once the caller holds a permit; release it with {@link #release()}. */
  public CompletableFuture<Void> acquire() {
    synchronized (this) {
      if (used < max) {
        used++;
        return GRANTED;
      }
      CompletableFuture<Void> f = new CompletableFuture<>();
      waiters.add(f);
      return f;
    }
  }

  /** Returns a permit, handing it straight to the oldest waiter if there is one. */
  public void release() {
    CompletableFuture<Void> next;
    synchronized (this) {
      next = waiters.poll();
      if (next == null) {
        used--;
        return;
      }
    }
    dispatch.execute(() -> next.complete(null));
  }

  /**
   * Gives up a place in the queue: removes {@code waiter} (a future from {@link #acquire()}) when
   * it is still waiting and returns true; the caller then holds no permit. False when it was
   * already granted (or handed over): the caller holds a permit and must {@link #release()} it.
   */
  public boolean cancel(CompletableFuture<Void> waiter) {
    synchronized (this) {
      return waiters.remove(waiter);
    }
  }

  /** Permits held now. */
  public synchronized int inUse() {
    return used;
  }

  /** Callers waiting for a permit now. */
  public synchronized int queued() {
    return waiters.size();
  }

  /** Removes all waiters (on close) and returns them, so the caller can fail them. */
  public List<CompletableFuture<Void>> drain() {
    synchronized (this) {
      List<CompletableFuture<Void>> all = new ArrayList<>(waiters);
      waiters.clear();
      return all;
    }
  }
}
