package dev.twikitorders.sandbox.sink;

import java.time.Instant;
import java.util.Objects;

/**
 * One item a sink recorded, in arrival order.
 *
 * <p>Immutable and thread-safe.
 *
 * @param sequence position in the sink's arrival order: 0 for the first item since the sink was
 *     created or cleared, then +1 per item (dropped items keep their numbers)
 * @param sink the sink's name, e.g. {@code default}
 * @param idempotencyKey the item's key: the {@code Idempotency-Key} header of a single record, the
 *     item's {@code idempotencyKey} in a batch
 * @param batchKey the {@code Idempotency-Key} header of the batch the item came in, or {@code null}
 *     (single record, or a batch sent without the header)
 * @param record the record JSON: a single record's body exactly as received (UTF-8), a batch item's
 *     {@code record} re-serialised compactly (same fields, values and order)
 * @param receivedAt when the sink recorded it
 * @param duplicate whether its key had been recorded before (in this sink since its last clear,
 *     also earlier in the same batch)
 */
public record SinkItem(
    long sequence,
    String sink,
    String idempotencyKey,
    String batchKey,
    String record,
    Instant receivedAt,
    boolean duplicate) {
  /** Checks the required fields. */
  public SinkItem {
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(receivedAt, "receivedAt");
  }
}
