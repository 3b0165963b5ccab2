package dev.twikitorders.bench;

import java.util.Arrays;

/**
 * Nearest-rank percentiles of a sample of non-negative longs (milliseconds here).
 *
 * <p>Nearest rank: the p-th percentile is the smallest value such that at least p% of the sample is
 * less than or equal to it, i.e. the value at 1-based rank {@code ceil(p/100 * n)}. No
 * interpolation, so every reported value was really observed.
 *
 * <p>Immutable once built; thread-safe.
 */
public final class Percentiles {
  private final long[] sorted;

  private Percentiles(long[] sorted) {
    this.sorted = sorted;
  }

  /** Copies and sorts {@code values}. */
  public static Percentiles of(long[] values) {
    long[] copy = values.clone();
    Arrays.sort(copy);
    return new Percentiles(copy);
  }

  public int count() {
    return sorted.length;
  }

  /** The nearest-rank {@code p}-th percentile, {@code 0 < p <= 100}; -1 for an empty sample. */
  public long at(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
    }
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  public long max() {
    return sorted.length == 0 ? -1 : sorted[sorted.length - 1];
  }
}
