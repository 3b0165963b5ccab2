package dev.twikitorders.auth.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

  private static final Clock NOW =
      Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

  @Test
  void delaySeconds() {
    assertThat(RetryAfter.parse("3", NOW)).contains(Duration.ofSeconds(3));
    assertThat(RetryAfter.parse(" 0 ", NOW)).contains(Duration.ZERO);
    assertThat(RetryAfter.parse("99999999999999999999", NOW)).contains(Duration.ofDays(365));
  }

  @Test
  void httpDates() {
    assertThat(RetryAfter.parse("Sun, 01 Mar 2026 12:00:10 GMT", NOW))
        .contains(Duration.ofSeconds(10));
    assertThat(RetryAfter.parse("Sunday, 01-Mar-26 12:01:00 GMT", NOW))
        .contains(Duration.ofSeconds(60));
    assertThat(RetryAfter.parse("Sun Mar  1 12:00:05 2026", NOW)).contains(Duration.ofSeconds(5));
    assertThat(RetryAfter.parse("Sun, 01 Mar 2026 11:00:00 GMT", NOW)).contains(Duration.ZERO);
  }

  @Test
  void garbageIsIgnored() {
    assertThat(RetryAfter.parse(null, NOW)).isEmpty();
    assertThat(RetryAfter.parse("", NOW)).isEmpty();
    assertThat(RetryAfter.parse("-5", NOW)).isEmpty();
    assertThat(RetryAfter.parse("1.5", NOW)).isEmpty();
    assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
  }
}
