package dev.twikitorders.enricher.enrichment;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Shares one in-flight call among identical lookups: while a call for a key runs, further requests
 * for that key subscribe to it. Nothing is cached after completion, so a later request (a retry, or
 * a new order) calls again.
 *
 * <p>Each request gets its own future. Cancelling it unsubscribes; the shared call is cancelled
 * only when its last subscriber cancels, so one revoked task cannot cancel a lookup that another
 * task still waits for.
 *
 * <p>Thread-safe.
 */
final class Coalescer<T> {
  private final ConcurrentHashMap<String, Shared<T>> inFlight = new ConcurrentHashMap<>();

  /** One shared call and the number of subscribers still waiting for it (guarded by itself). */
  private static final class Shared<T> {
    CompletableFuture<T> call;
    int subscribers;
    boolean closed; // completed or cancelled: no new subscriber
  }

  CompletableFuture<T> get(String key, Function<String, CompletableFuture<T>> call) {
    while (true) {
      Shared<T> shared = inFlight.computeIfAbsent(key, k -> new Shared<>());
      CompletableFuture<T> mine = new CompletableFuture<>();
      boolean starter;
      synchronized (shared) {
        if (shared.closed) {
          inFlight.remove(key, shared);
          continue; // finished meanwhile: start or join a fresh one
        }
        shared.subscribers++;
        starter = shared.call == null;
        if (starter) {
          shared.call = new CompletableFuture<>();
        }
      }
      CompletableFuture<T> sharedCall = shared.call;
      sharedCall.whenComplete(
          (value, error) -> {
            if (error != null) {
              mine.completeExceptionally(error);
            } else {
              mine.complete(value);
            }
          });
      mine.whenComplete(
          (value, error) -> {
            if (mine.isCancelled()) {
              unsubscribe(key, shared);
            }
          });
      if (starter) {
        CompletableFuture<T> actual;
        try {
          actual = call.apply(key);
        } catch (RuntimeException e) {
          actual = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<T> started = actual;
        // cancelling the shared call (last subscriber gone) cancels the real one
        sharedCall.whenComplete(
            (value, error) -> {
              if (sharedCall.isCancelled()) {
                started.cancel(false);
              }
            });
        started.whenComplete(
            (value, error) -> {
              synchronized (shared) {
                shared.closed = true;
              }
              inFlight.remove(key, shared);
              if (error != null) {
                sharedCall.completeExceptionally(error);
              } else {
                sharedCall.complete(value);
              }
            });
      }
      return mine;
    }
  }

  private void unsubscribe(String key, Shared<T> shared) {
    boolean last;
    synchronized (shared) {
      last = --shared.subscribers == 0 && !shared.closed;
      if (last) {
        shared.closed = true;
      }
    }
    if (last) {
      inFlight.remove(key, shared);
      shared.call.cancel(false);
    }
  }
}
