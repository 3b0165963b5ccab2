package dev.twikitorders.capacity;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The adaptive limit's algorithm: it measures the server's capacity as a throughput and a round
 * trip, and keeps about their product (the calls the server can work on at once) in flight. The
 * idea is TCP BBR's (Cardwell et al., 2016), applied to calls instead of bytes.
 *
 * <p>Samples (one per finished call: its round trip, the calls in flight when it started, and
 * whether it met an overload signal) are gathered into windows of at least 200 ms, four round trips
 * and 20 calls (or one second). Per window:
 *
 * <ul>
 *   <li><b>delivery rate</b> = calls served / window length; <b>max rate</b> = the highest rate of
 *       the last 10 windows (windows in which the caller did not fill the limit, and so could not
 *       show the server's rate, only count when they raise it);
 *   <li><b>base round trip</b> = the shortest round trip of the last 88 windows;
 *   <li><b>capacity</b> = max rate × base round trip: how many calls the server works on at once
 *       when nothing queues (Little's law). The limit never cruises below 1.1 × capacity.
 *   <li>a cycle of eight windows: <b>probe</b> at 1.1 × the cruise limit, <b>drain</b> at 0.95 ×
 *       (what the probe queued), six windows at the <b>cruise</b> limit. If the probe window
 *       delivered at least 5 % more than the cruise windows (the first after the drain left out),
 *       more in flight brings more throughput: the cruise limit takes the probe's value and the
 *       next window probes again, so a far-off capacity is reached in a few windows. If it
 *       delivered less than 2 % more, the extra calls only queued: the cruise limit eases off by 5
 *       % (not below 1.1 × capacity). Against a server that serves {@code C} calls at once the
 *       limit so settles just above {@code C}; where the round trip also grows from the caller's
 *       own load (a busy client), it keeps climbing as long as throughput follows.
 *   <li>every tenth cycle the drain goes down to half, so that the base round trip is seen without
 *       any queue (BBR's ProbeRTT; one window at half rate about every 16 s).
 *   <li><b>start-up</b>: the limit doubles each window while the rate still grows by a quarter
 *       within three windows, then cruises at 1.1 × the capacity it measured.
 *   <li><b>overload</b>: a window with a timeout, 429 or 503 cuts the limit to 80 % of the calls
 *       that were in flight, the rate is measured afresh and the cycle starts over.
 * </ul>
 *
 * <p>Why not a latency-only algorithm (Vegas, Gradient: the limit grows until the round trip is
 * some margin above its minimum): on a busy client the round trip grows from the client's own CPU
 * queueing long before the server is at capacity, so they stop far too early; measured with this
 * project's benchmark, Netflix's Vegas held the pipeline at 1,168 configured lines/s against a 50
 * ms API that could serve several times that. A throughput signal tells the two apart: more calls
 * in flight that bring more calls per second are worth it, more calls that only wait are not. (Nor
 * pure BBR, capacity × a fixed gain: it stops where the busy client's round trip exceeds the base
 * by more than the probe gain; hence the cruise limit that follows the probes.)
 *
 * <p>Thread-safety: not thread-safe; {@link ConcurrencyLimiter} calls it under its monitor.
 */
final class CapacityProbe {

  static final double PROBE_GAIN = 1.1;
  static final double DRAIN_GAIN = 0.95;
  static final double CRUISE_GAIN = 1.1;
  static final double OVERLOAD_CUT = 0.8;
  static final double PAID_OFF = 1.05;
  static final double FLAT = 1.02;
  static final double EASE = 0.95;
  static final double BASE_GAIN = 0.5;

  /** Every how many cycles the drain window goes down to {@link #BASE_GAIN} instead. */
  static final int BASE_EVERY = 10;

  private static final int CYCLE = 8; // probe, drain, six cruise windows

  private static final long MIN_WINDOW = TimeUnit.MILLISECONDS.toNanos(200);
  private static final long MAX_WINDOW = TimeUnit.SECONDS.toNanos(1);
  private static final int BASE_RTT_WINDOWS = (BASE_EVERY + 1) * CYCLE; // spans a base window
  private static final int RATE_WINDOWS = 10;
  private static final int MIN_SAMPLES = 20;

  private final int floor;
  private final int ceiling;
  private double limit;

  // the open window
  private long windowStart = Long.MIN_VALUE;
  private int samples;
  private long windowMinRtt = Long.MAX_VALUE;
  private int windowCalls;
  private int windowMaxInflight;
  private boolean windowDropped;

  // filters
  private final ArrayDeque<Double> rates = new ArrayDeque<>();
  private final ArrayDeque<Long> baseRtts = new ArrayDeque<>(); // each window's shortest call
  private boolean startup = true;
  private double startupBest;
  private int startupStalls;
  private int cycle;
  private int cycles;
  private double cruise; // the limit of cruise windows, found by probing
  private double cruiseRateSum; // delivery rates of this cycle's cruise windows
  private int cruiseWindows;

  CapacityProbe(int floor, int initial, int ceiling) {
    this.floor = floor;
    this.ceiling = ceiling;
    this.limit = initial;
  }

  /** The current limit. */
  int limit() {
    return (int) Math.round(limit);
  }

  /**
   * One finished call.
   *
   * @param now when it finished (nanoseconds, any origin)
   * @param rtt its round trip in nanoseconds
   * @param inflight calls in flight when it started (itself included)
   * @param dropped whether it met an overload signal (timeout, 429, 503)
   * @return true when the limit changed
   */
  boolean onSample(long now, long rtt, int inflight, boolean dropped) {
    if (windowStart == Long.MIN_VALUE) {
      windowStart = now - rtt;
    }
    if (!dropped) {
      samples++; // the rate counts calls the server served, not the ones it turned away
    }
    windowMinRtt = Math.min(windowMinRtt, rtt);
    windowCalls++;
    windowMaxInflight = Math.max(windowMaxInflight, inflight);
    windowDropped |= dropped;
    long length = now - windowStart;
    long wanted = Math.max(MIN_WINDOW, 4 * baseRtt(windowMinRtt));
    boolean full = samples >= MIN_SAMPLES && length >= wanted;
    if (!full && !(length >= MAX_WINDOW && (windowDropped || samples >= 2))) {
      return false;
    }
    int before = limit();
    closeWindow(now, length);
    return limit() != before;
  }

  private void closeWindow(long now, long length) {
    double rate = samples * 1e9 / length;
    boolean appLimited = windowMaxInflight < 0.9 * limit;
    if (windowCalls > 0) {
      baseRtts.addLast(windowMinRtt);
      while (baseRtts.size() > BASE_RTT_WINDOWS) {
        baseRtts.removeFirst();
      }
    }
    double rateBefore = maxRate();
    if (!appLimited || rate > rateBefore) {
      rates.addLast(rate);
      while (rates.size() > RATE_WINDOWS) {
        rates.removeFirst();
      }
    }
    if (windowDropped) {
      limit = Math.max(floor, Math.min(limit, windowMaxInflight) * OVERLOAD_CUT);
      cruise = limit;
      startup = false;
      cycle = 0;
      rates.clear(); // re-measure the rate the server sustains from here
      rates.addLast(rate);
    } else if (startup) {
      if (rate >= startupBest * 1.25) {
        startupBest = rate;
        startupStalls = 0;
      } else {
        startupStalls++; // the server, or the caller's demand, gives no more
      }
      if (startupStalls >= 3) {
        startup = false;
        cycle = 1; // drain what start-up queued
        cruise = bounded(capacity() * CRUISE_GAIN);
        limit = bounded(cruise * DRAIN_GAIN);
      } else if (!appLimited) {
        limit = bounded(limit * 2);
      }
    } else {
      boolean probePaidOff = false;
      if (cycle == 0 && cruiseWindows > 0 && !appLimited) {
        double cruiseRate = cruiseRateSum / cruiseWindows;
        if (rate >= PAID_OFF * cruiseRate) {
          probePaidOff = true; // more in flight brought more throughput: keep it, probe again
          cruise = bounded(cruise * PROBE_GAIN);
          cruiseRateSum = rate;
          cruiseWindows = 1;
        } else if (rate < FLAT * cruiseRate) {
          // no more throughput: ease off, but not below the measured capacity
          cruise = bounded(Math.max(capacity() * CRUISE_GAIN, cruise * EASE));
        }
      } else if (cycle >= 3 && !appLimited) { // the first after the drain still refills
        cruiseRateSum += rate;
        cruiseWindows++;
      }
      if (!probePaidOff) {
        cycle = (cycle + 1) % CYCLE;
        if (cycle == 0) {
          cycles++;
        }
        if (cycle == 2) {
          cruiseRateSum = 0;
          cruiseWindows = 0;
        }
      }
      // never below the measured capacity (a server that answers faster raised it)
      cruise = Math.max(cruise, bounded(capacity() * CRUISE_GAIN));
      double gain =
          switch (cycle) {
            case 0 -> PROBE_GAIN;
            case 1 -> cycles % BASE_EVERY == BASE_EVERY - 1 ? BASE_GAIN : DRAIN_GAIN;
            default -> 1.0;
          };
      limit = bounded(cruise * gain);
    }
    windowStart = now;
    samples = 0;
    windowMinRtt = Long.MAX_VALUE;
    windowCalls = 0;
    windowMaxInflight = 0;
    windowDropped = false;
  }

  /** Calls the server works on at once without queueing: max rate × base round trip. */
  double capacity() {
    return maxRate() * baseRtt(Long.MAX_VALUE) / 1e9;
  }

  private double maxRate() {
    double max = 0;
    for (double r : rates) {
      max = Math.max(max, r);
    }
    return max;
  }

  private long baseRtt(long orElse) {
    long min = orElse;
    for (long b : baseRtts) {
      min = Math.min(min, b);
    }
    return min == Long.MAX_VALUE ? 0 : min;
  }

  private double bounded(double value) {
    return Math.max(floor, Math.min(ceiling, value));
  }
}
