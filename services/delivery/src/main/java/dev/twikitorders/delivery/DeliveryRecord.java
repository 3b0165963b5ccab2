package dev.twikitorders.delivery;

import dev.twikitorders.ops.logging.LogContext;
import java.util.Arrays;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * One record to deliver, as read from its topic: the key bytes (null for none), the decoded Avro
 * value, the idempotency key the endpoint deduplicates by, and where it came from.
 *
 * <p>{@link #toString()} names the topic, partition, offset and idempotency key only, never the
 * payload. Immutable (the key array is copied on the way in and out); thread-safe.
 *
 * @param key the record key bytes, or null
 * @param value the decoded Avro record (a generic or specific record)
 * @param idempotencyKey the key sent as {@code Idempotency-Key} (1 to 1000 characters)
 * @param topic the source topic
 * @param partition the source partition
 * @param offset the source offset
 */
public record DeliveryRecord(
    byte[] key,
    IndexedRecord value,
    String idempotencyKey,
    String topic,
    int partition,
    long offset) {

  /** The longest idempotency key the wire format allows. */
  public static final int MAX_IDEMPOTENCY_KEY = 1000;

  public DeliveryRecord {
    key = key == null ? null : key.clone();
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(topic, "topic");
    if (idempotencyKey.isEmpty() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY) {
      throw new IllegalArgumentException(
          "idempotency key of "
              + topic
              + "-"
              + partition
              + "@"
              + offset
              + " must have 1 to "
              + MAX_IDEMPOTENCY_KEY
              + " characters, has "
              + idempotencyKey.length());
    }
    if (partition < 0 || offset < 0) {
      throw new IllegalArgumentException(
          "partition and offset must be >= 0, were " + partition + " and " + offset);
    }
  }

  /**
   * Puts the value's {@code eventId}, {@code orderId}, {@code lineId} and {@code configurationId}
   * fields (those the schema has and that are set) into the logging MDC until closed, for the log
   * lines about this record.
   */
  public LogContext logContext() {
    return LogContext.line(
        field("eventId"), field("orderId"), field("lineId"), field("configurationId"));
  }

  private String field(String name) {
    Schema.Field f = value.getSchema().getField(name);
    if (f == null) {
      return null;
    }
    Object v = value.get(f.pos());
    return v == null ? null : v.toString();
  }

  @Override
  public byte[] key() {
    return key == null ? null : key.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeliveryRecord r
        && Arrays.equals(key, r.key)
        && value.equals(r.value)
        && idempotencyKey.equals(r.idempotencyKey)
        && topic.equals(r.topic)
        && partition == r.partition
        && offset == r.offset;
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(key), value, idempotencyKey, topic, partition, offset);
  }

  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset + " (key " + idempotencyKey + ")";
  }
}
