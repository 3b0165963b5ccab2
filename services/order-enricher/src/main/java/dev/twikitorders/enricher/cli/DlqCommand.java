package dev.twikitorders.enricher.cli;

import dev.twikitorders.deadletters.DeadLetterFilter;
import dev.twikitorders.deadletters.DeadLetterFilterOptions;
import dev.twikitorders.deadletters.DeadLetterListing;
import dev.twikitorders.enricher.app.JobResources;
import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.enricher.replay.DeadLetterJobs;
import dev.twikitorders.enricher.replay.Progress;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Lists and re-drives dead letters (docs/replay.md). */
@Command(
    name = "dlq",
    mixinStandardHelpOptions = true,
    header = "Lists and re-drives dead letters.",
    description = {
      "Lists and re-drives the dead letters of the dead-letter topic (setting topic.dead.letters).",
      "Both read it with a plain consumer (no group id, no commits, read_committed) up to its end at start."
    },
    subcommands = {
      DlqCommand.ListCommand.class,
      DlqCommand.RedriveCommand.class,
      CommandLine.HelpCommand.class
    })
final class DlqCommand implements Runnable {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      usageHelpWidth = 120,
      description = {
        "Prints the matching dead letters, one per line: DLQ partition/offset, source topic/partition/offset, error",
        "type, attempts, failedAt, event/order/line/configuration ids, replay id and message. Never prints the",
        "stored key or value bytes. Exit codes: 0 done, 2 bad flag, value or setting."
      })
  static final class ListCommand implements Callable<Integer> {
    @Mixin ConfigOptions options = new ConfigOptions();
    @Mixin DeadLetterFilterOptions filters = new DeadLetterFilterOptions();
    @Mixin JobOptions.NoProgress progress = new JobOptions.NoProgress();
    @Mixin JobOptions.Json json = new JobOptions.Json();
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "100",
        description = "Print at most N dead letters (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      DeadLetterFilter filter = filters.filter();
      EnricherConfig config = options.load(System.getenv());
      try (JobResources resources = JobResources.open(config, false)) {
        DeadLetterListing listing =
            new DeadLetterJobs(
                    config,
                    resources.serdes(),
                    resources.eventDeserializer(),
                    Clock.systemUTC(),
                    new Progress(err, progress.show()))
                .list(filter, limit);
        if (json.json) {
          listing.printJson(out);
        } else {
          listing.print(out);
        }
      }
      return 0;
    }
  }

  @Command(
      name = "redrive",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      usageHelpWidth = 120,
      description = {
        "Re-processes the matching dead letters from their original bytes (key, value) with the semantics",
        "of the live pipeline and writes the outputs it produces now.",
        ""
      },
      footer = {
        "",
        "A dead letter that names a line (NOT_FOUND, INCOMPATIBLE, RETRIES_EXHAUSTED, ...) re-drives that line only:",
        "  the whole original event is enriched again (the same Twikit update as the live run), and only the",
        "  outputs of that line are written. A dead letter without a line (UNREADABLE, INVALID_EVENT) re-drives",
        "  every output of its event. Outputs carry the original source, event-id and idempotency-key headers and",
        "  this re-drive's replay-id header.",
        "A line that fails again is dead-lettered again with attempts = previous attempts + new ones and replayId",
        "  set. When a line has several dead letters (from earlier re-drives), only the latest is re-driven.",
        "A dead letter of an output the broker refused (PRODUCTION_ERROR) holds no original bytes: its source",
        "  record is read back from the input by topic/partition/offset, and only the refused output is written.",
        "  A source record deleted by retention stops the job before it writes anything (exit code 2).",
        "Writes: batches (--batch-size source events) in one transaction each (transactional.id",
        "  order-enricher-redrive-<replay-id>). A re-drive does not remember what it re-drove: running it again",
        "  re-drives the same dead letters again; consumers deduplicate on idempotency-key. Narrow a re-run with",
        "  --from-timestamp. A re-driven PLACED line reaches the outputs after any later record of its order (e.g. a",
        "  cancellation): consumers order by occurredAt/status, not by arrival.",
        "Exit codes: 0 done (also when lines failed again: see 'dead-lettered again'), 1 failed mid-way,",
        "  2 bad flag, value or setting."
      })
  static final class RedriveCommand implements Callable<Integer> {
    @Mixin ConfigOptions options = new ConfigOptions();
    @Mixin DeadLetterFilterOptions filters = new DeadLetterFilterOptions();
    @Mixin WriteOptions writes = new WriteOptions();
    @Mixin JobOptions.DryRun dryRun = new JobOptions.DryRun();
    @Mixin JobOptions.NoProgress progress = new JobOptions.NoProgress();
    @Mixin JobOptions.Json json = new JobOptions.Json();
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "0",
        description = "Re-drive at most N dead letters (default: 0 = all that match).")
    int limit;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      DeadLetterFilter filter = filters.filter();
      String id = writes.replayId();
      EnricherConfig config = options.load(System.getenv());
      try (JobResources resources = JobResources.open(config, !dryRun.dryRun)) {
        DeadLetterJobs.RedriveReport report =
            new DeadLetterJobs(
                    config,
                    resources.serdes(),
                    resources.eventDeserializer(),
                    Clock.systemUTC(),
                    new Progress(err, progress.show()))
                .redrive(
                    filter,
                    limit,
                    dryRun.dryRun,
                    id,
                    writes.targetTopicPrefix,
                    writes.batchSize,
                    resources.enricher());
        if (json.json) {
          report.printJson(out);
        } else {
          report.print(out);
        }
      }
      return 0;
    }
  }
}
