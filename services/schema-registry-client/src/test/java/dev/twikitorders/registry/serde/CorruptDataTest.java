package dev.twikitorders.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.registry.RegistryConfig;
import dev.twikitorders.registry.SchemaRegistryException;
import dev.twikitorders.registry.mock.MockSchemaRegistryClient;
import dev.twikitorders.registry.rest.RestSchemaRegistryClient;
import dev.twikitorders.registry.testing.ConfluentCompatibleTestServer;
import dev.twikitorders.registry.testing.TestRecords;
import dev.twikitorders.schemas.OrderEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CorruptDataTest {
  private static final String SCOPE = "corrupt-data-test";
  private static final String TOPIC = "order-events";

  private Serde<OrderEvent> serde;
  private byte[] valid;

  @BeforeEach
  void setUp() {
    serde =
        AvroSerdes.specific(
            OrderEvent.class, Map.of(RegistryConfig.SCHEMA_REGISTRY_URL, "mock://" + SCOPE), false);
    valid = serde.serializer().serialize(TOPIC, TestRecords.orderEvent());
  }

  @AfterEach
  void tearDown() {
    serde.close();
    MockSchemaRegistryClient.drop(SCOPE);
  }

  @Test
  void tooShort() {
    assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, new byte[] {0, 0, 1}))
        .isInstanceOf(SerializationException.class)
        .hasMessage(
            "Cannot deserialize value of topic order-events: 3 byte(s), shorter than the 5-byte Confluent header"
                + " (magic byte and schema id)");
  }

  @Test
  void unknownMagicByte() {
    byte[] data = valid.clone();
    data[0] = 7;
    assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, data))
        .isInstanceOf(SerializationException.class)
        .hasMessage(
            "Cannot deserialize value of topic order-events: unknown magic byte 7, expected 0"
                + " (not the Confluent wire format)");
  }

  @Test
  void unknownSchemaId() {
    byte[] data = valid.clone();
    WireFormat.writeHeader(data, 9999);
    assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, data))
        .isInstanceOf(SerializationException.class)
        .hasMessageStartingWith(
            "Cannot deserialize value of topic order-events: unknown schema id 9999");
  }

  @Test
  void truncatedBodyNamesTheSchemaIdButNotThePayload() {
    byte[] data = Arrays.copyOf(valid, valid.length - 10);
    assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, data))
        .isInstanceOf(SerializationException.class)
        .hasMessageStartingWith(
            "Cannot deserialize value of topic order-events: Avro body does not match writer schema id 1")
        .satisfies(
            e -> assertThat(e.getMessage()).doesNotContain("evt-1").doesNotContain("order-42"));
  }

  @Test
  void bytesAfterTheAvroBodyMakeTheRecordUnreadable() {
    byte[] data = Arrays.copyOf(valid, valid.length + 3);
    data[valid.length] = 'X';
    data[valid.length + 1] = 'Y';
    data[valid.length + 2] = 'Z';
    String expected =
        "Cannot deserialize value of topic order-events: 3 byte(s) left over after the Avro body"
            + " of writer schema id 1";
    assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, data))
        .isInstanceOf(SerializationException.class)
        .hasMessage(expected);
    try (GenericAvroDeserializer generic =
        new GenericAvroDeserializer(MockSchemaRegistryClient.forScope(SCOPE))) {
      assertThatThrownBy(() -> generic.deserialize(TOPIC, data))
          .isInstanceOf(SerializationException.class)
          .hasMessage(expected);
    }
    assertThat(serde.deserializer().deserialize(TOPIC, valid))
        .as("the same frame without the extra bytes reads")
        .isEqualTo(TestRecords.orderEvent());
  }

  @Test
  void aSecondRecordAppendedToTheFrameIsNotSilentlyDropped() {
    byte[] data = Arrays.copyOf(valid, valid.length * 2 - 5);
    System.arraycopy(valid, 5, data, valid.length, valid.length - 5);
    assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, data))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining((valid.length - 5) + " byte(s) left over")
        .satisfies(
            e -> assertThat(e.getMessage()).doesNotContain("evt-1").doesNotContain("order-42"));
  }

  @Test
  void hostileLengthFailsFastInsteadOfAllocating() {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    data.writeBytes(Arrays.copyOf(valid, 5));
    // eventId declared 1 GiB long (zig-zag varint of 2^30), followed by only a few bytes
    data.writeBytes(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08});
    data.writeBytes("SECRET-PAYLOAD".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, data.toByteArray()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("declared length 1073741824 exceeds the 14 byte(s) left")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SECRET"));
  }

  @Test
  void hostileArrayCountFailsFast() {
    // a valid record up to the lines array, then a count of 2^40 items
    OrderEvent noLines =
        OrderEvent.newBuilder(TestRecords.orderEvent()).setLines(java.util.List.of()).build();
    byte[] framed = serde.serializer().serialize(TOPIC, noLines);
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    data.writeBytes(Arrays.copyOf(framed, framed.length - 1)); // drop the terminating 0 count
    data.writeBytes(
        new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x40});
    assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, data.toByteArray()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("exceeds the 0 byte(s) left");
  }

  @Test
  void unreachableRegistryIsInfrastructureNotBadData() throws Exception {
    String url;
    try (ConfluentCompatibleTestServer server = ConfluentCompatibleTestServer.start()) {
      url = server.url();
    }
    try (RestSchemaRegistryClient client =
            RestSchemaRegistryClient.builder()
                .urls(url)
                .maxRetries(0)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        AvroDeserializer<OrderEvent> deserializer =
            new AvroDeserializer<>(OrderEvent.class, client)) {
      deserializer.configure(Map.of(), false);
      assertThatThrownBy(() -> deserializer.deserialize(TOPIC, valid))
          .isInstanceOf(SchemaRegistryException.class)
          .isNotInstanceOf(SerializationException.class)
          .hasMessageContaining("Cannot deserialize value of topic order-events with schema id 1")
          .satisfies(e -> assertThat(((SchemaRegistryException) e).isRetriable()).isTrue());
    }
  }
}
