package dev.twikitorders.auth.oauth;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The backoff after failed token steps: {@code min(60 s, 1 s * 2^(step-1))} times a uniform factor
 * in {@code [0.8, 1.2)}, never more than 60 s.
 *
 * <p>Thread-safety: stateless, thread-safe.
 */
final class FailFast {

  private static final Duration FIRST_WINDOW = Duration.ofSeconds(1);
  private static final Duration MAX_WINDOW = Duration.ofSeconds(60);

  private FailFast() {}

  /**
   * How long calls fail fast after failed step number {@code step} (1-based, reset by a success),
   * for {@code random} giving values in {@code [0, 1)}.
   */
  static Duration window(int step, DoubleSupplier random) {
    if (step < 1) {
      throw new IllegalArgumentException("step is 1-based");
    }
    double r = random.getAsDouble();
    if (r < 0 || r >= 1) {
      throw new IllegalArgumentException("random must be in [0, 1): " + r);
    }
    long first = FIRST_WINDOW.toNanos();
    long max = MAX_WINDOW.toNanos();
    int shift = Math.min(step - 1, 62);
    long base = first > (max >> shift) ? max : Math.min(max, first << shift);
    long jittered = (long) (base * (0.8 + 0.4 * r));
    return Duration.ofNanos(Math.min(max, jittered));
  }
}
