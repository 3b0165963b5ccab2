package dev.twikitorders.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConcurrencyLimiterTest {

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);

  private ConcurrencyLimiter limiter(ConcurrencySettings s) {
    return ConcurrencyLimiter.create(s, Runnable::run, clock::get);
  }

  @Test
  void fixedModeGrantsUpToTheCeilingAndQueuesTheRestInOrder() {
    ConcurrencyLimiter l = limiter(ConcurrencySettings.fixed(2));
    CompletableFuture<ConcurrencyLimiter.Permit> a = l.acquire();
    CompletableFuture<ConcurrencyLimiter.Permit> b = l.acquire();
    CompletableFuture<ConcurrencyLimiter.Permit> c = l.acquire();
    CompletableFuture<ConcurrencyLimiter.Permit> d = l.acquire();
    assertThat(a).isDone();
    assertThat(b).isDone();
    assertThat(c).isNotDone();
    assertThat(l.inUse()).isEqualTo(2);
    assertThat(l.queued()).isEqualTo(2);

    a.join().success();
    assertThat(c).isDone();
    assertThat(d).isNotDone();
    a.join().success(); // a second report does nothing
    assertThat(d).isNotDone();
    assertThat(l.inUse()).isEqualTo(2);
    assertThat(l.limit()).isEqualTo(2);
  }

  @Test
  void aCancelledWaiterLeavesTheQueueAndADrainReturnsTheRest() {
    ConcurrencyLimiter l = limiter(ConcurrencySettings.fixed(1));
    l.acquire();
    CompletableFuture<ConcurrencyLimiter.Permit> waiting = l.acquire();
    CompletableFuture<ConcurrencyLimiter.Permit> other = l.acquire();
    assertThat(l.cancel(waiting)).isTrue();
    assertThat(l.cancel(waiting)).isFalse();
    assertThat(l.drain()).containsExactly(other);
    assertThat(l.queued()).isZero();
  }

  @Test
  void adaptiveLimitClimbsToTheCeilingWhileRoundTripsStayFlat() {
    ConcurrencyLimiter l =
        limiter(new ConcurrencySettings(ConcurrencySettings.Mode.ADAPTIVE, 4, 20, 500));
    runWindows(l, 200, inFlight -> 50);
    assertThat(l.limit()).isEqualTo(500);
  }

  @Test
  void adaptiveLimitSettlesNearAServersCapacity() {
    int capacity = 100;
    ConcurrencyLimiter l =
        limiter(new ConcurrencySettings(ConcurrencySettings.Mode.ADAPTIVE, 4, 20, 1000));
    // a server serving `capacity` calls at a time for 50 ms each and queueing the rest
    runWindows(l, 400, inFlight -> 50.0 * Math.max(1.0, inFlight / (double) capacity));
    // rounds finish all at once here, so the measured rate is coarse: only the direction is exact
    assertThat(l.limit()).isBetween(capacity, 2 * capacity);
  }

  @Test
  void overloadSignalsShrinkTheLimitButNotBelowTheFloor() {
    ConcurrencyLimiter l =
        limiter(new ConcurrencySettings(ConcurrencySettings.Mode.ADAPTIVE, 8, 100, 1000));
    for (int window = 0; window < 100; window++) {
      List<ConcurrencyLimiter.Permit> permits = holdAll(l);
      clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(150));
      permits.forEach(ConcurrencyLimiter.Permit::dropped);
    }
    assertThat(l.limit()).isEqualTo(8);
  }

  @Test
  void aRaisedLimitServesWaitersAtOnce() {
    ConcurrencyLimiter l =
        limiter(new ConcurrencySettings(ConcurrencySettings.Mode.ADAPTIVE, 2, 20, 1000));
    List<CompletableFuture<ConcurrencyLimiter.Permit>> calls = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      calls.add(l.acquire());
    }
    assertThat(calls.stream().filter(CompletableFuture::isDone)).hasSize(20);
    // complete every granted call 50 ms later, round after round, with flat round trips
    List<ConcurrencyLimiter.Permit> reported = new ArrayList<>();
    for (int round = 0; round < 30; round++) {
      clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(50));
      List<ConcurrencyLimiter.Permit> granted =
          calls.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join).toList();
      for (ConcurrencyLimiter.Permit p : granted) {
        if (!reported.contains(p)) {
          reported.add(p);
          p.success();
        }
      }
    }
    long granted = calls.stream().filter(CompletableFuture::isDone).count();
    assertThat(l.limit()).isGreaterThan(20);
    assertThat(l.inUse()).isEqualTo(granted - reported.size());
    assertThat(l.inUse()).isEqualTo(Math.min(l.limit(), 2000 - reported.size()));
  }

  private List<ConcurrencyLimiter.Permit> holdAll(ConcurrencyLimiter l) {
    List<ConcurrencyLimiter.Permit> permits = new ArrayList<>();
    while (true) {
      CompletableFuture<ConcurrencyLimiter.Permit> f = l.acquire();
      if (!f.isDone()) {
        l.cancel(f);
        return permits;
      }
      permits.add(f.join());
    }
  }

  /** Rounds: fill every slot, let each call take rttMs(inFlight), report success. */
  private void runWindows(
      ConcurrencyLimiter l, int windows, java.util.function.IntToDoubleFunction rttMs) {
    for (int w = 0; w < windows; w++) {
      List<ConcurrencyLimiter.Permit> permits = holdAll(l);
      double rtt = rttMs.applyAsDouble(permits.size());
      clock.addAndGet((long) (rtt * 1_000_000));
      permits.forEach(ConcurrencyLimiter.Permit::success);
    }
  }
}
