package dev.twikitorders.twikit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.twikit.CircuitBreakerSettings;
import dev.twikitorders.twikit.MutableClock;
import dev.twikitorders.twikit.internal.CircuitBreaker.State;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

  private final MutableClock clock = MutableClock.fixed(Instant.parse("2026-01-01T00:00:00Z"));
  private final CircuitBreaker breaker =
      new CircuitBreaker(CircuitBreakerSettings.of(3, Duration.ofSeconds(5)), clock);

  @Test
  void opensAfterConsecutiveFailuresAndFailsFast() {
    breaker.onFailure();
    breaker.onFailure();
    breaker.onSuccess(); // resets the count
    breaker.onFailure();
    breaker.onFailure();
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    breaker.onFailure();
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.tryAcquire()).isFalse();
    assertThat(breaker.remainingOpen()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void halfOpenAllowsOneProbe() {
    for (int i = 0; i < 3; i++) {
      breaker.onFailure();
    }
    clock.advance(Duration.ofSeconds(5));
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.tryAcquire()).isFalse();
    breaker.onFailure();
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    clock.advance(Duration.ofSeconds(5));
    assertThat(breaker.tryAcquire()).isTrue();
    breaker.onNeutral(); // the probe was not conclusive: another probe may go
    assertThat(breaker.tryAcquire()).isTrue();
    breaker.onSuccess();
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.tryAcquire()).isTrue();
  }

  @Test
  void disabledNeverOpens() {
    CircuitBreaker off = new CircuitBreaker(CircuitBreakerSettings.disabled(), clock);
    for (int i = 0; i < 100; i++) {
      off.onFailure();
    }
    assertThat(off.tryAcquire()).isTrue();
    assertThat(off.state()).isEqualTo(State.CLOSED);
  }
}
