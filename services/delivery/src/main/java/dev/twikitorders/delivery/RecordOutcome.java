package dev.twikitorders.delivery;

import java.util.Objects;

/**
 * How the delivery of one record settled.
 *
 * @param record the record
 * @param kind delivered, rejected or exhausted
 * @param status the HTTP status: of the accepting reply (DELIVERED), of the refusal (REJECTED; 0
 *     for a value that does not fit its schema), of the last attempt (EXHAUSTED; 0 when it got no
 *     answer)
 * @param detail empty for DELIVERED; the response body excerpt, credential values scrubbed
 *     (REJECTED); the last error (EXHAUSTED). Never a secret.
 * @param attempts requests sent for the record's batch until it settled (0 when none was sent: a
 *     value without JSON); for a record of a batch that was split after a refusal, the attempts of
 *     its own request
 *     <p>Immutable; thread-safe.
 */
public record RecordOutcome(
    DeliveryRecord record, Kind kind, int status, String detail, int attempts) {

  /** The three ways a record settles. */
  public enum Kind {
    /** The endpoint accepted it (2xx). */
    DELIVERED,
    /** The endpoint refused it with a non-retryable 4xx: dead-letter it. */
    REJECTED,
    /** Retrying stopped at the policy's deadline: dead-letter it or deliver it again later. */
    EXHAUSTED
  }

  public RecordOutcome {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(kind, "kind");
    detail = detail == null ? "" : detail;
  }

  @Override
  public String toString() {
    return kind + " " + record + (status == 0 ? "" : " HTTP " + status);
  }
}
