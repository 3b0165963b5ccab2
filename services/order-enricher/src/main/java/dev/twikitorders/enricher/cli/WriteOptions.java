package dev.twikitorders.enricher.cli;

import dev.twikitorders.enricher.replay.ReplayUsageException;
import java.util.UUID;
import picocli.CommandLine.Option;

/**
 * How a bounded job that writes outputs ({@code replay}, {@code dlq redrive}) identifies and
 * batches its writes: a picocli mixin shared by both.
 */
final class WriteOptions {
  @Option(
      names = "--replay-id",
      paramLabel = "ID",
      description = "The replay-id header and dead-letter replayId (default: a random UUID).")
  String replayId;

  @Option(
      names = "--target-topic-prefix",
      paramLabel = "PREFIX",
      description =
          "Write to <PREFIX><output topic> instead of the outputs (e.g. rehearsal.), created if"
              + " missing with the partitions of the output they copy.")
  String targetTopicPrefix;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      defaultValue = "500",
      description =
          "Source events enriched concurrently and written per transaction (default:"
              + " ${DEFAULT-VALUE}).")
  int batchSize;

  /** The replay id: given, or a random UUID. */
  String replayId() {
    if (replayId == null) {
      return UUID.randomUUID().toString();
    }
    // it becomes part of a transactional.id and a header: keep it plain
    if (!replayId.matches("[A-Za-z0-9._:-]{1,100}")) {
      throw new ReplayUsageException(
          "--replay-id '" + replayId + "' must be 1-100 letters, digits, '.', '_', ':' or '-'");
    }
    return replayId;
  }
}
