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
  void retryAfterWinsOverJitterAndIsCapped() {
    assertThat(Backoff.delay(POLICY, 1, Duration.ofSeconds(2), () -> 0.9))
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(Backoff.delay(POLICY, 1, Duration.ofSeconds(120), () -> 0.9))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(Backoff.delay(POLICY, 1, null, () -> 0.5)).isEqualTo(Duration.ofMillis(50));
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
