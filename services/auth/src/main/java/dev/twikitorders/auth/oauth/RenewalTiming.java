package dev.twikitorders.auth.oauth;

import java.time.Duration;
import java.time.Instant;

/**
 * When to renew and when to stop using an access token of a given lifetime ({@code expires_in}, RFC
 * 6749 section 5.1).
 *
 * <ul>
 *   <li>Renew at the earlier of 80% of the lifetime and 60 s before expiry, but never before half
 *       the lifetime (so a short-lived token is not renewed on every call), minus a random jitter
 *       of up to 5% of the lifetime (at most 10 s) so that many instances do not renew in
 *       lock-step.
 *   <li>Stop using the token a safety margin before expiry: 10% of the lifetime, at most 5 s, for
 *       clock skew and transit time.
 *   <li>A missing or zero {@code expires_in} is taken as {@link #DEFAULT_LIFETIME}.
 * </ul>
 *
 * <p>Thread-safety: stateless, thread-safe.
 */
final class RenewalTiming {

  /** Assumed lifetime when the token response has no {@code expires_in}. */
  static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);

  private static final Duration RENEW_BEFORE_EXPIRY = Duration.ofSeconds(60);
  private static final Duration MAX_JITTER = Duration.ofSeconds(10);
  private static final Duration MAX_SAFETY = Duration.ofSeconds(5);

  private RenewalTiming() {}

  /** The effective lifetime for an {@code expires_in} of {@code lifetimeSeconds} (0 = absent). */
  static Duration lifetime(long lifetimeSeconds) {
    return lifetimeSeconds > 0 ? Duration.ofSeconds(lifetimeSeconds) : DEFAULT_LIFETIME;
  }

  /** When to renew, for jitter unit {@code random} in [0, 1). */
  static Instant renewAt(Instant obtainedAt, Duration lifetime, double random) {
    long life = lifetime.toMillis();
    long at80 = life * 8 / 10;
    long before60 = life - RENEW_BEFORE_EXPIRY.toMillis();
    long renew = Math.max(Math.min(at80, before60), life / 2);
    long maxJitter = Math.min(life / 20, MAX_JITTER.toMillis());
    long jitter = (long) (maxJitter * random);
    return obtainedAt.plusMillis(renew - jitter);
  }

  /** When to stop using the token. */
  static Instant expiresAt(Instant obtainedAt, Duration lifetime) {
    long life = lifetime.toMillis();
    long safety = Math.min(life / 10, MAX_SAFETY.toMillis());
    return obtainedAt.plusMillis(life - safety);
  }
}
