package dev.twikitorders.bench;

/**
 * The row of the {@code delivery} round: the delivery service from Kafka to the sandbox's sink.
 *
 * @param round the round's name, {@code delivery}
 * @param records measured records
 * @param batch {@code delivery.batch.max.records}
 * @param lingerMs {@code delivery.linger.ms}
 * @param latencyMs the sink's latency per request
 * @param partitions partitions of the delivered topic
 * @param seconds first measured produce to the last measured key at the sink
 * @param recordsPerSec {@code records / seconds}; 0 when the round did not finish
 * @param sinkItems items the sink recorded for the measured records (duplicates included)
 * @param duplicates items that repeated a key the sink already had (at least once: reported, not a
 *     failure)
 * @param missing measured keys that never arrived
 * @param unknown keys at the sink that the round did not produce
 * @param orderViolations keys that arrived before an earlier record of their order; -1 when not
 *     checked
 * @param deadLetters records on the delivery's dead-letter topic
 * @param verdict "ok", or what broke
 */
record DeliveryRoundResult(
    String round,
    int records,
    int batch,
    long lingerMs,
    long latencyMs,
    int partitions,
    double seconds,
    double recordsPerSec,
    long sinkItems,
    long duplicates,
    long missing,
    long unknown,
    long orderViolations,
    long deadLetters,
    String verdict) {

  /** Every key arrived, none unknown, in order per order, no dead letter. */
  boolean verified() {
    return verdict.equals("ok");
  }
}
