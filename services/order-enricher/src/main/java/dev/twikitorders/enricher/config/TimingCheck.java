package dev.twikitorders.enricher.config;

import dev.twikitorders.settings.ConfigException;

/**
 * Checks that the stream thread's longest wait fits the Kafka timeouts it must keep alive. The only
 * wait of the pipeline is the sync mode's, at most {@code enrichment.max.block.ms} per record; the
 * transaction opened since the last commit and the poll loop must survive it with room to spare:
 *
 * <ul>
 *   <li>{@code enrichment.max.block.ms + commit.interval.ms <= transaction.timeout.ms / 2}: an open
 *       transaction never comes near its timeout (else the broker aborts it and fences the
 *       producer);
 *   <li>{@code enrichment.max.block.ms <= max.poll.interval.ms / 2}: the consumer never leaves the
 *       group for being slow.
 * </ul>
 *
 * The Kafka values are the effective ones: the pass-through {@code kafka.*} overrides, with Kafka
 * Streams' prefixes ({@code main.consumer.} before {@code consumer.} before none; {@code producer.}
 * before none), else Kafka Streams' exactly-once defaults.
 */
final class TimingCheck {
  static final long DEFAULT_COMMIT_INTERVAL_MS = 100; // Kafka Streams' default under exactly-once
  static final long DEFAULT_TRANSACTION_TIMEOUT_MS = 10_000; // Kafka Streams' default, exactly-once
  static final long DEFAULT_MAX_POLL_INTERVAL_MS = 300_000;

  private TimingCheck() {}

  static void check(KafkaSettings kafka, EnrichmentSettings enrichment) {
    long block = enrichment.maxBlock().toMillis();
    long commit = kafka.effective(DEFAULT_COMMIT_INTERVAL_MS, "commit.interval.ms");
    long transaction =
        kafka.effective(
            DEFAULT_TRANSACTION_TIMEOUT_MS,
            "producer.transaction.timeout.ms",
            "transaction.timeout.ms");
    long poll =
        kafka.effective(
            DEFAULT_MAX_POLL_INTERVAL_MS,
            "main.consumer.max.poll.interval.ms",
            "consumer.max.poll.interval.ms",
            "max.poll.interval.ms");
    if (block + commit > transaction / 2) {
      throw new ConfigException(
          EnrichmentSettings.MAX_BLOCK.key()
              + " ("
              + block
              + ") plus kafka.commit.interval.ms ("
              + commit
              + ") must be at most half of kafka.producer.transaction.timeout.ms ("
              + transaction
              + "), or an open transaction may time out while the stream thread waits: lower "
              + EnrichmentSettings.MAX_BLOCK.key()
              + " or raise kafka.producer.transaction.timeout.ms");
    }
    if (block > poll / 2) {
      throw new ConfigException(
          EnrichmentSettings.MAX_BLOCK.key()
              + " ("
              + block
              + ") must be at most half of kafka.max.poll.interval.ms ("
              + poll
              + "), or the consumer may leave the group while the stream thread waits: lower "
              + EnrichmentSettings.MAX_BLOCK.key()
              + " or raise kafka.max.poll.interval.ms");
    }
  }
}
