package dev.twikitorders.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * Samples of a growing counter (API calls answered by the sandbox) over a round, and the best
 * average rate over any window of a given length: the pipeline's steady-state rate, measured the
 * way the raw ceiling is (its best fixed-length window), without the ramp-up at the start of a
 * backlog and the tail where the last partitions drain.
 *
 * <p>Not thread-safe: sampled and read by the bench's main thread.
 */
final class RateWindow {
  private final List<long[]> samples = new ArrayList<>(); // {nanos, count}

  /**
   * Records {@code count} at {@code nanos} ({@link System#nanoTime()}); samples arrive in time
   * order.
   */
  void sample(long nanos, long count) {
    samples.add(new long[] {nanos, count});
  }

  /** Seconds between the first and the last sample. */
  double spanSeconds() {
    return samples.size() < 2 ? 0 : (samples.getLast()[0] - samples.getFirst()[0]) / 1e9;
  }

  /**
   * The highest average rate per second over any span of at least {@code window} between two
   * samples (the shortest such span from each starting sample), or -1 when the samples span less
   * than {@code window}.
   */
  double best(Duration window) {
    long w = window.toNanos();
    double best = -1;
    int j = 0;
    for (int i = 0; i < samples.size(); i++) {
      long[] from = samples.get(i);
      if (j < i) {
        j = i;
      }
      while (j < samples.size() && samples.get(j)[0] - from[0] < w) {
        j++;
      }
      if (j == samples.size()) {
        break;
      }
      long[] to = samples.get(j);
      best = Math.max(best, (to[1] - from[1]) * 1e9 / (to[0] - from[0]));
    }
    return best;
  }

  /** The rate per {@code step} interval, for the log: "24100 25300 ..." per second. */
  String series(Duration step) {
    StringJoiner out = new StringJoiner(" ");
    if (samples.isEmpty()) {
      return "";
    }
    long s = step.toNanos();
    long[] from = samples.getFirst();
    for (long[] to : samples) {
      if (to[0] - from[0] >= s) {
        out.add(String.format(Locale.ROOT, "%.0f", (to[1] - from[1]) * 1e9 / (to[0] - from[0])));
        from = to;
      }
    }
    return out.toString();
  }
}
