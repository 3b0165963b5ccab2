package dev.twikitorders.enricher.config;

import dev.twikitorders.settings.Setting;
import dev.twikitorders.settings.SettingValues;
import java.time.Duration;
import java.util.List;

/**
 * How the processor enriches events.
 *
 * @param maxPendingEvents events with calls in flight per task; beyond that, events wait unstarted
 *     and the task's input partition is paused at the source (backpressure)
 * @param maxBlock the longest one {@code process()} call waits (for a slot; in sync mode for its
 *     event)
 * @param maxLinesPerEvent the most configured lines an event may have; more make it invalid
 */
public record EnrichmentSettings(
    EnrichmentMode mode, int maxPendingEvents, Duration maxBlock, int maxLinesPerEvent) {
  public static final Setting MODE =
      new Setting(
          "enrichment.mode",
          "async",
          false,
          "async: many calls in flight per task; sync: one event per task, its calls one after"
              + " another, waited for on the stream thread (the naive baseline).");
  public static final Setting MAX_PENDING_EVENTS =
      new Setting(
          "enrichment.max.pending.events",
          "1000",
          false,
          "Events with Twikit calls in flight per task. Beyond it, further events wait unstarted"
              + " and the task's input partition is paused at the source until slots free"
              + " (backpressure; memory stays bounded).");
  public static final Setting MAX_BLOCK =
      new Setting(
          "enrichment.max.block.ms",
          "2000",
          false,
          "Longest wait of one process() call: for a free slot when a task is at its bound"
              + " (then the event waits unstarted and the partition is paused), and in sync mode"
              + " for the event's calls. With kafka.commit.interval.ms it must stay within half of"
              + " kafka.producer.transaction.timeout.ms, and within half of"
              + " kafka.max.poll.interval.ms (checked at start).");

  public static final Setting MAX_LINES_PER_EVENT =
      new Setting(
          "enrichment.max.lines.per.event",
          "500",
          false,
          "Most configured lines (with a configurationId) one event may have; an event with more"
              + " is dead-lettered as INVALID_EVENT.");

  static final List<Setting> SETTINGS =
      List.of(MODE, MAX_PENDING_EVENTS, MAX_BLOCK, MAX_LINES_PER_EVENT);

  static EnrichmentSettings read(SettingValues v) {
    return new EnrichmentSettings(
        v.enumValue(MODE, EnrichmentMode.class),
        v.integer(MAX_PENDING_EVENTS, 1, 1_000_000),
        v.millis(MAX_BLOCK, 0),
        v.integer(MAX_LINES_PER_EVENT, 1, 1_000_000));
  }
}
