package dev.twikitorders.ops;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Percentiles of timers with a percentile histogram, from the same cumulative bucket counts that
 * {@code /metrics} exports as {@code _bucket} series (so the status page and a Prometheus {@code
 * histogram_quantile} agree to the bucket): the timers of one name (all their tags) are merged, and
 * a percentile is the upper bound of the first bucket whose cumulative count reaches it. Stateless.
 */
public final class BucketPercentiles {
  private BucketPercentiles() {}

  /**
   * The {@code q} percentile (0 &lt; q &lt;= 1) of {@code timers} as a bucket's upper bound, or
   * empty when they recorded nothing or have no histogram buckets.
   */
  public static Optional<Duration> of(Collection<Timer> timers, double q) {
    TreeMap<Double, Double> cumulative = new TreeMap<>();
    long total = 0;
    for (Timer t : timers) {
      var snapshot = t.takeSnapshot();
      total += snapshot.count();
      for (CountAtBucket b : snapshot.histogramCounts()) {
        cumulative.merge(b.bucket(TimeUnit.NANOSECONDS), b.count(), Double::sum);
      }
    }
    if (total == 0 || cumulative.isEmpty()) {
      return Optional.empty();
    }
    double wanted = q * total;
    for (var e : cumulative.entrySet()) {
      if (e.getValue() >= wanted) {
        return Optional.of(Duration.ofNanos(e.getKey().longValue()));
      }
    }
    // beyond the last bucket: at least its bound
    return Optional.of(Duration.ofNanos(cumulative.lastKey().longValue()));
  }

  /** {@code p50 ≤ 12 ms · p95 ≤ 40 ms · p99 ≤ 90 ms}, or {@code -} when nothing was recorded. */
  public static String describe(Collection<Timer> timers) {
    Optional<Duration> p50 = of(timers, 0.50);
    if (p50.isEmpty()) {
      return "-";
    }
    return "p50 ≤ "
        + human(p50.get())
        + " · p95 ≤ "
        + human(of(timers, 0.95).orElseThrow())
        + " · p99 ≤ "
        + human(of(timers, 0.99).orElseThrow());
  }

  /** A duration for people: {@code 850 µs}, {@code 12 ms}, {@code 3.4 s}, {@code 2.5 min}. */
  public static String human(Duration d) {
    long nanos = d.toNanos();
    if (nanos < 1_000_000) {
      return (nanos / 1_000) + " µs";
    }
    if (nanos < 10_000_000_000L) {
      double ms = nanos / 1e6;
      return ms < 1000 ? String.format("%.0f ms", ms) : String.format("%.1f s", ms / 1000);
    }
    double s = nanos / 1e9;
    return s < 120 ? String.format("%.0f s", s) : String.format("%.1f min", s / 60);
  }
}
