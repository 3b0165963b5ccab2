package dev.twikitorders.delivery.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.delivery.DeliveryRecord;
import dev.twikitorders.schemas.ConfigurationSummary;
import dev.twikitorders.schemas.DeadLetter;
import dev.twikitorders.schemas.ErrorType;
import dev.twikitorders.schemas.LineStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

/**
 * Delivery dead letters: what they hold, and that one counts as written only when the broker
 * acknowledged it (a unit test over Kafka's MockProducer; the real broker is in DeliveryLoopIT).
 */
class DeadLetterWriterTest {
  private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

  /** Serializes a dead letter by remembering it: the registry's wire format is not the point. */
  private static final class Remembering implements Serializer<DeadLetter> {
    DeadLetter last;

    @Override
    public byte[] serialize(String topic, DeadLetter data) {
      last = data;
      return new byte[] {1};
    }
  }

  private static ConsumerRecord<byte[], byte[]> source() {
    ConsumerRecord<byte[], byte[]> r =
        new ConsumerRecord<>(
            "erp",
            2,
            41,
            "order-7".getBytes(StandardCharsets.UTF_8),
            new byte[] {0, 0, 0, 0, 3, 9});
    r.headers().add("idempotency-key", "event-7:line-1".getBytes(StandardCharsets.UTF_8));
    r.headers().add("event-id", "event-7".getBytes(StandardCharsets.UTF_8));
    return r;
  }

  private static ConfigurationSummary summary() {
    return ConfigurationSummary.newBuilder()
        .setOrderId("order-7")
        .setLineId("line-1")
        .setEventId("event-7")
        .setStatus(LineStatus.PLACED)
        .setConfigurationId("6f1c2b9e-0c1d-4e2f-9a3b-5c6d7e8f9a0b")
        .setProductTitle(null)
        .setSku("SKU-1")
        .setQuantity(1)
        .setPrice(null)
        .setCurrency(null)
        .setParameters(List.of())
        .setOccurredAt(NOW)
        .setEnrichedAt(NOW)
        .setShopId(null)
        .build();
  }

  @Test
  void aDeadLetterHoldsTheRecordItsKeyTheStatusAndTheExcerptAndCountsOnceAcknowledged() {
    MockProducer<byte[], byte[]> producer =
        new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    Remembering serializer = new Remembering();
    DeadLetterWriter writer =
        new DeadLetterWriter(
            producer, serializer, "erp.delivery-dlq", Clock.fixed(NOW, ZoneOffset.UTC));

    var done =
        writer.write(
            source(),
            "event-7:line-1",
            summary(),
            new DeadLetterWriter.Failure(
                ErrorType.DELIVERY_REJECTED,
                "the endpoint refused the record with HTTP 422",
                422,
                "{\"error\":\"invalid_record\"}",
                3,
                null));

    assertThat(done).isNotDone();
    producer.completeNext();
    assertThat(done).isCompleted();
    DeadLetter d = serializer.last;
    assertThat(d.getErrorType()).isEqualTo(ErrorType.DELIVERY_REJECTED);
    assertThat(d.getHttpStatus()).isEqualTo(422);
    assertThat(d.getResponseExcerpt()).isEqualTo("{\"error\":\"invalid_record\"}");
    assertThat(d.getIdempotencyKey()).isEqualTo("event-7:line-1");
    assertThat(d.getSourceTopic()).isEqualTo("erp");
    assertThat(d.getSourcePartition()).isEqualTo(2);
    assertThat(d.getSourceOffset()).isEqualTo(41);
    assertThat(d.getOrderId()).isEqualTo("order-7");
    assertThat(d.getLineId()).isEqualTo("line-1");
    assertThat(d.getEventId()).isEqualTo("event-7");
    assertThat(d.getConfigurationId()).isEqualTo("6f1c2b9e-0c1d-4e2f-9a3b-5c6d7e8f9a0b");
    assertThat(d.getAttempts()).isEqualTo(3);
    assertThat(d.getFailedAt()).isEqualTo(NOW);
    assertThat(d.getValue().array()).containsExactly(0, 0, 0, 0, 3, 9);
    var sent = producer.history().get(0);
    assertThat(sent.topic()).isEqualTo("erp.delivery-dlq");
    assertThat(new String(sent.key(), StandardCharsets.UTF_8)).isEqualTo("order-7");
    assertThat(sent.headers().lastHeader("idempotency-key").value())
        .isEqualTo("event-7:line-1".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aRefusedDeadLetterFailsTheFutureAndAnUnreadableValueHasNoIdsAndALongMessageIsCut() {
    MockProducer<byte[], byte[]> producer =
        new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    Remembering serializer = new Remembering();
    DeadLetterWriter writer =
        new DeadLetterWriter(producer, serializer, "erp.delivery-dlq", Clock.systemUTC());

    var done =
        writer.write(
            source(),
            "event-7:line-1",
            null,
            new DeadLetterWriter.Failure(
                ErrorType.DELIVERY_REJECTED, "x".repeat(5000), 0, "", 0, "replay-1"));
    producer.errorNext(new org.apache.kafka.common.errors.TopicAuthorizationException("no"));

    assertThat(done).isCompletedExceptionally();
    DeadLetter d = serializer.last;
    assertThat(d.getOrderId()).isNull();
    assertThat(d.getLineId()).isNull();
    assertThat(d.getResponseExcerpt()).isNull();
    assertThat(d.getHttpStatus()).isZero();
    assertThat(d.getReplayId()).isEqualTo("replay-1");
    assertThat(d.getMessage()).hasSize(DeadLetterWriter.MAX_MESSAGE);
  }

  @Test
  void theIdempotencyKeyIsTheHeaderOrTheRecordsCoordinates() {
    assertThat(DeliveryLoop.idempotencyKey(source())).isEqualTo("event-7:line-1");

    ConsumerRecord<byte[], byte[]> none = new ConsumerRecord<>("erp", 1, 5, null, new byte[] {1});
    assertThat(DeliveryLoop.idempotencyKey(none)).isEqualTo("erp/1/5");

    ConsumerRecord<byte[], byte[]> bad = new ConsumerRecord<>("erp", 1, 6, null, new byte[] {1});
    bad.headers().add("idempotency-key", "two words\n".getBytes(StandardCharsets.UTF_8));
    assertThat(DeliveryLoop.idempotencyKey(bad)).isEqualTo("erp/1/6");

    ConsumerRecord<byte[], byte[]> tooLong =
        new ConsumerRecord<>("erp", 1, 7, null, new byte[] {1});
    tooLong
        .headers()
        .add(
            "idempotency-key",
            "k".repeat(DeliveryRecord.MAX_IDEMPOTENCY_KEY + 1).getBytes(StandardCharsets.UTF_8));
    assertThat(DeliveryLoop.idempotencyKey(tooLong)).isEqualTo("erp/1/7");
  }
}
