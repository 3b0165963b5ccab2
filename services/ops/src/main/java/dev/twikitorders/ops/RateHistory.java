package dev.twikitorders.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The recent rates of counters, for the status page's charts: every {@code step} it reads the total
 * of each tracked counter name (all its tags summed: the very counters {@code /metrics} exports, so
 * the page and Prometheus never disagree) and keeps the per-second rate of the last {@code points}
 * steps.
 *
 * <p>Thread-safe: sampled by its own daemon thread, read by the serving threads. {@link #close()}
 * stops the sampling.
 */
public final class RateHistory implements AutoCloseable {
  private final MeterRegistry registry;
  private final Duration step;
  private final int points;
  private final ScheduledExecutorService sampler;
  private final Map<String, Track> tracks = new LinkedHashMap<>();

  private static final class Track {
    final String label;
    final String meter;
    final ArrayDeque<Double> rates = new ArrayDeque<>();
    double last = Double.NaN;

    Track(String label, String meter) {
      this.label = label;
      this.meter = meter;
    }
  }

  /**
   * @param step how often the counters are read (one chart point per step)
   * @param points how many steps are kept
   */
  public RateHistory(MeterRegistry registry, Duration step, int points) {
    this.registry = Objects.requireNonNull(registry, "registry");
    if (step.isZero() || step.isNegative() || points < 2) {
      throw new IllegalArgumentException("step must be positive and points >= 2");
    }
    this.step = step;
    this.points = points;
    this.sampler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "status-rates");
              t.setDaemon(true);
              return t;
            });
    sampler.scheduleAtFixedRate(
        this::sample, step.toMillis(), step.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Five-second steps over the last ten minutes. */
  public static RateHistory lastTenMinutes(MeterRegistry registry) {
    return new RateHistory(registry, Duration.ofSeconds(5), 120);
  }

  /**
   * Starts tracking the counters named {@code meter} (the Micrometer name, dotted) as {@code
   * label}.
   */
  public synchronized RateHistory track(String label, String meter) {
    tracks.put(label, new Track(label, meter));
    return this;
  }

  /** Reads every tracked counter once (what the sampler does every step). */
  synchronized void sample() {
    for (Track t : tracks.values()) {
      double total = total(t.meter);
      if (!Double.isNaN(t.last)) {
        t.rates.addLast(Math.max(0, total - t.last) / (step.toMillis() / 1000.0));
        while (t.rates.size() > points) {
          t.rates.removeFirst();
        }
      }
      t.last = total;
    }
  }

  /** The sum of every counter (or timer count) named {@code meter}, 0 when there is none. */
  double total(String meter) {
    double sum = 0;
    for (Meter m : registry.find(meter).meters()) {
      if (m instanceof Counter c) {
        sum += c.count();
      } else if (m instanceof FunctionCounter f) {
        sum += f.count();
      } else if (m instanceof Timer t) {
        sum += t.count();
      } else if (m instanceof FunctionTimer t) {
        sum += t.count();
      }
    }
    return sum;
  }

  /** Every tracked rate as a chart series (per second), oldest point first. */
  public synchronized List<StatusReport.Series> series() {
    List<StatusReport.Series> out = new ArrayList<>();
    for (Track t : tracks.values()) {
      out.add(
          new StatusReport.Series(t.label, "/s", (int) step.toSeconds(), new ArrayList<>(t.rates)));
    }
    return out;
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }
}
