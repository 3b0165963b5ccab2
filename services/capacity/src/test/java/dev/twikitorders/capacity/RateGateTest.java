package dev.twikitorders.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RateGateTest {

  private final AtomicLong clock = new AtomicLong(5_000_000_000L);
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void unlimitedGrantsAtOnce() {
    RateGate gate = RateGate.create(0, scheduler, clock::get);
    for (int i = 0; i < 1000; i++) {
      assertThat(gate.acquire()).isDone();
    }
    assertThat(gate.rate()).isZero();
    assertThat(gate.maxRate()).isZero();
  }

  @Test
  void aConfiguredRateSpacesRequestsWithASmallBurst() {
    RateGate gate = RateGate.create(1000, scheduler, clock::get); // one per millisecond
    int immediate = 0;
    for (int i = 0; i < 100; i++) {
      if (gate.acquire().isDone()) {
        immediate++;
      }
    }
    // the burst allowance (20 ms) plus the first request; the rest are scheduled
    assertThat(immediate).isEqualTo((int) RateGate.BURST_MS + 1);
    clock.addAndGet(
        TimeUnit.SECONDS.toNanos(1)); // idle: the burst does not accumulate beyond 20 ms
    immediate = 0;
    for (int i = 0; i < 100; i++) {
      if (gate.acquire().isDone()) {
        immediate++;
      }
    }
    assertThat(immediate).isEqualTo((int) RateGate.BURST_MS + 1);
  }

  @Test
  void aRateLimitedAnswerLowersTheRateToNinetyPercentOfWhatWasAccepted() {
    RateGate gate = RateGate.create(0, scheduler, clock::get);
    // the server accepted 500 requests over the last second
    for (int i = 0; i < 500; i++) {
      gate.onAccepted();
      clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(2));
    }
    gate.onRateLimited(Duration.ofSeconds(1));
    assertThat(gate.rate()).isBetween(440.0, 460.0);
    double lowered = gate.rate();
    gate.onRateLimited(Duration.ofSeconds(1)); // same second: one signal
    assertThat(gate.rate()).isEqualTo(lowered);
    assertThat(gate.rateLimited()).isEqualTo(2);

    clock.addAndGet(TimeUnit.SECONDS.toNanos(10)); // ten quiet seconds: +1 % each
    assertThat(gate.rate()).isBetween(lowered * 1.10, lowered * 1.11);
  }

  @Test
  void aFirst429BeforeAnyAcceptedAnswerHalvesWhatWasSent() {
    RateGate gate = RateGate.create(0, scheduler, clock::get);
    for (int i = 0; i < 400; i++) { // 400 requests sent over 0.8 s, every answer a 429
      gate.acquire();
      clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(2));
    }
    gate.onRateLimited(Duration.ofSeconds(1));
    assertThat(gate.rate()).isBetween(200.0, 260.0); // 0.9 x half of ~500/s
  }

  @Test
  void aCutAfterALullComesBackQuicklyToTheQuotaLastMeasured() {
    RateGate gate = RateGate.create(0, scheduler, clock::get);
    for (int i = 0; i < 500; i++) { // busy: 500 sent and accepted over a second, then a 429
      gate.acquire();
      gate.onAccepted();
      clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(2));
    }
    gate.onRateLimited(null);
    assertThat(gate.rate()).isBetween(440.0, 460.0);
    clock.addAndGet(TimeUnit.SECONDS.toNanos(5)); // a lull: nothing sent, nothing accepted
    for (int i = 0; i < 10; i++) {
      gate.acquire();
    }
    gate.onAccepted();
    gate.onRateLimited(null); // a burst after the lull is refused
    double cut = gate.rate();
    assertThat(cut).isLessThan(100);
    clock.addAndGet(TimeUnit.SECONDS.toNanos(20)); // 10 % a second while far below 500/s
    assertThat(gate.rate()).isGreaterThan(cut * 5).isLessThanOrEqualTo(500 * 1.01);
  }

  @Test
  void neverAboveTheConfiguredMaximumAndBackToItAfterQuietSeconds() {
    RateGate gate = RateGate.create(100, scheduler, clock::get);
    for (int i = 0; i < 5000; i++) {
      gate.onAccepted();
    }
    gate.onRateLimited(null);
    assertThat(gate.rate()).isEqualTo(90.0); // lowered below the maximum: 90 % of it

    clock.addAndGet(TimeUnit.MINUTES.toNanos(10));
    assertThat(gate.rate()).isEqualTo(100.0);
  }

  @Test
  void aLongRetryAfterHoldsEveryCaller() {
    RateGate gate = RateGate.create(0, scheduler, clock::get);
    gate.onAccepted();
    gate.onRateLimited(Duration.ofSeconds(30));
    CompletableFuture<Void> next = gate.acquire();
    assertThat(next).isNotDone();
    assertThat(next.isCompletedExceptionally()).isFalse();
  }

  @Test
  void aScheduledGrantCompletes() {
    RateGate gate = RateGate.create(50, scheduler, System::nanoTime);
    CompletableFuture<?> last = null;
    for (int i = 0; i < 5; i++) {
      last = gate.acquire();
    }
    last.orTimeout(5, TimeUnit.SECONDS).join();
    assertThat(last).isCompleted();
  }

  @Test
  void refusesANegativeRate() {
    assertThatThrownBy(() -> RateGate.create(-1, scheduler))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxPerSecond must be a number >= 0");
  }
}
