package dev.twikitorders.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.registry.RegistryConfig;
import dev.twikitorders.registry.mock.MockSchemaRegistryClient;
import dev.twikitorders.registry.testing.TestRecords;
import dev.twikitorders.schemas.ConfigurationSummary;
import dev.twikitorders.schemas.DeadLetter;
import dev.twikitorders.schemas.FulfillmentConfiguration;
import dev.twikitorders.schemas.OrderEvent;
import dev.twikitorders.schemas.OrderEventType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AvroSerdeTest {
  private static final String SCOPE = "avro-serde-test";
  private static final String TOPIC = "order-events";
  private static final Map<String, Object> CONFIG =
      Map.of(RegistryConfig.SCHEMA_REGISTRY_URL, "mock://" + SCOPE);

  /**
   * OrderEvent as an older producer wrote it: without the defaulted customerId and
   * OrderLine.configurationId.
   */
  private static final Schema ORDER_EVENT_V1 =
      new Schema.Parser()
          .parse(
              """
      {"type":"record","name":"OrderEvent","namespace":"dev.twikitorders.schemas","fields":[
        {"name":"eventId","type":"string"},
        {"name":"eventType","type":{"type":"enum","name":"OrderEventType","symbols":["ORDER_PLACED","ORDER_CANCELLED"]}},
        {"name":"orderId","type":"string"},
        {"name":"shopId","type":"string"},
        {"name":"occurredAt","type":{"type":"long","logicalType":"timestamp-millis"}},
        {"name":"currency","type":"string"},
        {"name":"lines","type":{"type":"array","items":{"type":"record","name":"OrderLine","fields":[
          {"name":"lineId","type":"string"},{"name":"sku","type":"string"},{"name":"quantity","type":"int"}]}}}
      ]}""");

  /**
   * An equivalent schema from a foreign producer: other record, enum and namespace names, fields in
   * another order, plus a field the reader does not know.
   */
  private static final Schema FOREIGN_ORDER =
      new Schema.Parser()
          .parse(
              """
      {"type":"record","name":"PlacedOrder","namespace":"com.othershop.events","fields":[
        {"name":"orderId","type":"string"},
        {"name":"eventId","type":"string"},
        {"name":"channel","type":"string"},
        {"name":"eventType","type":{"type":"enum","name":"Kind","symbols":["ORDER_CANCELLED","ORDER_PLACED"]}},
        {"name":"shopId","type":"string"},
        {"name":"occurredAt","type":{"type":"long","logicalType":"timestamp-millis"}},
        {"name":"currency","type":"string"},
        {"name":"customerId","type":["null","string"],"default":null},
        {"name":"lines","type":{"type":"array","items":{"type":"record","name":"Item","namespace":"com.othershop.model",
          "fields":[{"name":"sku","type":"string"},{"name":"lineId","type":"string"},{"name":"quantity","type":"int"},
                    {"name":"configurationId","type":["null","string"],"default":null}]}}}
      ]}""");

  @AfterEach
  void dropScope() {
    MockSchemaRegistryClient.drop(SCOPE);
  }

  static Stream<Arguments> everySchema() {
    return Stream.of(
        Arguments.of(OrderEvent.class, TestRecords.orderEvent()),
        Arguments.of(ConfigurationSummary.class, TestRecords.summary()),
        Arguments.of(FulfillmentConfiguration.class, TestRecords.fulfillment()),
        Arguments.of(DeadLetter.class, TestRecords.deadLetter()));
  }

  @ParameterizedTest
  @MethodSource("everySchema")
  <T extends SpecificRecord> void roundTripsEverySchemaThroughMockRegistry(
      Class<T> type, T record) {
    try (Serde<T> serde = AvroSerdes.specific(type, CONFIG, false)) {
      byte[] bytes = serde.serializer().serialize("topic-" + type.getSimpleName(), record);
      T back = serde.deserializer().deserialize("topic-" + type.getSimpleName(), bytes);
      assertThat(back).isEqualTo(record);
    }
    assertThat(MockSchemaRegistryClient.forScope(SCOPE).subjects())
        .containsExactly("topic-" + type.getSimpleName() + "-value");
  }

  @Test
  void keySerdeUsesKeySubject() {
    try (Serde<OrderEvent> serde = AvroSerdes.specific(OrderEvent.class, CONFIG, true)) {
      serde.serializer().serialize(TOPIC, TestRecords.orderEvent());
    }
    assertThat(MockSchemaRegistryClient.forScope(SCOPE).subjects())
        .containsExactly("order-events-key");
  }

  @Test
  void deserializesWithoutSerializablePackagesProperty() {
    assertThat(System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES")).isNull();
    try (Serde<DeadLetter> serde = AvroSerdes.specific(DeadLetter.class, CONFIG, false)) {
      DeadLetter back =
          serde
              .deserializer()
              .deserialize(TOPIC, serde.serializer().serialize(TOPIC, TestRecords.deadLetter()));
      assertThat(back).isEqualTo(TestRecords.deadLetter());
      assertThat(back.getFailedAt()).isEqualTo(TestRecords.ENRICHED);
    }
  }

  @Test
  void tombstonesStayNull() {
    try (Serde<OrderEvent> serde = AvroSerdes.specific(OrderEvent.class, CONFIG, false)) {
      assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
      assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    }
  }

  @Test
  void readsDataOfAnOlderSchemaWithNewDefaultedFields() {
    GenericRecord line =
        new GenericData.Record(ORDER_EVENT_V1.getField("lines").schema().getElementType());
    line.put("lineId", "l1");
    line.put("sku", "CHAIR-1");
    line.put("quantity", 3);
    GenericRecord v1 = new GenericData.Record(ORDER_EVENT_V1);
    v1.put("eventId", "evt-old");
    v1.put(
        "eventType",
        new GenericData.EnumSymbol(ORDER_EVENT_V1.getField("eventType").schema(), "ORDER_PLACED"));
    v1.put("orderId", "order-1");
    v1.put("shopId", "shop-1");
    v1.put("occurredAt", TestRecords.OCCURRED.toEpochMilli());
    v1.put("currency", "EUR");
    v1.put("lines", List.of(line));

    byte[] bytes;
    try (AvroSerializer<GenericRecord> writer = new AvroSerializer<>()) {
      writer.configure(CONFIG, false);
      bytes = writer.serialize(TOPIC, v1);
    }
    // the current schema is registered after v1: BACKWARD allows it
    try (Serde<OrderEvent> serde = AvroSerdes.specific(OrderEvent.class, CONFIG, false)) {
      serde.serializer().serialize(TOPIC, TestRecords.orderEvent());
      OrderEvent read = serde.deserializer().deserialize(TOPIC, bytes);
      assertThat(read.getEventId()).isEqualTo("evt-old");
      assertThat(read.getCustomerId()).isNull();
      assertThat(read.getOccurredAt()).isEqualTo(TestRecords.OCCURRED);
      assertThat(read.getLines())
          .singleElement()
          .satisfies(
              l -> {
                assertThat(l.getQuantity()).isEqualTo(3);
                assertThat(l.getConfigurationId()).isNull();
              });
    }
    assertThat(MockSchemaRegistryClient.forScope(SCOPE).versions(TOPIC + "-value"))
        .containsExactly(1, 2);
  }

  @Test
  void readsEquivalentSchemaOfAForeignProducerUnderOtherNames() {
    GenericRecord read = foreignOrder();
    byte[] bytes;
    try (AvroSerializer<GenericRecord> writer = new AvroSerializer<>()) {
      writer.configure(CONFIG, false);
      bytes = writer.serialize("foreign-orders", read);
    }
    try (AvroDeserializer<OrderEvent> reader = new AvroDeserializer<>(OrderEvent.class)) {
      reader.configure(CONFIG, false);
      OrderEvent event = reader.deserialize("foreign-orders", bytes);
      assertThat(event.getEventId()).isEqualTo("evt-f");
      assertThat(event.getOrderId()).isEqualTo("order-f");
      assertThat(event.getEventType()).isEqualTo(OrderEventType.ORDER_CANCELLED);
      assertThat(event.getCustomerId()).isEqualTo("cust-9");
      assertThat(event.getOccurredAt()).isEqualTo(TestRecords.OCCURRED);
      assertThat(event.getLines())
          .singleElement()
          .satisfies(
              l -> {
                assertThat(l.getLineId()).isEqualTo("line-f");
                assertThat(l.getSku()).isEqualTo("SKU-F");
                assertThat(l.getQuantity()).isEqualTo(5);
                assertThat(l.getConfigurationId()).isEqualTo("cfg-f");
              });
    }
  }

  @Test
  void foreignSchemaMissingARequiredFieldIsAResolutionFailure() {
    Schema noCurrency =
        new Schema.Parser()
            .parse(FOREIGN_ORDER.toString().replace("\"currency\"", "\"currencyCode\""));
    GenericRecord record = new GenericData.Record(noCurrency);
    GenericRecord source = foreignOrder();
    for (Schema.Field f : noCurrency.getFields()) {
      Object value = source.get(f.name().equals("currencyCode") ? "currency" : f.name());
      record.put(f.name(), value);
    }
    byte[] bytes;
    try (AvroSerializer<GenericRecord> writer = new AvroSerializer<>()) {
      writer.configure(CONFIG, false);
      bytes = writer.serialize("foreign-orders", record);
    }
    try (AvroDeserializer<OrderEvent> reader = new AvroDeserializer<>(OrderEvent.class)) {
      reader.configure(CONFIG, false);
      assertThatThrownBy(() -> reader.deserialize("foreign-orders", bytes))
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("value of topic foreign-orders")
          .hasMessageContaining("schema resolution failure")
          .hasMessageContaining("com.othershop.events.PlacedOrder");
    }
  }

  @Test
  void genericDeserializerReturnsTheWritersSchema() {
    byte[] bytes;
    try (AvroSerializer<GenericRecord> writer = new AvroSerializer<>()) {
      writer.configure(CONFIG, false);
      bytes = writer.serialize("foreign-orders", foreignOrder());
    }
    try (GenericAvroDeserializer reader = new GenericAvroDeserializer()) {
      reader.configure(CONFIG, false);
      GenericRecord back = reader.deserialize("foreign-orders", bytes);
      assertThat(back.getSchema()).isEqualTo(FOREIGN_ORDER);
      assertThat(back.get("channel").toString()).isEqualTo("web");
      assertThat(back.get("occurredAt")).isEqualTo(TestRecords.OCCURRED.toEpochMilli());
    }
  }

  @Test
  void useLatestVersionWritesInTheRegisteredLayout() {
    // the registered schema has an extra defaulted field in the middle: the class's own layout
    // differs
    String json =
        OrderEvent.getClassSchema()
            .toString()
            .replace(
                "{\"name\":\"orderId\"",
                "{\"name\":\"channel\",\"type\":\"string\",\"default\":\"web\"},{\"name\":\"orderId\"");
    Schema registered = new Schema.Parser().parse(json);
    MockSchemaRegistryClient registry = MockSchemaRegistryClient.forScope(SCOPE);
    int id = registry.register(TOPIC + "-value", registered);

    Map<String, Object> config =
        Map.of(
            RegistryConfig.SCHEMA_REGISTRY_URL,
            "mock://" + SCOPE,
            RegistryConfig.AUTO_REGISTER_SCHEMAS,
            "false",
            RegistryConfig.USE_LATEST_VERSION,
            true);
    try (Serde<OrderEvent> serde = AvroSerdes.specific(OrderEvent.class, config, false);
        GenericAvroDeserializer generic = new GenericAvroDeserializer(registry)) {
      generic.configure(config, false);
      byte[] bytes = serde.serializer().serialize(TOPIC, TestRecords.orderEvent());
      assertThat(WireFormat.schemaId(bytes)).isEqualTo(id);
      assertThat(generic.deserialize(TOPIC, bytes).get("channel").toString()).isEqualTo("web");
      assertThat(serde.deserializer().deserialize(TOPIC, bytes))
          .isEqualTo(TestRecords.orderEvent());
    }
    assertThat(registry.versions(TOPIC + "-value")).containsExactly(1);
  }

  @Test
  void withoutAutoRegisterAnUnregisteredSchemaFails() {
    Map<String, Object> config =
        Map.of(
            RegistryConfig.SCHEMA_REGISTRY_URL,
            "mock://" + SCOPE,
            RegistryConfig.AUTO_REGISTER_SCHEMAS,
            false);
    try (Serde<OrderEvent> serde = AvroSerdes.specific(OrderEvent.class, config, false)) {
      assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, TestRecords.orderEvent()))
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("order-events-value")
          .hasMessageContaining("not found");
      MockSchemaRegistryClient.forScope(SCOPE)
          .register(TOPIC + "-value", OrderEvent.getClassSchema());
      assertThat(serde.serializer().serialize(TOPIC, TestRecords.orderEvent())).isNotEmpty();
    }
  }

  @Test
  void incompatibleSchemaIsRefusedOnRegistration() {
    MockSchemaRegistryClient.forScope(SCOPE).register(TOPIC + "-value", ORDER_EVENT_V1);
    Schema breaking =
        new Schema.Parser()
            .parse(
                ORDER_EVENT_V1
                    .toString()
                    .replace(
                        "{\"name\":\"currency\",\"type\":\"string\"}",
                        "{\"name\":\"currency\",\"type\":\"string\"},{\"name\":\"tax\",\"type\":\"int\"}"));
    GenericRecord record = new GenericData.Record(breaking);
    try (AvroSerializer<GenericRecord> writer = new AvroSerializer<>()) {
      writer.configure(CONFIG, false);
      assertThatThrownBy(() -> writer.serialize(TOPIC, record))
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("registering the schema failed")
          .hasMessageContaining("incompatible");
    }
  }

  @Test
  void serdesAreSafeToShareAcrossThreads() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (Serde<OrderEvent> serde = AvroSerdes.specific(OrderEvent.class, CONFIG, false)) {
      List<Future<OrderEvent>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        OrderEvent event =
            OrderEvent.newBuilder(TestRecords.orderEvent()).setEventId("evt-" + i).build();
        results.add(
            pool.submit(
                () ->
                    serde
                        .deserializer()
                        .deserialize(TOPIC, serde.serializer().serialize(TOPIC, event))));
      }
      for (int i = 0; i < results.size(); i++) {
        assertThat(results.get(i).get().getEventId()).isEqualTo("evt-" + i);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(MockSchemaRegistryClient.forScope(SCOPE).versions(TOPIC + "-value"))
        .containsExactly(1);
  }

  private static GenericRecord foreignOrder() {
    Schema itemSchema = FOREIGN_ORDER.getField("lines").schema().getElementType();
    GenericRecord item = new GenericData.Record(itemSchema);
    item.put("sku", "SKU-F");
    item.put("lineId", "line-f");
    item.put("quantity", 5);
    item.put("configurationId", "cfg-f");
    GenericRecord order = new GenericData.Record(FOREIGN_ORDER);
    order.put("orderId", "order-f");
    order.put("eventId", "evt-f");
    order.put("channel", "web");
    order.put(
        "eventType",
        new GenericData.EnumSymbol(
            FOREIGN_ORDER.getField("eventType").schema(), "ORDER_CANCELLED"));
    order.put("shopId", "shop-f");
    order.put("occurredAt", TestRecords.OCCURRED.toEpochMilli());
    order.put("currency", "USD");
    order.put("customerId", "cust-9");
    order.put("lines", List.of(item));
    return order;
  }
}
