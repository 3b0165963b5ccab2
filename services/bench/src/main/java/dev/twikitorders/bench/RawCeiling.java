package dev.twikitorders.bench;

import dev.twikitorders.twikit.TwikitApi;
import dev.twikitorders.twikit.model.ConfigurationUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw ceiling: the pipeline's Twikit client driving the sandbox directly, no Kafka. A closed
 * loop of {@code concurrency} orders, each doing what the pipeline does for an order (three lookups
 * per line concurrently, then one batch update), starting the next order when one finishes; the
 * client caps the calls in flight exactly as in the pipeline. Calls per second are counted over the
 * measured window, after a warm-up.
 *
 * <p>Not thread-safe; run one at a time.
 */
final class RawCeiling {
  /** What one window achieved. */
  record Result(double seconds, long calls, long lines, long failures) {
    double callsPerSec() {
      return calls / seconds;
    }

    double linesPerSec() {
      return lines / seconds;
    }
  }

  private final TwikitApi api;
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong lines = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile long stopAt;

  RawCeiling(TwikitApi api) {
    this.api = api;
  }

  Result run(int concurrency, Duration warmup, Duration measure) throws InterruptedException {
    long start = System.nanoTime();
    stopAt = start + warmup.toNanos() + measure.toNanos();
    CountDownLatch done = new CountDownLatch(concurrency);
    for (int i = 0; i < concurrency; i++) {
      nextOrder(done);
    }
    long measureFrom = start + warmup.toNanos();
    while (System.nanoTime() < measureFrom) {
      TimeUnit.NANOSECONDS.sleep(Math.min(measureFrom - System.nanoTime(), 50_000_000L) + 1);
    }
    long t0 = System.nanoTime();
    long c0 = calls.get();
    long l0 = lines.get();
    long f0 = failures.get();
    while (System.nanoTime() < stopAt) {
      TimeUnit.NANOSECONDS.sleep(Math.min(stopAt - System.nanoTime(), 50_000_000L) + 1);
    }
    long t1 = System.nanoTime();
    Result r = new Result((t1 - t0) / 1e9, calls.get() - c0, lines.get() - l0, failures.get() - f0);
    done.await(30, TimeUnit.SECONDS); // let the orders in flight finish before the next window
    return r;
  }

  private void nextOrder(CountDownLatch done) {
    if (System.nanoTime() >= stopAt) {
      done.countDown();
      return;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int n = 1 + random.nextInt(4);
    List<CompletableFuture<?>> lookups = new ArrayList<>(3 * n);
    List<ConfigurationUpdate> updates = new ArrayList<>(n);
    String orderId = "raw-" + UUID.randomUUID();
    for (int i = 0; i < n; i++) {
      long msb = (random.nextLong() & 0x0FFF_FFFF_FFFF_FFFFL) | ((1L + random.nextInt(7)) << 60);
      String id = new UUID(msb, random.nextLong()).toString();
      lookups.add(count(api.compatibility(id)));
      lookups.add(count(api.summary(id)));
      lookups.add(count(api.filtered(id)));
      updates.add(new ConfigurationUpdate(id, orderId, Map.of("orderId", orderId)));
    }
    CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new))
        .handle((v, e) -> null)
        .thenCompose(v -> count(api.updateMany(updates)).handle((u, e) -> null))
        .whenComplete(
            (v, e) -> {
              lines.addAndGet(n);
              nextOrder(done);
            });
  }

  private <T> CompletableFuture<T> count(CompletableFuture<T> call) {
    return call.whenComplete(
        (v, e) -> {
          if (e == null) {
            calls.incrementAndGet();
          } else {
            failures.incrementAndGet();
          }
        });
  }
}
