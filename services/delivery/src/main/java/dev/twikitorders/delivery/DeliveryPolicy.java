package dev.twikitorders.delivery;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link PartitionDelivery} batches and retries.
 *
 * @param maxBatchRecords most records per request; 1 = single-record requests (default 1)
 * @param linger longest wait for a batch to fill before it is sent (default 0: send what is there)
 * @param initialBackoff backoff cap of the first retry (default 200 ms)
 * @param maxBackoff backoff cap of later retries, which doubles from {@code initialBackoff} up to
 *     this (default 30 s); each wait is uniformly random in 0..cap (full jitter)
 * @param maxRetryAfter longest server {@code Retry-After} honoured (default 5 min); a longer {@code
 *     Retry-After} than the jittered backoff wins, up to this
 * @param deadline how long a batch is retried after its first attempt before its records are {@link
 *     RecordOutcome.Kind#EXHAUSTED}; null (the default) = forever. Credential problems never
 *     exhaust records (an operator fixes the credentials; retrying continues).
 * @param maxInFlightRequests most requests of one partition in flight at once (default 16); records
 *     of one key never go in two of them at once (see {@link PartitionDelivery}); 1 = one request
 *     of the partition at a time
 *     <p>Immutable; thread-safe.
 */
public record DeliveryPolicy(
    int maxBatchRecords,
    Duration linger,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration maxRetryAfter,
    Duration deadline,
    int maxInFlightRequests) {

  /**
   * Single-record requests, no linger, 200 ms .. 30 s backoff, Retry-After up to 5 min, forever, up
   * to 16 requests of a partition in flight.
   */
  public static final DeliveryPolicy DEFAULT =
      new DeliveryPolicy(
          1,
          Duration.ZERO,
          Duration.ofMillis(200),
          Duration.ofSeconds(30),
          Duration.ofMinutes(5),
          null,
          16);

  public DeliveryPolicy {
    if (maxBatchRecords < 1) {
      throw new IllegalArgumentException("maxBatchRecords must be >= 1, was " + maxBatchRecords);
    }
    nonNegative(linger, "linger");
    positive(initialBackoff, "initialBackoff");
    positive(maxBackoff, "maxBackoff");
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff (" + maxBackoff + ") must be >= initialBackoff (" + initialBackoff + ")");
    }
    nonNegative(maxRetryAfter, "maxRetryAfter");
    if (deadline != null) {
      positive(deadline, "deadline");
    }
    if (maxInFlightRequests < 1) {
      throw new IllegalArgumentException(
          "maxInFlightRequests must be >= 1, was " + maxInFlightRequests);
    }
  }

  /** The deadline, empty for forever. */
  public Optional<Duration> deadlineIfAny() {
    return Optional.ofNullable(deadline);
  }

  public DeliveryPolicy withBatching(int maxBatchRecords, Duration linger) {
    return new DeliveryPolicy(
        maxBatchRecords,
        linger,
        initialBackoff,
        maxBackoff,
        maxRetryAfter,
        deadline,
        maxInFlightRequests);
  }

  public DeliveryPolicy withBackoff(Duration initialBackoff, Duration maxBackoff) {
    return new DeliveryPolicy(
        maxBatchRecords,
        linger,
        initialBackoff,
        maxBackoff,
        maxRetryAfter,
        deadline,
        maxInFlightRequests);
  }

  public DeliveryPolicy withMaxRetryAfter(Duration maxRetryAfter) {
    return new DeliveryPolicy(
        maxBatchRecords,
        linger,
        initialBackoff,
        maxBackoff,
        maxRetryAfter,
        deadline,
        maxInFlightRequests);
  }

  /** With {@code deadline}, null for forever. */
  public DeliveryPolicy withDeadline(Duration deadline) {
    return new DeliveryPolicy(
        maxBatchRecords,
        linger,
        initialBackoff,
        maxBackoff,
        maxRetryAfter,
        deadline,
        maxInFlightRequests);
  }

  /** With at most {@code maxInFlightRequests} requests of a partition in flight at once. */
  public DeliveryPolicy withMaxInFlightRequests(int maxInFlightRequests) {
    return new DeliveryPolicy(
        maxBatchRecords,
        linger,
        initialBackoff,
        maxBackoff,
        maxRetryAfter,
        deadline,
        maxInFlightRequests);
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
  }

  private static void nonNegative(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must be >= 0, was " + d);
    }
  }
}
