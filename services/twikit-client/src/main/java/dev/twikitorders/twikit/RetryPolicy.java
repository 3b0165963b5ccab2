package dev.twikitorders.twikit;

import java.time.Duration;
import java.util.Objects;

/**
 * Retry settings for transient failures of API calls: I/O errors, timeouts and HTTP 408, 429, 500,
 * 502, 503, 504. The token request is not retried by this policy: after a failed token request
 * calls fail fast until a backoff of its own has passed (1 s doubling to 60 s, see {@link
 * TwikitException.Kind#UNAVAILABLE}), so an identity provider outage costs one token request per
 * step.
 *
 * <p>Between attempts the client waits a capped exponential backoff with full jitter: a uniformly
 * random delay in {@code [0, min(maxBackoff, baseBackoff * 2^(retry-1))]}. When the response
 * carries {@code Retry-After} (RFC 9110 section 10.2.3, delta-seconds or HTTP-date) the client
 * waits that long instead, capped at {@link #retryAfterCap()}, plus a random extra of up to 20 % of
 * it (at most 1 s) so that calls held back by the same answer do not all return at once.
 *
 * <p>Thread-safety: immutable and thread-safe.
 *
 * @param maxAttempts total attempts per call including the first (default 5; 1 disables retries)
 * @param baseBackoff backoff ceiling of the first retry (default 100 ms)
 * @param maxBackoff upper bound of any backoff ceiling (default 5 s)
 * @param retryAfterCap longest {@code Retry-After} wait honoured (default 30 s)
 */
public record RetryPolicy(
    int maxAttempts, Duration baseBackoff, Duration maxBackoff, Duration retryAfterCap) {

  /** Default: 5 attempts, 100 ms base, 5 s max backoff, Retry-After capped at 30 s. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(30));

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
    }
    requirePositive(baseBackoff, "baseBackoff");
    requirePositive(maxBackoff, "maxBackoff");
    requirePositive(retryAfterCap, "retryAfterCap");
    if (maxBackoff.compareTo(baseBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff must be >= baseBackoff");
    }
  }

  /** The defaults ({@link #DEFAULT}). */
  public static RetryPolicy defaults() {
    return DEFAULT;
  }

  /** A policy that makes one attempt only. */
  public static RetryPolicy noRetries() {
    return DEFAULT.withMaxAttempts(1);
  }

  public RetryPolicy withMaxAttempts(int attempts) {
    return new RetryPolicy(attempts, baseBackoff, maxBackoff, retryAfterCap);
  }

  public RetryPolicy withBackoff(Duration base, Duration max) {
    return new RetryPolicy(maxAttempts, base, max, retryAfterCap);
  }

  public RetryPolicy withRetryAfterCap(Duration cap) {
    return new RetryPolicy(maxAttempts, baseBackoff, maxBackoff, cap);
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
  }
}
