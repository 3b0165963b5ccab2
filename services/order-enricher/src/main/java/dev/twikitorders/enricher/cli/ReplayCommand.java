package dev.twikitorders.enricher.cli;

import dev.twikitorders.enricher.app.JobResources;
import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.enricher.replay.Progress;
import dev.twikitorders.enricher.replay.ReplayJob;
import dev.twikitorders.enricher.replay.ReplayUsageException;
import dev.twikitorders.enricher.replay.ReplayWindow;
import dev.twikitorders.enricher.replay.WindowParsing;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Replays a window of the input topic into the outputs as a bounded job (docs/replay.md). */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 120,
    header = "Replays a window of the order events into the outputs (a bounded job).",
    description = {
      "Replays a window of the order events (setting topic.order.events) into the ERP, fulfillment and dead-letter",
      "topics, with the same records the live pipeline writes (same keys, values, idempotency-key, event-id and",
      "source headers) plus a replay-id header. A bounded job: it stops at the end of the window and exits.",
      ""
    },
    footer = {
      "",
      "Window: give --from-timestamp and/or --to-timestamp, or --from-offsets and/or --to-offsets (not both kinds).",
      "  Every end is exclusive: the window is [from, to). A time bound is resolved per partition with",
      "  offsetsForTimes (the first record whose timestamp is at or after it); a missing start is the log start,",
      "  a missing end the end offset captured when the replay starts (records written later are not read).",
      "  Offset lists name partitions; with --partitions, unnamed partitions run from log start to end.",
      "",
      "Safety: reads with a plain consumer (assign + seek, no group id, no commits, isolation.level=",
      "  read_committed), so it never touches the live application's consumer group, offsets or state. It does not",
      "  pause the live pipeline: while both run, the outputs hold live and replayed records with equal",
      "  idempotency keys. Consumers deduplicate on the idempotency-key header, also when a replay is re-run.",
      "",
      "Writes: the events of a batch (--batch-size) are enriched concurrently through the Twikit API, then their",
      "  outputs are written in input order per partition in one transaction (transactional.id",
      "  order-enricher-replay-<replay-id>), committed per batch. If a replay stops half-way, the committed batches",
      "  stay; the error names the offsets to resume from.",
      "",
      "Progress (with ETA) goes to stderr, the summary to stdout.",
      "Exit codes: 0 done, 1 failed (Kafka, registry or Twikit broke mid-way), 2 bad flag, value or setting.",
      "Examples (see docs/replay.md):",
      "  order-enricher replay --from-timestamp 2025-03-01T00:00:00Z --to-timestamp 2025-03-02T00:00:00Z --dry-run",
      "  order-enricher replay --from-offsets 0:1200,1:980 --to-offsets 0:1500,1:1300",
      "  order-enricher replay --order-id o-4711 --from-timestamp 2025-03-01 --target-topic-prefix rehearsal."
    })
final class ReplayCommand implements Callable<Integer> {
  @Mixin ConfigOptions options = new ConfigOptions();
  @Mixin WriteOptions writes = new WriteOptions();
  @Mixin JobOptions.DryRun dryRun = new JobOptions.DryRun();
  @Mixin JobOptions.NoProgress progress = new JobOptions.NoProgress();
  @Mixin JobOptions.Json json = new JobOptions.Json();
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = ReplayWindow.FROM_TIMESTAMP,
      paramLabel = "INSTANT",
      description =
          "Start of a time window (inclusive), ISO-8601 with zone: 2025-03-01T00:00:00Z, "
              + "2025-03-01T01:00:00+01:00, or a date (midnight UTC).")
  String fromTimestamp;

  @Option(
      names = ReplayWindow.TO_TIMESTAMP,
      paramLabel = "INSTANT",
      description = "End of a time window (exclusive). Default: the end offset at start.")
  String toTimestamp;

  @Option(
      names = ReplayWindow.FROM_OFFSETS,
      paramLabel = "P:O[,P:O...]",
      description = "Start offsets (inclusive) per partition, e.g. 0:1200,2:4500.")
  String fromOffsets;

  @Option(
      names = ReplayWindow.TO_OFFSETS,
      paramLabel = "P:O[,P:O...]",
      description = "End offsets (exclusive) per partition. Default: the end offset at start.")
  String toOffsets;

  @Option(
      names = ReplayWindow.PARTITIONS,
      paramLabel = "P[,P...]",
      description =
          "Only these partitions (default: all for a time window, those named for an offset window).")
  String partitions;

  @Option(
      names = "--order-id",
      paramLabel = "ID",
      description =
          "Only events of this order; the others in the window are read and counted as skipped.")
  String orderId;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ReplayWindow window =
        ReplayWindow.of(
            fromTimestamp == null
                ? null
                : WindowParsing.instant(ReplayWindow.FROM_TIMESTAMP, fromTimestamp),
            toTimestamp == null
                ? null
                : WindowParsing.instant(ReplayWindow.TO_TIMESTAMP, toTimestamp),
            fromOffsets == null
                ? null
                : WindowParsing.offsets(ReplayWindow.FROM_OFFSETS, fromOffsets),
            toOffsets == null ? null : WindowParsing.offsets(ReplayWindow.TO_OFFSETS, toOffsets),
            partitions == null
                ? null
                : WindowParsing.partitions(ReplayWindow.PARTITIONS, partitions));
    String id = writes.replayId();
    if (orderId != null && orderId.isBlank()) {
      throw new ReplayUsageException("--order-id must not be blank");
    }
    var request =
        new ReplayJob.Request(
            window, orderId, dryRun.dryRun, id, writes.targetTopicPrefix, writes.batchSize);
    EnricherConfig config = options.load(System.getenv());
    try (JobResources resources = JobResources.open(config, !dryRun.dryRun)) {
      var job =
          new ReplayJob(
              config,
              resources.serdes(),
              resources.eventDeserializer(),
              resources.enricher(),
              Clock.systemUTC(),
              new Progress(err, progress.show()));
      ReplayJob.Report report = job.run(request);
      if (json.json) {
        report.printJson(out);
      } else {
        report.print(out);
      }
      return 0;
    }
  }
}
