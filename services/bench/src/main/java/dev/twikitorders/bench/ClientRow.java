package dev.twikitorders.bench;

import java.util.List;

/**
 * What the Twikit client of one pipeline round did, from its meters (scraped every second of the
 * measured window) and the sandbox's counters: the in-flight limit over time, how long the API took
 * (its own measure), the 429 answers and the calls the API accepted.
 *
 * @param round the pipeline round's name
 * @param concurrency how the round's client limited calls in flight ({@code adaptive <= 1024},
 *     {@code fixed 256})
 * @param serverCapacity the sandbox's {@code --capacity} during the round; 0 = unlimited
 * @param serverRateLimit the sandbox's {@code --rate-limit} during the round; 0 = none
 * @param limits the client's in-flight limit, one sample per second of the measured window
 * @param rates the client's rate cap (requests/s, 0 = none), one sample per second
 * @param apiP50 median time the API took for the round's requests, in ms, measured by the sandbox
 *     (arrival to answer: the wait for a capacity slot plus the latency); -1 = n/a
 * @param apiP99 99th percentile of the same; -1 = n/a
 * @param apiCalls calls the sandbox answered during the measured window
 * @param rateLimited of those, answered 429 by the sandbox's rate limit
 * @param acceptedPerSec calls answered other than 429, per second of the window
 */
record ClientRow(
    String round,
    String concurrency,
    int serverCapacity,
    double serverRateLimit,
    List<Integer> limits,
    List<Integer> rates,
    double apiP50,
    double apiP99,
    long apiCalls,
    long rateLimited,
    double acceptedPerSec) {

  /** The limit the round settled at: the median of the second half of the samples; -1 = none. */
  int settledLimit() {
    return settled(limits);
  }

  /** The rate cap the round settled at (0 = none), as {@link #settledLimit()}; -1 = no sample. */
  int settledRate() {
    return settled(rates);
  }

  private static int settled(List<Integer> samples) {
    if (samples.isEmpty()) {
      return -1;
    }
    List<Integer> late =
        samples.subList(samples.size() / 2, samples.size()).stream().sorted().toList();
    return late.get(late.size() / 2);
  }

  /** The limit over time, every {@code step}-th sample. */
  String limitSeries(int step) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < limits.size(); i += Math.max(1, step)) {
      sb.append(sb.isEmpty() ? "" : " ").append(limits.get(i));
    }
    return sb.toString();
  }
}
