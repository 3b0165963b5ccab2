package dev.twikitorders.enricher.topology;

import java.time.Duration;
import java.util.Objects;

/**
 * How the enrichment processor runs.
 *
 * @param maxPendingEvents events whose outputs are not yet emitted, per task; when reached, {@code
 *     process()} waits for completions (backpressure) for at most {@code maxBlock}
 * @param maxBlock the longest one {@code process()} call waits for capacity; keep it well under
 *     {@code max.poll.interval.ms}
 * @param drainInterval how often (wall clock) completed work is emitted when no input arrives
 * @param replayId set on replays: added as the {@code replay-id} header; null for the live run
 */
public record ProcessingSettings(
    int maxPendingEvents, Duration maxBlock, Duration drainInterval, String replayId) {
  public static final int DEFAULT_MAX_PENDING_EVENTS = 1_000;
  public static final Duration DEFAULT_MAX_BLOCK = Duration.ofSeconds(10);
  public static final Duration DEFAULT_DRAIN_INTERVAL = Duration.ofMillis(5);

  public ProcessingSettings {
    if (maxPendingEvents < 1) {
      throw new IllegalArgumentException("maxPendingEvents must be >= 1, was " + maxPendingEvents);
    }
    Objects.requireNonNull(maxBlock, "maxBlock");
    Objects.requireNonNull(drainInterval, "drainInterval");
    if (maxBlock.isNegative() || drainInterval.isNegative() || drainInterval.isZero()) {
      throw new IllegalArgumentException("maxBlock must be >= 0 and drainInterval > 0");
    }
  }

  public static ProcessingSettings defaults() {
    return new ProcessingSettings(
        DEFAULT_MAX_PENDING_EVENTS, DEFAULT_MAX_BLOCK, DEFAULT_DRAIN_INTERVAL, null);
  }

  public ProcessingSettings withReplayId(String id) {
    return new ProcessingSettings(maxPendingEvents, maxBlock, drainInterval, id);
  }
}
