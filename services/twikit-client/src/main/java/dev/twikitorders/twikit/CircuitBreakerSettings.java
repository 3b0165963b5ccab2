package dev.twikitorders.twikit;

import java.time.Duration;
import java.util.Objects;

/**
 * Circuit breaker settings. The breaker counts consecutive failed API attempts (I/O errors,
 * timeouts, 408 and 5xx; a 429 or any other answer resets nothing and counts nothing, a 2xx-4xx
 * answer resets the count). After {@code failureThreshold} consecutive failures it opens: calls
 * fail at once with {@link TwikitException.Kind#UNAVAILABLE} and a {@code retryAfter} hint for
 * {@code openDuration}. Then one probe call is let through (half-open): success closes the breaker,
 * failure opens it again.
 *
 * <p>Thread-safety: immutable and thread-safe.
 *
 * @param enabled whether the breaker is active (default true)
 * @param failureThreshold consecutive failed attempts that open it (default 10)
 * @param openDuration how long it stays open before a probe (default 5 s)
 */
public record CircuitBreakerSettings(boolean enabled, int failureThreshold, Duration openDuration) {

  /** Default: enabled, 10 consecutive failures, open for 5 s. */
  public static final CircuitBreakerSettings DEFAULT =
      new CircuitBreakerSettings(true, 10, Duration.ofSeconds(5));

  public CircuitBreakerSettings {
    if (failureThreshold < 1) {
      throw new IllegalArgumentException("failureThreshold must be >= 1");
    }
    Objects.requireNonNull(openDuration, "openDuration");
    if (openDuration.isNegative() || openDuration.isZero()) {
      throw new IllegalArgumentException("openDuration must be positive");
    }
  }

  public static CircuitBreakerSettings defaults() {
    return DEFAULT;
  }

  /** A breaker that never opens. */
  public static CircuitBreakerSettings disabled() {
    return new CircuitBreakerSettings(false, DEFAULT.failureThreshold, DEFAULT.openDuration);
  }

  public static CircuitBreakerSettings of(int failureThreshold, Duration openDuration) {
    return new CircuitBreakerSettings(true, failureThreshold, openDuration);
  }
}
