package dev.twikitorders.twikit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.twikit.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private static final RetryPolicy POLICY = RetryPolicy.DEFAULT; // 100 ms base, 5 s max, 30 s cap

  @Test
  void ceilingDoublesUpToTheMax() {
    assertThat(Backoff.ceiling(POLICY, 1)).isEqualTo(Duration.ofMillis(100));
    assertThat(Backoff.ceiling(POLICY, 2)).isEqualTo(Duration.ofMillis(200));
    assertThat(Backoff.ceiling(POLICY, 3)).isEqualTo(Duration.ofMillis(400));
    assertThat(Backoff.ceiling(POLICY, 6)).isEqualTo(Duration.ofMillis(3200));
    assertThat(Backoff.ceiling(POLICY, 7)).isEqualTo(Duration.ofSeconds(5));
    assertThat(Backoff.ceiling(POLICY, 500)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void fullJitterSpansZeroToTheCeiling() {
    assertThat(Backoff.fullJitter(POLICY, 3, () -> 0.0)).isEqualTo(Duration.ZERO);
    assertThat(Backoff.fullJitter(POLICY, 3, () -> 0.5)).isEqualTo(Duration.ofMillis(200));
    assertThat(Backoff.fullJitter(POLICY, 3, () -> 0.999999)).isLessThan(Duration.ofMillis(400));
  }

  @Test
  void retryAfterWinsOverJitterAndIsCappedThenGetsASmallExtra() {
    // 2 s hint: extra up to 20 % = 400 ms; random 0.5 gives 200 ms
    assertThat(Backoff.delay(POLICY, 1, Duration.ofSeconds(2), () -> 0.5))
        .isEqualTo(Duration.ofMillis(2200));
    assertThat(Backoff.delay(POLICY, 1, Duration.ofSeconds(2), () -> 0.0))
        .isEqualTo(Duration.ofSeconds(2));
    // capped at 30 s, then the extra is at most 1 s
    assertThat(Backoff.delay(POLICY, 1, Duration.ofSeconds(120), () -> 0.5))
        .isEqualTo(Duration.ofMillis(30_500));
    assertThat(Backoff.delay(POLICY, 1, Duration.ofSeconds(120), () -> 0.999999))
        .isLessThan(Duration.ofSeconds(31));
    // "now" stays now
    assertThat(Backoff.delay(POLICY, 1, Duration.ZERO, () -> 0.9)).isEqualTo(Duration.ZERO);
    assertThat(Backoff.delay(POLICY, 1, null, () -> 0.5)).isEqualTo(Duration.ofMillis(50));
  }

  @Test
  void callsQueuedBehindOneRetryAfterComeBackSpreadOut() {
    java.util.Random seeded = new java.util.Random(42);
    java.util.Set<Duration> delays = new java.util.HashSet<>();
    for (int i = 0; i < 100; i++) {
      Duration d = Backoff.delay(POLICY, 1, Duration.ofSeconds(5), seeded::nextDouble);
      assertThat(d).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(6));
      delays.add(d);
    }
    assertThat(delays).hasSizeGreaterThan(90);
  }
}
