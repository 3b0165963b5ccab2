package dev.twikitorders.sandbox.counters;

import java.util.Arrays;

/**
 * How long the API took for the requests it served: from a request's arrival (after the rate limit
 * let it in) to its answer, so the wait for a {@code --capacity} slot and the latency together; in
 * buckets of {@value #BUCKET_MICROS} µs up to {@value #MAX_MILLIS} ms (longer ones count in the
 * last bucket). Immutable snapshot; {@link #since(ServiceTimes)} gives the requests between two
 * snapshots.
 *
 * @param counts requests per bucket: bucket {@code i} holds service times in {@code [i, i + 1)} ×
 *     the bucket width
 */
public record ServiceTimes(long[] counts) {

  /** Width of a bucket, in microseconds. */
  public static final int BUCKET_MICROS = 250;

  /** Longest service time told apart, in milliseconds. */
  public static final int MAX_MILLIS = 60_000;

  /** Number of buckets. */
  public static final int BUCKETS = MAX_MILLIS * 1000 / BUCKET_MICROS + 1;

  public ServiceTimes {
    counts = counts.clone();
  }

  /** The bucket of a service time. */
  public static int bucket(long nanos) {
    return (int) Math.min(BUCKETS - 1, Math.max(0, nanos / (BUCKET_MICROS * 1000L)));
  }

  @Override
  public long[] counts() {
    return counts.clone();
  }

  /** Requests counted. */
  public long total() {
    return Arrays.stream(counts).sum();
  }

  /** The requests served after {@code earlier} was taken. */
  public ServiceTimes since(ServiceTimes earlier) {
    long[] d = counts.clone();
    for (int i = 0; i < d.length; i++) {
      d[i] -= earlier.counts[i];
    }
    return new ServiceTimes(d);
  }

  /**
   * The {@code q} quantile (0..1) in milliseconds, as the upper bound of its bucket; -1 when no
   * request was counted.
   */
  public double percentileMs(double q) {
    long total = total();
    if (total == 0) {
      return -1;
    }
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen > 0 && seen >= q * total) {
        return (i + 1) * BUCKET_MICROS / 1000.0;
      }
    }
    return MAX_MILLIS;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServiceTimes s && Arrays.equals(counts, s.counts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return "ServiceTimes[total=" + total() + ", p50=" + percentileMs(0.5) + " ms]";
  }
}
