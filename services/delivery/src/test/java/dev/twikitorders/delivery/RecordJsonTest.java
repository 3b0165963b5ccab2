package dev.twikitorders.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twikitorders.schemas.ConfigurationSummary;
import dev.twikitorders.schemas.FilteredParameter;
import dev.twikitorders.schemas.FulfillmentConfiguration;
import dev.twikitorders.schemas.FulfillmentStatus;
import dev.twikitorders.schemas.ProductionResource;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class RecordJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String EVERY_TYPE =
      """
      {"type":"record","name":"Every","namespace":"t","fields":[
        {"name":"n","type":"null"},
        {"name":"b","type":"boolean"},
        {"name":"i","type":"int"},
        {"name":"l","type":"long"},
        {"name":"f","type":"float"},
        {"name":"d","type":"double"},
        {"name":"s","type":"string"},
        {"name":"by","type":"bytes"},
        {"name":"fx","type":{"type":"fixed","name":"Four","size":4}},
        {"name":"e","type":{"type":"enum","name":"Colour","symbols":["RED","GREEN"]}},
        {"name":"a","type":{"type":"array","items":"int"}},
        {"name":"m","type":{"type":"map","values":["null","string"]}},
        {"name":"u1","type":["null","string","int"]},
        {"name":"u2","type":["null","string","int"]},
        {"name":"u3","type":["null","string","int"]},
        {"name":"nested","type":{"type":"record","name":"Inner","fields":[{"name":"x","type":"string"}]}},
        {"name":"tsMillis","type":{"type":"long","logicalType":"timestamp-millis"}},
        {"name":"tsMicros","type":{"type":"long","logicalType":"timestamp-micros"}},
        {"name":"date","type":{"type":"int","logicalType":"date"}},
        {"name":"uuid","type":{"type":"string","logicalType":"uuid"}},
        {"name":"dec","type":{"type":"bytes","logicalType":"decimal","precision":20,"scale":4}},
        {"name":"decFixed","type":{"type":"fixed","name":"Dec8","size":8,"logicalType":"decimal","precision":10,"scale":2}},
        {"name":"maybeTs","type":["null",{"type":"long","logicalType":"timestamp-millis"}]}
      ]}
      """;

  @Test
  void aConfigurationSummaryMapsFieldByFieldWithTheSchemasNames() throws Exception {
    ConfigurationSummary s = Records.summary("line-1");

    ObjectNode json = RecordJson.toJson(s);

    assertThat(fieldNames(json))
        .containsExactlyElementsOf(
            ConfigurationSummary.getClassSchema().getFields().stream()
                .map(Schema.Field::name)
                .toList());
    assertThat(json)
        .isEqualTo(
            JSON.readTree(
                """
                {"orderId":"order-1","lineId":"line-1","eventId":"event-line-1","status":"PLACED",
                 "configurationId":"6f1c2b9e-0c1d-4e2f-9a3b-5c6d7e8f9a0b","productTitle":"Lamp",
                 "sku":"SKU-line-1","quantity":2,"price":"129.95","currency":"EUR",
                 "parameters":[{"name":"color","label":"Colour","value":"red","displayValue":"Red"}],
                 "occurredAt":"2026-11-29T08:15:47.123Z","enrichedAt":"2026-11-29T08:15:48Z",
                 "shopId":null}
                """));
  }

  @Test
  void aGenericRecordDecodedFromTheWireMapsLikeTheSpecificOne() throws Exception {
    ConfigurationSummary s = Records.summary("line-2");
    GenericRecord decoded = roundTrip(s.getSchema(), GenericData.get(), s);

    assertThat(decoded.get("occurredAt")).isInstanceOf(Long.class);
    assertThat(RecordJson.toJson(decoded)).isEqualTo(RecordJson.toJson(s));
  }

  @Test
  void aFulfillmentConfigurationMapsArraysOfRecordsAndNullUnions() throws Exception {
    FulfillmentConfiguration f =
        FulfillmentConfiguration.newBuilder()
            .setOrderId("order-9")
            .setLineId("line-3")
            .setEventId("event-3")
            .setStatus(FulfillmentStatus.CANCELLED)
            .setConfigurationId("cfg")
            .setProductTitle(null)
            .setQuantity(1)
            .setParameters(
                List.of(
                    new FilteredParameter("width", "120"), new FilteredParameter("depth", null)))
            .setResources(
                List.of(new ProductionResource(null, "https://files.example/3.stl", "model")))
            .setOccurredAt(Instant.ofEpochMilli(0))
            .setEnrichedAt(Instant.parse("2026-01-02T03:04:05.006Z"))
            .setSku(null)
            .build();

    ObjectNode json = RecordJson.toJson(f);

    assertThat(json)
        .isEqualTo(
            JSON.readTree(
                """
                {"orderId":"order-9","lineId":"line-3","eventId":"event-3","status":"CANCELLED",
                 "configurationId":"cfg","productTitle":null,"quantity":1,
                 "parameters":[{"name":"width","value":"120"},{"name":"depth","value":null}],
                 "resources":[{"name":null,"url":"https://files.example/3.stl","type":"model"}],
                 "occurredAt":"1970-01-01T00:00:00Z","enrichedAt":"2026-01-02T03:04:05.006Z",
                 "sku":null}
                """));
    assertThat(RecordJson.toJson(roundTrip(f.getSchema(), GenericData.get(), f))).isEqualTo(json);
  }

  @Test
  void everyAvroTypeHasItsMapping() throws Exception {
    Schema schema = new Schema.Parser().parse(EVERY_TYPE);
    Schema decSchema = schema.getField("dec").schema();
    Schema decFixedSchema = schema.getField("decFixed").schema();
    Conversions.DecimalConversion decimals = new Conversions.DecimalConversion();
    GenericRecord r =
        new GenericRecordBuilder(schema)
            .set("n", null)
            .set("b", true)
            .set("i", -7)
            .set("l", 9_007_199_254_740_993L)
            .set("f", 1.5f)
            .set("d", 0.1)
            .set("s", new Utf8("héllo"))
            .set("by", ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 0xff}))
            .set(
                "fx",
                new GenericData.Fixed(
                    schema.getField("fx").schema(), "abcd".getBytes(StandardCharsets.US_ASCII)))
            .set("e", new GenericData.EnumSymbol(schema.getField("e").schema(), "GREEN"))
            .set("a", List.of(1, 2, 3))
            .set("m", Map.of("k", "v"))
            .set("u1", null)
            .set("u2", "text")
            .set("u3", 42)
            .set(
                "nested",
                new GenericRecordBuilder(schema.getField("nested").schema()).set("x", "y").build())
            .set("tsMillis", Instant.parse("2026-11-29T08:15:47.123Z").toEpochMilli())
            .set("tsMicros", 1_764_404_147_123_456L)
            .set("date", (int) LocalDate.parse("2026-11-29").toEpochDay())
            .set("uuid", "6f1c2b9e-0c1d-4e2f-9a3b-5c6d7e8f9a0b")
            .set(
                "dec",
                decimals.toBytes(
                    new BigDecimal("12345678901234.5678"), decSchema, LogicalTypes.decimal(20, 4)))
            .set(
                "decFixed",
                decimals.toFixed(
                    new BigDecimal("-0.10"), decFixedSchema, LogicalTypes.decimal(10, 2)))
            .set("maybeTs", 0L)
            .build();
    GenericRecord decoded = roundTrip(schema, GenericData.get(), r);

    JsonNode expected =
        JSON.readTree(
            """
            {"n":null,"b":true,"i":-7,"l":9007199254740993,"f":1.5,"d":0.1,"s":"héllo",
             "by":"AAEC/w==","fx":"YWJjZA==","e":"GREEN","a":[1,2,3],"m":{"k":"v"},
             "u1":null,"u2":"text","u3":42,"nested":{"x":"y"},
             "tsMillis":"2026-11-29T08:15:47.123Z","tsMicros":"2025-11-29T08:15:47.123456Z",
             "date":"2026-11-29","uuid":"6f1c2b9e-0c1d-4e2f-9a3b-5c6d7e8f9a0b",
             "dec":"12345678901234.5678","decFixed":"-0.10","maybeTs":"1970-01-01T00:00:00Z"}
            """);
    assertThat(text(RecordJson.toJson(r))).isEqualTo(expected);
    assertThat(text(RecordJson.toJson(decoded))).isEqualTo(expected);
    assertThat(RecordJson.toJson(decoded).get("l").isIntegralNumber()).isTrue();
    assertThat(RecordJson.toJson(decoded).get("dec").isTextual()).isTrue();
    // converted values (as specific records hold them) map the same, in unions too
    r.put("maybeTs", Instant.EPOCH);
    r.put("tsMillis", Instant.parse("2026-11-29T08:15:47.123Z"));
    r.put("date", LocalDate.parse("2026-11-29"));
    r.put("dec", new BigDecimal("12345678901234.5678"));
    r.put("uuid", java.util.UUID.fromString("6f1c2b9e-0c1d-4e2f-9a3b-5c6d7e8f9a0b"));
    assertThat(text(RecordJson.toJson(r))).isEqualTo(expected);
  }

  @Test
  void aValueThatDoesNotFitItsSchemaNamesTheFieldPath() {
    Schema schema = new Schema.Parser().parse(EVERY_TYPE);
    GenericData.Record r = new GenericData.Record(schema);
    r.put("n", null);
    r.put("b", "not a boolean");

    assertThatThrownBy(() -> RecordJson.toJson(r))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Every.b");
  }

  /** The JSON as a reader sees it (number node types aside). */
  private static JsonNode text(JsonNode json) throws Exception {
    return JSON.readTree(JSON.writeValueAsString(json));
  }

  private static List<String> fieldNames(ObjectNode json) {
    List<String> names = new java.util.ArrayList<>();
    json.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static GenericRecord roundTrip(Schema schema, GenericData data, Object record)
      throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    org.apache.avro.specific.SpecificDatumWriter<Object> writer =
        new org.apache.avro.specific.SpecificDatumWriter<>(schema);
    writer.write(record, enc);
    enc.flush();
    GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(schema, schema, data);
    return reader.read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
  }
}
