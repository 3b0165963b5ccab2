package dev.twikitorders.twikit.internal;

import dev.twikitorders.twikit.RetryPolicy;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Capped exponential backoff with full jitter ("Exponential Backoff And Jitter", AWS Architecture
 * Blog, 2015): retry {@code n} (1-based) waits a uniform random time in {@code [0, min(max, base *
 * 2^(n-1))]}. Full jitter spreads synchronized clients apart after a shared outage.
 *
 * <p>A server's {@code Retry-After} hint is honoured (capped) plus a small random extra of up to
 * {@link #HINT_JITTER_FRACTION} of the hint, at most {@link #MAX_HINT_JITTER}, so that the calls
 * queued behind the same 429/503 do not all come back in the same instant.
 *
 * <p>Thread-safety: stateless, thread-safe.
 */
public final class Backoff {

  /** The largest extra wait added to a Retry-After hint, as a fraction of the hint. */
  public static final double HINT_JITTER_FRACTION = 0.2;

  /** The largest extra wait added to a Retry-After hint. */
  public static final Duration MAX_HINT_JITTER = Duration.ofSeconds(1);

  private Backoff() {}

  /** The backoff ceiling of retry {@code retry} (1-based). */
  public static Duration ceiling(RetryPolicy policy, int retry) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry is 1-based");
    }
    long base = policy.baseBackoff().toNanos();
    long max = policy.maxBackoff().toNanos();
    int shift = Math.min(retry - 1, 62);
    long ceiling = base > (max >> shift) ? max : Math.min(max, base << shift);
    return Duration.ofNanos(ceiling);
  }

  /**
   * The delay before retry {@code retry}: full jitter below {@link #ceiling}, with {@code random}
   * giving values in {@code [0, 1)}.
   */
  public static Duration fullJitter(RetryPolicy policy, int retry, DoubleSupplier random) {
    double r = unit(random);
    return Duration.ofNanos((long) (ceiling(policy, retry).toNanos() * r));
  }

  /**
   * The delay before the next attempt: the server's {@code Retry-After} capped at the policy's cap
   * plus {@link #hintJitter} when present, else full jitter.
   */
  public static Duration delay(
      RetryPolicy policy, int retry, Duration retryAfter, DoubleSupplier random) {
    if (retryAfter != null) {
      Duration hint =
          retryAfter.compareTo(policy.retryAfterCap()) > 0 ? policy.retryAfterCap() : retryAfter;
      return hint.plus(hintJitter(hint, random));
    }
    return fullJitter(policy, retry, random);
  }

  /**
   * The random extra on top of a Retry-After wait of {@code hint}: uniform in {@code [0, min(hint *
   * 20 %, 1 s))}. A zero hint gets none (the server asked for "now").
   */
  public static Duration hintJitter(Duration hint, DoubleSupplier random) {
    double r = unit(random);
    long max = Math.min((long) (hint.toNanos() * HINT_JITTER_FRACTION), MAX_HINT_JITTER.toNanos());
    return Duration.ofNanos((long) (max * r));
  }

  private static double unit(DoubleSupplier random) {
    double r = random.getAsDouble();
    if (r < 0 || r >= 1) {
      throw new IllegalArgumentException("random must be in [0, 1): " + r);
    }
    return r;
  }
}
