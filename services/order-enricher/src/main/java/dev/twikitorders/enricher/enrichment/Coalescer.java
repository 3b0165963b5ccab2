package dev.twikitorders.enricher.enrichment;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Shares one in-flight call among identical lookups: while a call for a key runs, further requests
 * for that key get the same future. Nothing is cached after completion, so a later request (a
 * retry, or a new order) calls again.
 *
 * <p>Thread-safe.
 */
final class Coalescer<T> {
  private final ConcurrentHashMap<String, CompletableFuture<T>> inFlight =
      new ConcurrentHashMap<>();

  CompletableFuture<T> get(String key, Function<String, CompletableFuture<T>> call) {
    CompletableFuture<T> existing = inFlight.get(key);
    if (existing != null) {
      return existing;
    }
    CompletableFuture<T> mine = new CompletableFuture<>();
    existing = inFlight.putIfAbsent(key, mine);
    if (existing != null) {
      return existing;
    }
    CompletableFuture<T> call0;
    try {
      call0 = call.apply(key);
    } catch (RuntimeException e) {
      call0 = CompletableFuture.failedFuture(e);
    }
    call0.whenComplete(
        (value, error) -> {
          inFlight.remove(key, mine);
          if (error != null) {
            mine.completeExceptionally(error);
          } else {
            mine.complete(value);
          }
        });
    return mine;
  }
}
