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

  @Test
  void logsOneLinePerTransitionAndNothingPerCall() {
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(CircuitBreaker.class);
    var appender =
        new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    appender.start();
    logger.addAppender(appender);
    try {
      for (int i = 0; i < 50; i++) {
        breaker.onFailure(); // opens at the 3rd; late failures of calls in flight say nothing
        breaker.tryAcquire();
      }
      breaker.onSuccess(); // a late success while open changes no state
      clock.advance(Duration.ofSeconds(5));
      assertThat(breaker.tryAcquire()).isTrue(); // half-open
      for (int i = 0; i < 20; i++) {
        assertThat(breaker.tryAcquire()).isFalse();
      }
      breaker.onNeutral();
      assertThat(breaker.tryAcquire()).isTrue(); // another probe, still half-open: no new line
      breaker.onFailure(); // open again
      breaker.onFailure();
      clock.advance(Duration.ofSeconds(5));
      assertThat(breaker.tryAcquire()).isTrue(); // half-open
      breaker.onSuccess(); // closed
      breaker.onSuccess();
      breaker.onSuccess();
      assertThat(appender.list)
          .extracting(e -> e.getLevel() + " " + e.getFormattedMessage().split(":")[0])
          .containsExactly(
              "WARN Twikit circuit breaker opened after 3 consecutive failed attempts",
              "INFO Twikit circuit breaker half-open",
              "WARN Twikit circuit breaker opened after the probe call failed",
              "INFO Twikit circuit breaker half-open",
              "INFO Twikit circuit breaker closed");
    } finally {
      logger.detachAppender(appender);
    }
  }
}
