package dev.twikitorders.delivery.app;

import dev.twikitorders.schemas.DeadLetter;
import dev.twikitorders.schemas.ErrorType;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes delivery dead letters: a {@link DeadLetter} holding the original record's key and value
 * bytes (so that {@code dlq redrive} can deliver it again), its coordinates, its idempotency key,
 * why it was not delivered ({@link ErrorType#DELIVERY_REJECTED} or {@link
 * ErrorType#DELIVERY_EXHAUSTED}), the endpoint's status and the first 1 KB of its answer
 * (credential values already scrubbed by the HTTP layer). The dead-letter record is keyed like the
 * original and carries the original's headers.
 *
 * <p>A dead letter counts as written once the broker acknowledged it ({@code acks=all}): the
 * returned future completes then; it fails when it cannot be encoded or the broker refuses it (the
 * caller keeps the record unsettled and tries again).
 *
 * <p>Thread-safe (the producer is); the caller owns the producer.
 */
public final class DeadLetterWriter {
  /** Longest {@code message} written; longer ones are cut. */
  static final int MAX_MESSAGE = 2000;

  private final Producer<byte[], byte[]> producer;
  private final Serializer<DeadLetter> serializer;
  private final String topic;
  private final Clock clock;

  /**
   * @param producer sends the dead letters (idempotent, acks=all)
   * @param serializer writes {@link DeadLetter} values (schema registry wire format)
   * @param topic the delivery dead-letter topic
   */
  public DeadLetterWriter(
      Producer<byte[], byte[]> producer,
      Serializer<DeadLetter> serializer,
      String topic,
      Clock clock) {
    this.producer = Objects.requireNonNull(producer, "producer");
    this.serializer = Objects.requireNonNull(serializer, "serializer");
    this.topic = Objects.requireNonNull(topic, "topic");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The dead-letter topic. */
  public String topic() {
    return topic;
  }

  /**
   * What went wrong with one record.
   *
   * @param type {@link ErrorType#DELIVERY_REJECTED} or {@link ErrorType#DELIVERY_EXHAUSTED}
   * @param message a readable reason (no payload, no secret)
   * @param httpStatus the endpoint's status, 0 for none
   * @param responseExcerpt the first 1 KB of the answer, scrubbed; may be empty
   * @param attempts requests sent for the record
   * @param replayId the re-drive that failed it again, or null for the live service
   */
  public record Failure(
      ErrorType type,
      String message,
      int httpStatus,
      String responseExcerpt,
      int attempts,
      String replayId) {
    public Failure {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(message, "message");
      responseExcerpt = responseExcerpt == null ? "" : responseExcerpt;
    }
  }

  /**
   * Sends the dead letter of {@code source}.
   *
   * @param source the original record as read (key, value bytes, headers, coordinates)
   * @param idempotencyKey the key its deliveries carried
   * @param value the decoded value when it could be decoded (for the order, event, line and
   *     configuration ids), else null
   */
  public CompletableFuture<Void> write(
      ConsumerRecord<byte[], byte[]> source,
      String idempotencyKey,
      IndexedRecord value,
      Failure failure) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    ProducerRecord<byte[], byte[]> record;
    try {
      DeadLetter letter = letter(source, idempotencyKey, value, failure);
      record = new ProducerRecord<>(topic, null, source.key(), serializer.serialize(topic, letter));
      for (Header h : source.headers()) {
        record.headers().add(h.key(), h.value());
      }
    } catch (RuntimeException e) {
      done.completeExceptionally(e);
      return done;
    }
    try {
      producer.send(
          record,
          (metadata, error) -> {
            if (error != null) {
              done.completeExceptionally(error);
            } else {
              done.complete(null);
            }
          });
    } catch (RuntimeException e) {
      done.completeExceptionally(e);
    }
    return done;
  }

  /** Waits until every dead letter sent so far is acknowledged or failed. */
  public void flush() {
    producer.flush();
  }

  DeadLetter letter(
      ConsumerRecord<byte[], byte[]> source,
      String idempotencyKey,
      IndexedRecord value,
      Failure failure) {
    String message = failure.message();
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE);
    }
    return DeadLetter.newBuilder()
        .setErrorType(failure.type())
        .setMessage(message)
        .setSourceTopic(source.topic())
        .setSourcePartition(source.partition())
        .setSourceOffset(source.offset())
        .setKey(source.key() == null ? null : ByteBuffer.wrap(source.key()))
        .setValue(source.value() == null ? null : ByteBuffer.wrap(source.value()))
        .setEventId(field(value, "eventId"))
        .setOrderId(field(value, "orderId"))
        .setLineId(field(value, "lineId"))
        .setConfigurationId(field(value, "configurationId"))
        .setAttempts(failure.attempts())
        .setFailedAt(clock.instant())
        .setReplayId(failure.replayId())
        .setHttpStatus(failure.httpStatus())
        .setResponseExcerpt(failure.responseExcerpt().isEmpty() ? null : failure.responseExcerpt())
        .setIdempotencyKey(idempotencyKey)
        .build();
  }

  /** The text of a top-level field of {@code value} by that name, or null. */
  static String field(IndexedRecord value, String name) {
    if (value == null) {
      return null;
    }
    Schema.Field f = value.getSchema().getField(name);
    if (f == null) {
      return null;
    }
    Object v = value.get(f.pos());
    return v == null ? null : v.toString();
  }
}
