package dev.twikitorders.twikit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.twikit.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BackoffAndRetryAfterTest {

  private static final RetryPolicy POLICY = RetryPolicy.DEFAULT; // 100 ms base, 5 s max, 30 s cap
  private static final Clock NOW =
      Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

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

  @Test
  void failFastWindowDoublesFromOneSecondUpToSixtyWithTwentyPercentJitter() {
    assertThat(Backoff.failFastWindow(1, () -> 0.5)).isEqualTo(Duration.ofSeconds(1));
    assertThat(Backoff.failFastWindow(2, () -> 0.5)).isEqualTo(Duration.ofSeconds(2));
    assertThat(Backoff.failFastWindow(3, () -> 0.5)).isEqualTo(Duration.ofSeconds(4));
    assertThat(Backoff.failFastWindow(6, () -> 0.5)).isEqualTo(Duration.ofSeconds(32));
    assertThat(Backoff.failFastWindow(7, () -> 0.5)).isEqualTo(Duration.ofSeconds(60));
    assertThat(Backoff.failFastWindow(1000, () -> 0.5)).isEqualTo(Duration.ofSeconds(60));
    Duration ms = Duration.ofMillis(1);
    assertThat(Backoff.failFastWindow(1, () -> 0.0)).isCloseTo(Duration.ofMillis(800), ms);
    assertThat(Backoff.failFastWindow(2, () -> 0.75)).isCloseTo(Duration.ofMillis(2200), ms);
    assertThat(Backoff.failFastWindow(6, () -> 0.999)).isLessThan(Duration.ofMillis(38_400));
    assertThat(Backoff.failFastWindow(7, () -> 0.0)).isCloseTo(Duration.ofSeconds(48), ms);
    assertThat(Backoff.failFastWindow(7, () -> 0.999)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void retryAfterDelaySeconds() {
    assertThat(RetryAfter.parse("3", NOW)).contains(Duration.ofSeconds(3));
    assertThat(RetryAfter.parse(" 0 ", NOW)).contains(Duration.ZERO);
    assertThat(RetryAfter.parse("99999999999999999999", NOW)).contains(Duration.ofDays(365));
  }

  @Test
  void retryAfterHttpDates() {
    assertThat(RetryAfter.parse("Sun, 01 Mar 2026 12:00:10 GMT", NOW))
        .contains(Duration.ofSeconds(10));
    assertThat(RetryAfter.parse("Sunday, 01-Mar-26 12:01:00 GMT", NOW))
        .contains(Duration.ofSeconds(60));
    assertThat(RetryAfter.parse("Sun Mar  1 12:00:05 2026", NOW)).contains(Duration.ofSeconds(5));
    assertThat(RetryAfter.parse("Sun, 01 Mar 2026 11:00:00 GMT", NOW)).contains(Duration.ZERO);
  }

  @Test
  void retryAfterGarbageIsIgnored() {
    assertThat(RetryAfter.parse(null, NOW)).isEmpty();
    assertThat(RetryAfter.parse("", NOW)).isEmpty();
    assertThat(RetryAfter.parse("-5", NOW)).isEmpty();
    assertThat(RetryAfter.parse("1.5", NOW)).isEmpty();
    assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
  }
}
