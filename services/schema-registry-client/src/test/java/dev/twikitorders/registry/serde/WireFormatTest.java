package dev.twikitorders.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.registry.RegistryConfig;
import dev.twikitorders.registry.mock.MockSchemaRegistryClient;
import dev.twikitorders.registry.testing.TestRecords;
import dev.twikitorders.schemas.OrderEvent;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WireFormatTest {
  private static final String SCOPE = "wire-format-test";

  @AfterEach
  void dropScope() {
    MockSchemaRegistryClient.drop(SCOPE);
  }

  @Test
  void frameIsMagicByteThenBigEndianIdThenSpecificDatumWriterOutput() throws Exception {
    MockSchemaRegistryClient registry = MockSchemaRegistryClient.forScope(SCOPE);
    // push the id beyond one byte so that the byte order shows
    for (int i = 0; i < 300; i++) {
      registry.register(
          "filler-" + i, org.apache.avro.SchemaBuilder.record("F" + i).fields().endRecord());
    }
    OrderEvent event = TestRecords.orderEvent();
    byte[] framed;
    try (AvroSerializer<OrderEvent> serializer = new AvroSerializer<>()) {
      serializer.configure(Map.of(RegistryConfig.SCHEMA_REGISTRY_URL, "mock://" + SCOPE), false);
      framed = serializer.serialize("order-events", event);
    }
    int id = registry.getId("order-events-value", OrderEvent.getClassSchema());
    assertThat(id).isEqualTo(301);

    ByteArrayOutputStream expectedBody = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(expectedBody, null);
    new SpecificDatumWriter<>(OrderEvent.class).write(event, encoder);
    encoder.flush();

    assertThat(framed[0]).isZero();
    assertThat(Arrays.copyOfRange(framed, 1, 5)).containsExactly(0, 0, 1, 45); // 301 = 0x0000012D
    assertThat(Arrays.copyOfRange(framed, 5, framed.length)).isEqualTo(expectedBody.toByteArray());
  }

  @Test
  void headerHelpersAgree() {
    byte[] header = new byte[WireFormat.HEADER_SIZE];
    WireFormat.writeHeader(header, 0x01020304);
    assertThat(header).containsExactly(0, 1, 2, 3, 4);
    assertThat(WireFormat.schemaId(header)).isEqualTo(0x01020304);
    WireFormat.writeHeader(header, -2);
    assertThat(WireFormat.schemaId(header)).isEqualTo(-2);
  }
}
