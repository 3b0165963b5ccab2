package dev.twikitorders.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What the soak does when: Twikit fault windows (429 bursts, a full API outage, a token-endpoint
 * outage), {@code kill -9} of the pipeline instance, and a second instance joining and leaving. The
 * default schedule places every step at a fixed fraction of the run, so that a 10-minute run gets
 * 60 s API and 30 s token outages and 12 s bursts about every 2.5 minutes, and shorter runs get the
 * same steps, shortened.
 *
 * <p>Immutable; thread-safe.
 */
record FaultSchedule(Duration length, List<Step> steps) {
  /** One kind of step. */
  enum Action {
    BURST_429_START,
    BURST_429_END,
    API_OUTAGE_START,
    API_OUTAGE_END,
    TOKEN_OUTAGE_START,
    TOKEN_OUTAGE_END,
    KILL_AND_RESTART,
    SECOND_INSTANCE_JOINS,
    SECOND_INSTANCE_LEAVES
  }

  /** {@code action} at {@code at} after the start of the load. */
  record Step(Duration at, Action action) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%6.1f s  %s", at.toMillis() / 1000.0, action);
    }
  }

  FaultSchedule {
    steps = steps.stream().sorted(Comparator.comparing(Step::at)).toList();
  }

  /** The default schedule for a run of {@code length} (at least one minute). */
  static FaultSchedule defaults(Duration length) {
    if (length.toSeconds() < 60) {
      throw new IllegalArgumentException("the soak lasts at least one minute, was " + length);
    }
    double t = length.toMillis() / 1000.0;
    // 60 s / 30 s / 12 s at 10 minutes; shorter runs shorter windows, with floors that still
    // outlast the client's retries (5 attempts) and a token renewal
    double outage = clamp(0.10 * t, 15, 60);
    double tokenOutage = clamp(0.05 * t, 10, 30);
    double burst = clamp(0.02 * t, 5, 12);
    List<Step> steps = new ArrayList<>();
    for (double at : new double[] {0.075, 0.30, 0.575, 0.90}) {
      window(steps, at * t, burst, Action.BURST_429_START, Action.BURST_429_END);
    }
    window(steps, 0.45 * t, outage, Action.API_OUTAGE_START, Action.API_OUTAGE_END);
    // while both instances run (and well after the first kill), so that calls need tokens
    window(steps, 0.34 * t, tokenOutage, Action.TOKEN_OUTAGE_START, Action.TOKEN_OUTAGE_END);
    steps.add(new Step(seconds(0.125 * t), Action.KILL_AND_RESTART));
    steps.add(new Step(seconds(0.60 * t), Action.KILL_AND_RESTART));
    // a restarted instance waits out the killed one's session (45 s by default) before it runs:
    // the last kill comes at least a minute after the one before, so that each recovery completes
    steps.add(
        new Step(
            seconds(Math.min(Math.max(0.80 * t, 0.60 * t + 60), t - 1)), Action.KILL_AND_RESTART));
    steps.add(new Step(seconds(0.25 * t), Action.SECOND_INSTANCE_JOINS));
    steps.add(new Step(seconds(0.40 * t), Action.SECOND_INSTANCE_LEAVES));
    return new FaultSchedule(length, steps);
  }

  /** The steps of one action, in time order. */
  List<Step> of(Action action) {
    return steps.stream().filter(s -> s.action() == action).toList();
  }

  private static void window(List<Step> steps, double at, double seconds, Action on, Action off) {
    steps.add(new Step(seconds(at), on));
    steps.add(new Step(seconds(at + seconds), off));
  }

  private static Duration seconds(double s) {
    return Duration.ofMillis(Math.round(s * 1000));
  }

  private static double clamp(double v, double min, double max) {
    return Math.max(min, Math.min(max, v));
  }
}
