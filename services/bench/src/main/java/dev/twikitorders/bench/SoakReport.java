package dev.twikitorders.bench;

import dev.twikitorders.sandbox.api.Operation;
import dev.twikitorders.sandbox.counters.Counters;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the soak saw, gathered during the run and printed at its end: the load, the outputs and the
 * verdict, the sandbox's counters (non-2xx answers by status, token requests), the pipeline's own
 * counters (pauses by cause, retried attempts by kind, from every instance's last {@code /metrics}
 * scrape), the "Pipeline paused" log lines, the recovery of every {@code kill -9}, the longest
 * output gaps and the WARN lines per minute.
 *
 * <p>Not thread-safe: the soak's main thread fills and prints it.
 */
final class SoakReport {
  private record Event(long at, String what) {}

  private record Kill(long killedAt, SoakBench.Instance restarted) {}

  private final List<Event> events = new ArrayList<>();
  private final List<String> findings = new ArrayList<>();
  private final List<Kill> kills = new ArrayList<>();
  private long t0;
  private int minutes;
  private double ordersPerSecond;
  private int partitions;
  private long latencyMs;
  private SoakLoad load;
  private SoakTally tally;
  private Counters before;
  private Counters after;
  private List<SoakBench.Instance> instances = List.of();
  private SoakTally.Gap gapByTimestamp;
  private SoakTally.Gap gapByRead;
  private SoakTally.Verdict verdict;
  private boolean drained;

  void start(long t0, int minutes, double ordersPerSecond, int partitions, long latencyMs) {
    this.t0 = t0;
    this.minutes = minutes;
    this.ordersPerSecond = ordersPerSecond;
    this.partitions = partitions;
    this.latencyMs = latencyMs;
  }

  void event(long at, String what) {
    events.add(new Event(at, what));
  }

  /** Something the pipeline did that it should not have (an exit, a stall), for the report. */
  void finding(String what) {
    findings.add(what);
  }

  void kill(long killedAt, SoakBench.Instance restarted) {
    kills.add(new Kill(killedAt, restarted));
  }

  void load(SoakLoad load) {
    this.load = load;
  }

  void outputs(SoakTally tally) {
    this.tally = tally;
  }

  void sandbox(Counters before, Counters after) {
    this.before = before;
    this.after = after;
  }

  void instances(List<SoakBench.Instance> instances) {
    this.instances = List.copyOf(instances);
  }

  void gaps(SoakTally.Gap byTimestamp, SoakTally.Gap byRead, long t0) {
    this.gapByTimestamp = byTimestamp;
    this.gapByRead = byRead;
  }

  void verdict(SoakTally.Verdict verdict, boolean drained) {
    this.verdict = verdict;
    this.drained = drained;
  }

  void print(PrintStream out, Path workDir) {
    out.println();
    out.printf(
        Locale.ROOT,
        "=== Soak: %d min, %.0f orders/s, %d partitions, API latency %d ms, exactly_once_v2 ===%n",
        minutes,
        ordersPerSecond,
        partitions,
        latencyMs);
    out.println("Timeline (s from the start of the load):");
    for (Event e : events) {
      out.printf(Locale.ROOT, "  %7.1f  %s%n", rel(e.at()), e.what());
    }

    out.println();
    out.println("Load:");
    out.printf(
        "  orders placed %d (configured lines %d, plain lines %d, lines with an unknown or"
            + " incompatible configuration %d)%n",
        load.placed(), load.configuredLines(), load.plainLines(), load.badConfigurationLines());
    out.printf(
        "  cancellations %d (%d lines), unreadable records %d, invalid events %d%n",
        load.cancelled(), load.cancelledLines(), load.unreadable(), load.invalid());
    out.printf("  expected outcomes %d: %s%n", tally.expected(), tally.expectedByKind());

    out.println("Outputs (read_committed):");
    out.printf(
        "  ERP %d, fulfillment %d, dead letters %d%n",
        tally.records(SoakTally.Output.ERP),
        tally.records(SoakTally.Output.FULFILLMENT),
        tally.records(SoakTally.Output.DEAD_LETTER));
    out.printf("  dead letters by reason: %s%n", tally.deadLettersByReason());
    out.printf(
        "  configured lines the sandbox serves that were dead-lettered instead: %s%n",
        verdict.deadLetteredInsteadOfEnriched().isEmpty()
            ? "none"
            : verdict.deadLetteredInsteadOfEnriched()
                + " e.g. "
                + verdict.examples().getOrDefault("dead-lettered", List.of()));

    out.println("Twikit sandbox (during the load and the drain):");
    out.printf("  API answers by status (0 = hung, never answered): %s%n", statusDelta());
    long retried =
        statusDelta().entrySet().stream()
            .filter(
                e -> e.getKey() == 0 || e.getKey() == 408 || e.getKey() == 429 || e.getKey() >= 500)
            .mapToLong(Map.Entry::getValue)
            .sum();
    out.printf(
        "  retried answers (hung, 408, 429, 5xx; 404 = unknown configurations, not retried): %d%n",
        retried);
    out.printf(
        "  token requests: issued %d, rejected %d%n",
        after.tokensIssued() - before.tokensIssued(),
        after.tokenRequestsRejected() - before.tokenRequestsRejected());

    out.println("Pipeline (summed over every instance's last /metrics scrape):");
    out.printf("  pauses by cause: %s%n", sum(MetricsScrape.PAUSES));
    out.printf(
        "  failed (retried) Twikit attempts by kind: %s%n", sum(MetricsScrape.FAILED_ATTEMPTS));
    out.printf(
        "  dead letters by type (its own count: aborted ones included, killed instances as of their last scrape): %s%n",
        sum(MetricsScrape.DEAD_LETTERS));
    long pausedLines = instances.stream().mapToLong(i -> i.log.paused()).sum();
    out.printf("  \"Pipeline paused\" log lines: %d%n", pausedLines);
    for (SoakBench.Instance i : instances) {
      for (String line : i.log.pausedLines()) {
        out.printf("    %s: %s%n", i.name, line);
      }
    }

    out.println("Instances:");
    for (SoakBench.Instance i : instances) {
      out.printf(
          Locale.ROOT,
          "  %-3s started %7.1f, RUNNING %s, ended %s: %s; WARN %d, ERROR %d; log %s%n",
          i.name,
          rel(i.startedAt),
          i.log.runningAt() < 0 ? "never" : fmt(rel(i.log.runningAt())),
          i.endedAt < 0 ? "-" : fmt(rel(i.endedAt)),
          i.end == null ? "running" : i.end,
          i.log.warns(),
          i.log.errors(),
          i.log.log().getFileName());
    }

    out.println(
        "kill -9 recoveries (restart -> RUNNING; -> first output emitted after the restart; -> it committed and read):");
    int n = 0;
    for (Kill k : kills) {
      SoakBench.Instance r = k.restarted();
      long[] first = tally.firstEmittedSince(r.startedAt);
      out.printf(
          Locale.ROOT,
          "  #%d at %7.1f (%s): RUNNING after %s, first output emitted after %s, read after %s%n",
          ++n,
          rel(k.killedAt()),
          r.name,
          r.log.runningAt() < 0 ? "never" : secs(r.log.runningAt() - r.startedAt),
          first == null ? "never" : secs(first[0] - r.startedAt),
          first == null ? "never" : secs(first[1] - r.startedAt));
    }

    out.println("Longest gap between consecutive committed outputs (load start to drained):");
    out.printf(
        Locale.ROOT,
        "  by record timestamp (emit time): %s, from %7.1f to %7.1f%n",
        secs(gapByTimestamp.millis()),
        rel(gapByTimestamp.from()),
        rel(gapByTimestamp.to()));
    out.printf(
        Locale.ROOT,
        "  by the moment the verifier read them: %s, from %7.1f to %7.1f%n",
        secs(gapByRead.millis()),
        rel(gapByRead.from()),
        rel(gapByRead.to()));

    out.println("WARN / ERROR lines of the pipeline logs per minute of the run:");
    Map<Long, long[]> perMinute = new TreeMap<>();
    for (SoakBench.Instance i : instances) {
      i.log
          .warnsBySecond()
          .forEach((sec, c) -> perMinute.computeIfAbsent(minute(sec), x -> new long[2])[0] += c);
      i.log
          .errorsBySecond()
          .forEach((sec, c) -> perMinute.computeIfAbsent(minute(sec), x -> new long[2])[1] += c);
    }
    StringBuilder sb = new StringBuilder("  ");
    perMinute.forEach(
        (m, c) -> sb.append(String.format(Locale.ROOT, "m%d: %d/%d  ", m, c[0], c[1])));
    out.println(sb.toString().stripTrailing());
    for (SoakBench.Instance i : instances) {
      for (String line : i.log.errorSamples()) {
        out.printf("    %s ERROR: %s%n", i.name, line);
      }
    }

    if (!findings.isEmpty()) {
      out.println("FINDINGS:");
      findings.forEach(f -> out.println("  " + f));
    }
    out.println();
    out.println("Child logs, GC logs and state: " + workDir);
    if (verdict.ok() && drained) {
      out.println(
          "SOAK OK: every input accounted for exactly once (outputs or one dead letter), no"
              + " duplicates, per-order order kept.");
    } else {
      out.println("SOAK FAILED:");
      if (!drained) {
        out.println("  the pipeline did not drain (see the timeline)");
      }
      verdict.problems().forEach(p -> out.println("  " + p));
    }
  }

  private Map<Integer, Long> statusDelta() {
    Map<Integer, Long> m = new TreeMap<>();
    after
        .requests()
        .forEach(
            (op, byStatus) -> {
              if (op != Operation.STATUS) {
                byStatus.forEach((s, c) -> m.merge(s, c, Long::sum));
              }
            });
    before
        .requests()
        .forEach(
            (op, byStatus) -> {
              if (op != Operation.STATUS) {
                byStatus.forEach((s, c) -> m.merge(s, -c, Long::sum));
              }
            });
    m.values().removeIf(v -> v == 0);
    return m;
  }

  private Map<String, Long> sum(String metric) {
    Map<String, Long> m = new TreeMap<>();
    for (SoakBench.Instance i : instances) {
      i.metrics
          .getOrDefault(metric, Map.of())
          .forEach((k, v) -> m.merge(k, Math.round(v), Long::sum));
    }
    return m;
  }

  /** The minute of the run (negative before the load) of an epoch second. */
  private long minute(long epochSecond) {
    return Math.floorDiv(epochSecond * 1000 - t0, 60_000);
  }

  private double rel(long at) {
    return (at - t0) / 1000.0;
  }

  private static String fmt(double s) {
    return String.format(Locale.ROOT, "%.1f", s);
  }

  private static String secs(long millis) {
    return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
