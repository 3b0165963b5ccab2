package dev.twikitorders.deadletters;

import picocli.CommandLine.Option;

/**
 * The picocli options selecting dead letters, for a {@code dlq} command to {@code @Mixin}: {@code
 * --error-type}, {@code --from-timestamp}, {@code --to-timestamp} and {@code --order-id}. The
 * values are parsed by {@link #filter()}, so that a bad value is a {@link DeadLetterUsageException}
 * naming the flag.
 *
 * <p>Not thread-safe: filled by picocli, then read by the command.
 */
public class DeadLetterFilterOptions {
  @Option(
      names = "--error-type",
      paramLabel = "TYPE[,TYPE...]",
      description = "Only these error types, e.g. NOT_FOUND,RETRIES_EXHAUSTED.")
  String errorTypes;

  @Option(
      names = "--from-timestamp",
      paramLabel = "INSTANT",
      description =
          "Only dead letters with failedAt at or after this ISO-8601 instant (or date, midnight UTC).")
  String fromTimestamp;

  @Option(
      names = "--to-timestamp",
      paramLabel = "INSTANT",
      description = "Only dead letters with failedAt before this instant (exclusive).")
  String toTimestamp;

  @Option(names = "--order-id", paramLabel = "ID", description = "Only dead letters of this order.")
  String orderId;

  /**
   * The filter the options given select ({@link DeadLetterFilter#all()} when none).
   *
   * @throws DeadLetterUsageException naming the flag when a value is not valid, or the start is not
   *     before the end
   */
  public DeadLetterFilter filter() {
    return new DeadLetterFilter(
        errorTypes == null ? null : DeadLetterFilter.errorTypes("--error-type", errorTypes),
        fromTimestamp == null ? null : Instants.parse("--from-timestamp", fromTimestamp),
        toTimestamp == null ? null : Instants.parse("--to-timestamp", toTimestamp),
        orderId);
  }
}
