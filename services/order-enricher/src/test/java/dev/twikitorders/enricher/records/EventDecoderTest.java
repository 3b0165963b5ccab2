package dev.twikitorders.enricher.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.registry.SchemaRegistryException;
import dev.twikitorders.registry.mock.MockSchemaRegistryClient;
import dev.twikitorders.registry.serde.AvroDeserializer;
import dev.twikitorders.registry.serde.AvroSerializer;
import dev.twikitorders.schemas.ErrorType;
import dev.twikitorders.schemas.OrderEvent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

class EventDecoderTest {
  private static EventDecoder decoding(Deserializer<OrderEvent> d) {
    return new EventDecoder(d);
  }

  @Test
  void badBytesAreUnreadableWithoutQuotingThePayload() {
    var decoder =
        decoding(
            (topic, data) -> {
              throw new SerializationException(
                  "Cannot deserialize order-events: unknown magic byte 123");
            });
    DecodedEvent d =
        decoder.decode("order-events", null, "{secret-payload}".getBytes(StandardCharsets.UTF_8));
    assertThat(d)
        .isInstanceOfSatisfying(
            DecodedEvent.Rejected.class,
            r -> {
              assertThat(r.errorType()).isEqualTo(ErrorType.UNREADABLE);
              assertThat(r.message()).doesNotContain("secret-payload");
            });
  }

  @Test
  void anyOtherDecodingFailureOfTheDataIsUnreadableToo() {
    var decoder =
        decoding(
            (topic, data) -> {
              throw new ArrayIndexOutOfBoundsException(7);
            });
    assertThat(decoder.decode("t", null, new byte[] {0, 0, 0, 0, 1}))
        .isInstanceOf(DecodedEvent.Rejected.class);
  }

  @Test
  void bytesAfterTheAvroBodyMakeTheRecordUnreadable() {
    MockSchemaRegistryClient registry = MockSchemaRegistryClient.unscoped();
    OrderEvent event = Orders.placed("e", "o", Orders.configured("1", Orders.uuid(1)));
    byte[] framed;
    try (AvroSerializer<OrderEvent> serializer = new AvroSerializer<>(registry)) {
      serializer.configure(Map.of(), false);
      framed = serializer.serialize("order-events", event);
    }
    byte[] withTrailer = Arrays.copyOf(framed, framed.length + 4);
    System.arraycopy("SECR".getBytes(StandardCharsets.US_ASCII), 0, withTrailer, framed.length, 4);
    try (AvroDeserializer<OrderEvent> deserializer =
        new AvroDeserializer<>(OrderEvent.class, registry)) {
      deserializer.configure(Map.of(), false);
      var decoder = decoding(deserializer);
      assertThat(decoder.decode("order-events", null, framed))
          .as("the same frame without the trailer is valid")
          .isInstanceOf(DecodedEvent.Valid.class);
      assertThat(decoder.decode("order-events", null, withTrailer))
          .isInstanceOfSatisfying(
              DecodedEvent.Rejected.class,
              r -> {
                assertThat(r.errorType()).isEqualTo(ErrorType.UNREADABLE);
                assertThat(r.exceptionClass()).isEqualTo(SerializationException.class.getName());
                assertThat(r.message())
                    .contains("order-events")
                    .contains("4 byte(s) left over")
                    .contains("schema id")
                    .doesNotContain("SECR");
              });
    }
  }

  @Test
  void anUnavailableRegistryIsNotBadDataAndPropagates() {
    var decoder =
        decoding(
            (topic, data) -> {
              throw new SchemaRegistryException("registry unreachable", 503, -1);
            });
    assertThatThrownBy(() -> decoder.decode("t", null, new byte[] {0, 0, 0, 0, 1}))
        .isInstanceOf(SchemaRegistryException.class);
  }

  @Test
  void keyThatIsNotUtf8MakesTheEventInvalid() {
    OrderEvent e = Orders.placed("e", "o", Orders.configured("1", Orders.uuid(1)));
    assertThat(EventDecoder.validate(e, new byte[] {(byte) 0xff, (byte) 0xfe}))
        .contains("not UTF-8");
    assertThat(EventDecoder.validate(e, "o".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(EventDecoder.validate(e, null)).isNull();
  }

  @Test
  void moreConfiguredLinesThanTheLimitMakeTheEventInvalidNamingTheCountAndTheSetting() {
    OrderEvent e =
        Orders.placed(
            "e",
            "o",
            Orders.configured("1", Orders.uuid(1)),
            Orders.plain("2"),
            Orders.configured("3", Orders.uuid(3)),
            Orders.configured("4", Orders.uuid(4)),
            Orders.plain("5"));

    // plain lines do not count
    assertThat(EventDecoder.validate(e, null, 3)).isNull();
    assertThat(EventDecoder.validate(e, null, 2))
        .contains("3 configured lines")
        .contains("enrichment.max.lines.per.event");
  }

  @Test
  void theDecoderAppliesItsLimitAndDefaultsTo500() {
    OrderEvent e =
        Orders.placed(
            "e",
            "o",
            Orders.configured("1", Orders.uuid(1)),
            Orders.configured("2", Orders.uuid(2)));
    var limited = new EventDecoder((topic, data) -> e, 1);

    assertThat(limited.decode("t", "o".getBytes(StandardCharsets.UTF_8), new byte[] {0}))
        .isInstanceOfSatisfying(
            DecodedEvent.Rejected.class,
            r -> {
              assertThat(r.errorType()).isEqualTo(ErrorType.INVALID_EVENT);
              assertThat(r.message())
                  .contains("2 configured lines", "enrichment.max.lines.per.event");
              assertThat(r.eventId()).isEqualTo("e");
              assertThat(r.orderId()).isEqualTo("o");
            });
    assertThat(new EventDecoder((topic, data) -> e).maxConfiguredLines()).isEqualTo(500);
    assertThat(new EventDecoder((topic, data) -> e, 2).decode("t", null, new byte[] {0}))
        .isInstanceOf(DecodedEvent.Valid.class);
    assertThatThrownBy(() -> new EventDecoder((topic, data) -> e, 0))
        .hasMessageContaining("enrichment.max.lines.per.event");
  }

  @Test
  void theLineIdOfAnIdempotencyKeyIsWhatFollowsTheEventId() {
    assertThat(OutputHeaders.lineIdOf("e:1:L:2", "e:1")).isEqualTo("L:2");
    assertThat(OutputHeaders.lineIdOf("e-1", "e-1")).isNull();
    assertThat(OutputHeaders.lineIdOf("order-events/0/1", null)).isNull();
  }

  @Test
  void aSourceHeaderParsesIntoItsCoordinates() {
    assertThat(OutputHeaders.parseSource("order-events/3/120455"))
        .isEqualTo(new OutputHeaders.Source("order-events", 3, 120455L));
    assertThat(OutputHeaders.parseSource(OutputHeaders.source("a.b-c", 0, 0)))
        .isEqualTo(new OutputHeaders.Source("a.b-c", 0, 0L));
    assertThat(OutputHeaders.parseSource(null)).isNull();
    assertThat(OutputHeaders.parseSource("order-events/x/1")).isNull();
    assertThat(OutputHeaders.parseSource("3/1")).isNull();
    assertThat(OutputHeaders.parseSource("t/-1/1")).isNull();
  }
}
