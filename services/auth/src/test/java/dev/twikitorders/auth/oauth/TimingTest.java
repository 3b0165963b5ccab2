package dev.twikitorders.auth.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.auth.Tokens;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When tokens are renewed ({@link RenewalTiming}) and how long failed steps fail fast. */
class TimingTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void hourLongTokenRenewsAt80PercentMinusJitter() {
    Duration life = Duration.ofHours(1);
    assertThat(RenewalTiming.renewAt(T0, life, 0.0)).isEqualTo(T0.plusSeconds(2880));
    // jitter: at most min(5% of lifetime, 10 s)
    assertThat(RenewalTiming.renewAt(T0, life, 0.999999)).isAfter(T0.plusSeconds(2870));
    assertThat(RenewalTiming.expiresAt(T0, life)).isEqualTo(T0.plusSeconds(3595));
  }

  @Test
  void twoMinuteTokenRenewsSixtySecondsBeforeExpiry() {
    assertThat(RenewalTiming.renewAt(T0, Duration.ofSeconds(120), 0.0))
        .isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void mediumTokensRenewAtTheEarlierOfTheTwoRules() {
    // 80% = 240 s, 60 s before expiry = 240 s: equal; at 10 min: 480 vs 540 -> 480
    assertThat(RenewalTiming.renewAt(T0, Duration.ofMinutes(5), 0.0))
        .isEqualTo(T0.plusSeconds(240));
    assertThat(RenewalTiming.renewAt(T0, Duration.ofMinutes(10), 0.0))
        .isEqualTo(T0.plusSeconds(480));
    // 3 min: 80% = 144 s, 60 s before = 120 s -> 120
    assertThat(RenewalTiming.renewAt(T0, Duration.ofMinutes(3), 0.0))
        .isEqualTo(T0.plusSeconds(120));
  }

  @Test
  void shortTokenIsNotRenewedBeforeHalfItsLifetime() {
    Duration life = Duration.ofSeconds(2);
    assertThat(RenewalTiming.renewAt(T0, life, 0.0)).isEqualTo(T0.plusMillis(1000));
    assertThat(RenewalTiming.renewAt(T0, life, 0.5)).isEqualTo(T0.plusMillis(950));
    assertThat(RenewalTiming.expiresAt(T0, life)).isEqualTo(T0.plusMillis(1800));
  }

  @Test
  void missingLifetimeAssumesFiveMinutes() {
    assertThat(RenewalTiming.lifetime(0)).isEqualTo(Duration.ofMinutes(5));
    assertThat(RenewalTiming.lifetime(3600)).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void failFastWindowDoublesFromOneSecondUpToSixtyWithTwentyPercentJitter() {
    assertThat(FailFast.window(1, () -> 0.5)).isEqualTo(Duration.ofSeconds(1));
    assertThat(FailFast.window(2, () -> 0.5)).isEqualTo(Duration.ofSeconds(2));
    assertThat(FailFast.window(3, () -> 0.5)).isEqualTo(Duration.ofSeconds(4));
    assertThat(FailFast.window(6, () -> 0.5)).isEqualTo(Duration.ofSeconds(32));
    assertThat(FailFast.window(7, () -> 0.5)).isEqualTo(Duration.ofSeconds(60));
    assertThat(FailFast.window(1000, () -> 0.5)).isEqualTo(Duration.ofSeconds(60));
    Duration ms = Duration.ofMillis(1);
    assertThat(FailFast.window(1, () -> 0.0)).isCloseTo(Duration.ofMillis(800), ms);
    assertThat(FailFast.window(2, () -> 0.75)).isCloseTo(Duration.ofMillis(2200), ms);
    assertThat(FailFast.window(6, () -> 0.999)).isLessThan(Duration.ofMillis(38_400));
    assertThat(FailFast.window(7, () -> 0.0)).isCloseTo(Duration.ofSeconds(48), ms);
    assertThat(FailFast.window(7, () -> 0.999)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void tokensNeverShowTheirValues() {
    Tokens t =
        new Tokens(
            dev.twikitorders.auth.Secret.of("eyJ.secret.token"),
            dev.twikitorders.auth.Secret.of("refresh-secret-1"),
            T0,
            "a b");
    assertThat(t.toString()).doesNotContain("eyJ", "refresh-secret-1").contains("****", "a b");
    assertThat(new TokenSource.Obtained(t.accessToken(), T0, T0).toString()).doesNotContain("eyJ");
  }
}
