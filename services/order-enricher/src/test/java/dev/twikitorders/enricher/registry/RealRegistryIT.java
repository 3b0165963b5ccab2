package dev.twikitorders.enricher.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.twikitorders.localstack.EmbeddedSchemaRegistry;
import dev.twikitorders.registry.CompatibilityLevel;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.SchemaRegistryClients;
import dev.twikitorders.registry.SchemaRegistryException;
import dev.twikitorders.registry.history.SchemaHistory;
import dev.twikitorders.registry.serde.AvroSerdes;
import dev.twikitorders.registry.serde.AvroSerializer;
import dev.twikitorders.registry.serde.GenericAvroDeserializer;
import dev.twikitorders.schemas.ConfigurationSummary;
import dev.twikitorders.schemas.DeadLetter;
import dev.twikitorders.schemas.FulfillmentConfiguration;
import dev.twikitorders.schemas.OrderEvent;
import dev.twikitorders.schemas.OrderEventType;
import dev.twikitorders.schemas.OrderLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our schema registry client and serdes against a real Confluent-compatible registry server
 * (Apicurio 2.4.2, ccompat API): wire-format byte layout, interoperability in both directions, and
 * the BACKWARD compatibility of every schema's history.
 */
class RealRegistryIT {
  private static EmbeddedSchemaRegistry server;
  private static SchemaRegistryClient client;

  @BeforeAll
  static void start() {
    server = EmbeddedSchemaRegistry.start();
    client = SchemaRegistryClients.create(server.url());
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static OrderEvent sampleEvent() {
    return OrderEvent.newBuilder()
        .setEventId("e-1")
        .setEventType(OrderEventType.ORDER_PLACED)
        .setOrderId("o-1")
        .setShopId("shop")
        .setOccurredAt(Instant.parse("2026-11-23T10:00:00Z"))
        .setCurrency("EUR")
        .setLines(List.of(new OrderLine("1", "SKU", 2, "11111111-2222-4333-8444-555555555555")))
        .build();
  }

  @Test
  void serializedBytesAreMagicByteSchemaIdAndAvroBinaryAndTheIdIsTheRegistrysOwn()
      throws Exception {
    Map<String, Object> config = Map.of("schema.registry.url", server.url());
    var serde = AvroSerdes.specific(OrderEvent.class, client, config, false);
    OrderEvent event = sampleEvent();
    byte[] bytes = serde.serializer().serialize("interop-orders", event);

    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    assertThat(buffer.get()).isZero();
    int id = buffer.getInt();
    var body = new ByteArrayOutputStream();
    var encoder = EncoderFactory.get().binaryEncoder(body, null);
    new SpecificDatumWriter<>(OrderEvent.class).write(event, encoder);
    encoder.flush();
    assertThat(java.util.Arrays.copyOfRange(bytes, 5, bytes.length))
        .containsExactly(body.toByteArray());

    // the registry itself (plain HTTP, not our client) knows that id under the subject
    // <topic>-value
    HttpResponse<String> byId = get("/schemas/ids/" + id);
    assertThat(byId.statusCode()).isEqualTo(200);
    assertThat(
            new Schema.Parser()
                .parse(
                    new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(byId.body())
                        .get("schema")
                        .asText())
                .getFullName())
        .isEqualTo("dev.twikitorders.schemas.OrderEvent");
    assertThat(get("/subjects").body()).contains("interop-orders-value");

    assertThat(serde.deserializer().deserialize("interop-orders", bytes)).isEqualTo(event);
  }

  @Test
  void recordsWrittenWithASchemaRegisteredByAnotherClientAreRead() throws Exception {
    // register the published .avsc with plain HTTP, as another producer's tooling would
    String avsc = resource("avro/OrderEvent.avsc");
    String body =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .writeValueAsString(Map.of("schema", avsc));
    HttpResponse<String> registered =
        send(
            HttpRequest.newBuilder(
                    URI.create(server.url() + "/subjects/foreign-orders-value/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    assertThat(registered.statusCode()).isEqualTo(200);
    int id =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(registered.body())
            .get("id")
            .asInt();

    Schema writer = new Schema.Parser().parse(avsc);
    var out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(id).array());
    var encoder = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<OrderEvent>(writer).write(sampleEvent(), encoder);
    encoder.flush();

    var specific =
        AvroSerdes.specific(
            OrderEvent.class, client, Map.of("schema.registry.url", server.url()), false);
    assertThat(specific.deserializer().deserialize("foreign-orders", out.toByteArray()))
        .isEqualTo(sampleEvent());
    GenericRecord generic =
        new GenericAvroDeserializer(client).deserialize("foreign-orders", out.toByteArray());
    assertThat(generic.get("orderId").toString()).isEqualTo("o-1");
  }

  @Test
  void everySchemaHistoryIsBackwardCompatibleOnTheRealRegistry() {
    SchemaHistory history =
        SchemaHistory.load(Path.of("../../schemas/src/test/resources/schema-history"));
    Map<String, Schema> current =
        Map.of(
            "OrderEvent", OrderEvent.getClassSchema(),
            "ConfigurationSummary", ConfigurationSummary.getClassSchema(),
            "FulfillmentConfiguration", FulfillmentConfiguration.getClassSchema(),
            "DeadLetter", DeadLetter.getClassSchema());
    assertThat(history.recordNames()).containsExactlyInAnyOrderElementsOf(current.keySet());
    for (var e : current.entrySet()) {
      SchemaHistory.Verification v =
          history.verify(client, e.getKey(), "history-" + e.getKey() + "-value", e.getValue());
      assertThat(v.problems()).as(e.getKey()).isEmpty();
      assertThat(v.currentCompatible()).isTrue();
    }
  }

  @Test
  void theRealRegistryRejectsABreakingChange() {
    Schema v1 =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"Probe\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}");
    Schema breaking =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"Probe\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"},"
                    + "{\"name\":\"b\",\"type\":\"int\"}]}");
    client.setCompatibility("probe-value", dev.twikitorders.registry.CompatibilityLevel.BACKWARD);
    client.register("probe-value", v1);
    assertThat(client.isCompatible("probe-value", breaking)).isFalse();
  }

  @Test
  void aMissingSubjectWithAutoRegistrationOffLeavesTheRegistrysRefusalInTheCauseChain() {
    Throwable thrown = serializeFailure("unregistered-orders", sampleEvent(), false);
    assertThat(thrown).isInstanceOf(SerializationException.class);
    SchemaRegistryException refusal = registryFailureIn(thrown);
    assertThat(refusal.httpStatus()).isEqualTo(404);
    assertThat(refusal.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND);
    assertThat(refusal.isRetriable()).isFalse();
  }

  @Test
  void anIncompatibleSchemaUnderBackwardLeavesTheRegistrysRefusalInTheCauseChain() {
    Schema v1 =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"Refused\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}");
    Schema breaking =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"Refused\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"},"
                    + "{\"name\":\"b\",\"type\":\"int\"}]}");
    client.setCompatibility("refused-value", CompatibilityLevel.BACKWARD);
    client.register("refused-value", v1);
    GenericData.Record record = new GenericData.Record(breaking);
    record.put("a", "x");
    record.put("b", 1);

    Throwable thrown = serializeFailure("refused", record, true);
    assertThat(thrown).isInstanceOf(SerializationException.class);
    SchemaRegistryException refusal = registryFailureIn(thrown);
    assertThat(refusal.httpStatus()).isEqualTo(409);
    assertThat(refusal.isRetriable()).isFalse();
  }

  @Test
  void aRecordThatCannotBeEncodedLeavesNoRegistryFailureInTheCauseChain() {
    OrderEvent nullInNonNullField = sampleEvent();
    nullInNonNullField.setShopId(null);
    Throwable thrown = serializeFailure("unencodable-orders", nullInNonNullField, true);
    assertThat(thrown).isInstanceOf(SerializationException.class);
    assertThat(SchemaRegistryException.find(thrown)).isEmpty();
  }

  /** What our serializer throws for {@code record} on {@code topic}; fails when it does not. */
  private static <T extends IndexedRecord> Throwable serializeFailure(
      String topic, T record, boolean autoRegister) {
    try (AvroSerializer<T> serializer = new AvroSerializer<>(client)) {
      serializer.configure(
          Map.of("schema.registry.url", server.url(), "auto.register.schemas", autoRegister),
          false);
      Throwable thrown = catchThrowable(() -> serializer.serialize(topic, record));
      assertThat(thrown).as("serialize failed").isNotNull();
      return thrown;
    }
  }

  private static SchemaRegistryException registryFailureIn(Throwable thrown) {
    assertThat(SchemaRegistryException.find(thrown))
        .as("SchemaRegistryException in the cause chain of %s", thrown)
        .isPresent();
    return SchemaRegistryException.find(thrown).orElseThrow();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build());
  }

  private static HttpResponse<String> send(HttpRequest request) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = RealRegistryIT.class.getClassLoader().getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
