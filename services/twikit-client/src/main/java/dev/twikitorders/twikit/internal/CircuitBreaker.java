package dev.twikitorders.twikit.internal;

import dev.twikitorders.twikit.CircuitBreakerSettings;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small consecutive-failure circuit breaker: CLOSED until {@code failureThreshold} failures in a
 * row, then OPEN for {@code openDuration} (calls fail fast), then HALF_OPEN with exactly one probe
 * in flight; the probe's success closes it, its failure opens it again.
 *
 * <p>Thread-safety: thread-safe; state changes are guarded by the instance monitor (short,
 * non-blocking sections).
 */
public final class CircuitBreaker {

  private static final Logger LOG = LoggerFactory.getLogger(CircuitBreaker.class);

  /**
   * Breaker states; {@link #code()} is the value of the {@code twikit.client.breaker.state} gauge.
   */
  public enum State {
    CLOSED(0),
    HALF_OPEN(1),
    OPEN(2);

    private final int code;

    State(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }
  }

  private final CircuitBreakerSettings settings;
  private final Clock clock;
  private State state = State.CLOSED;
  private int consecutiveFailures;
  private long openUntilMillis;
  private boolean probeInFlight;

  public CircuitBreaker(CircuitBreakerSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Whether an attempt may go out now. In HALF_OPEN only one probe is allowed; the caller must then
   * report exactly one of {@link #onSuccess}, {@link #onFailure} or {@link #onNeutral}.
   */
  public synchronized boolean tryAcquire() {
    if (!settings.enabled()) {
      return true;
    }
    switch (state) {
      case CLOSED:
        return true;
      case OPEN:
        if (clock.millis() < openUntilMillis) {
          return false;
        }
        state = State.HALF_OPEN;
        probeInFlight = true;
        LOG.info("Twikit circuit breaker half-open: letting one probe call through");
        return true;
      case HALF_OPEN:
      default:
        if (probeInFlight) {
          return false;
        }
        probeInFlight = true;
        return true;
    }
  }

  /** The server answered in a way that shows it is healthy. */
  public synchronized void onSuccess() {
    consecutiveFailures = 0;
    if (state == State.HALF_OPEN) {
      state = State.CLOSED;
      probeInFlight = false;
      LOG.info("Twikit circuit breaker closed: the probe call succeeded");
    }
  }

  /** The attempt failed in a way that counts against the server (I/O, timeout, 408, 5xx). */
  public synchronized void onFailure() {
    if (!settings.enabled()) {
      return;
    }
    if (state == State.HALF_OPEN) {
      open("the probe call failed");
    } else if (state == State.CLOSED && ++consecutiveFailures >= settings.failureThreshold()) {
      open(consecutiveFailures + " consecutive failed attempts");
    }
  }

  /** The attempt neither proves nor disproves health (429, or it was not sent at all). */
  public synchronized void onNeutral() {
    if (state == State.HALF_OPEN) {
      probeInFlight = false;
    }
  }

  private void open(String why) {
    state = State.OPEN;
    probeInFlight = false;
    consecutiveFailures = 0;
    openUntilMillis = clock.millis() + settings.openDuration().toMillis();
    LOG.warn(
        "Twikit circuit breaker opened after {}: failing fast for {} ms",
        why,
        settings.openDuration().toMillis());
  }

  /** How long until a probe is allowed (zero when not open). */
  public synchronized Duration remainingOpen() {
    if (state != State.OPEN) {
      return Duration.ZERO;
    }
    return Duration.ofMillis(Math.max(0, openUntilMillis - clock.millis()));
  }

  public synchronized State state() {
    return state;
  }
}
