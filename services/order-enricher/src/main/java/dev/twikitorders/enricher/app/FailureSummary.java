package dev.twikitorders.enricher.app;

import dev.twikitorders.enricher.flow.SystemPauses;
import dev.twikitorders.enricher.stats.PipelineStats;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While something is wrong, one log line per {@link #INTERVAL} instead of one per failed call: how
 * many Twikit call attempts failed in the interval and how (by kind), how many events wait, how
 * many of them are not started, since when the oldest waits, and what pauses the pipeline. Quiet
 * when nothing failed and nothing pauses. State changes (breaker, token endpoint, pauses) are
 * logged where they happen, once each.
 *
 * <p>Thread-safe; runs on its own daemon thread.
 */
final class FailureSummary implements AutoCloseable {
  static final Duration INTERVAL = Duration.ofMinutes(1);
  private static final Logger LOG = LoggerFactory.getLogger(FailureSummary.class);

  private final PipelineStats stats;
  private final SystemPauses pauses;
  private final Clock clock;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "failure-summary");
            t.setDaemon(true);
            return t;
          });
  private Map<String, Long> previous = Map.of();

  FailureSummary(PipelineStats stats, SystemPauses pauses, Clock clock) {
    this.stats = stats;
    this.pauses = pauses;
    this.clock = clock;
  }

  void start() {
    long ms = INTERVAL.toMillis();
    timer.scheduleAtFixedRate(this::logOnce, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** Logs the summary of the interval since the last call, if anything failed or pauses. */
  synchronized void logOnce() {
    try {
      String line = summarize();
      if (line != null) {
        LOG.warn("{}", line);
      }
    } catch (RuntimeException e) {
      LOG.warn("Cannot summarize failures", e); // never let the timer die
    }
  }

  /** The summary line for the interval since the last call, or null when all is well. */
  synchronized String summarize() {
    Map<String, Long> now = stats.failedAttempts();
    Map<String, Long> delta = new HashMap<>();
    long failed = 0;
    for (var e : now.entrySet()) {
      long d = e.getValue() - previous.getOrDefault(e.getKey(), 0L);
      if (d > 0) {
        delta.put(e.getKey(), d);
        failed += d;
      }
    }
    previous = now;
    if (failed == 0 && !pauses.paused()) {
      return null;
    }
    StringJoiner kinds = new StringJoiner(", ", " (", ")");
    delta.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> kinds.add(e.getKey() + " " + e.getValue()));
    StringBuilder sb =
        new StringBuilder("Twikit calls failing: ")
            .append(failed)
            .append(" failed attempts in the last ")
            .append(INTERVAL.toSeconds())
            .append(" s");
    if (failed > 0) {
      sb.append(kinds);
    }
    sb.append("; ")
        .append(stats.pendingEvents())
        .append(" events waiting (")
        .append(stats.parkedEvents())
        .append(" not started)");
    stats
        .oldestPendingSince()
        .ifPresent(
            t ->
                sb.append(", the oldest for ")
                    .append(Math.max(0, Duration.between(t, clock.instant()).toSeconds()))
                    .append(" s"));
    if (pauses.paused()) {
      sb.append("; paused: ").append(pauses.describe());
    }
    return sb.toString();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
