package dev.twikitorders.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

/**
 * Turns a decoded Avro record into the plain JSON object a customer endpoint receives.
 *
 * <p>The mapping (per Avro schema type):
 *
 * <table>
 *   <caption>Avro to JSON</caption>
 *   <tr><th>Avro</th><th>JSON</th></tr>
 *   <tr><td>record</td><td>object, field names exactly as in the schema, in schema order; every
 *       field present</td></tr>
 *   <tr><td>null</td><td>{@code null}</td></tr>
 *   <tr><td>union</td><td>the value of the branch it holds, without Avro's JSON-encoding wrapper
 *       ({@code "x"}, not {@code {"string":"x"}})</td></tr>
 *   <tr><td>enum</td><td>its symbol, a string</td></tr>
 *   <tr><td>string</td><td>string</td></tr>
 *   <tr><td>int, long</td><td>integer number</td></tr>
 *   <tr><td>float, double</td><td>number ({@code NaN} and infinities as the strings {@code "NaN"},
 *       {@code "Infinity"}, {@code "-Infinity"})</td></tr>
 *   <tr><td>boolean</td><td>{@code true} / {@code false}</td></tr>
 *   <tr><td>bytes, fixed</td><td>string, standard Base64 with padding (RFC 4648 section 4)</td></tr>
 *   <tr><td>array</td><td>array</td></tr>
 *   <tr><td>map</td><td>object (Avro map keys are strings)</td></tr>
 *   <tr><td>timestamp-millis, timestamp-micros</td><td>ISO-8601 UTC instant string, e.g. {@code
 *       "2026-11-29T08:15:47.123Z"} (no fraction when it is zero, as many digits as needed
 *       otherwise)</td></tr>
 *   <tr><td>local-timestamp-millis, local-timestamp-micros</td><td>ISO-8601 local date-time string
 *       without zone, e.g. {@code "2026-11-29T08:15:47.123"}</td></tr>
 *   <tr><td>date</td><td>ISO-8601 date string, e.g. {@code "2026-11-29"}</td></tr>
 *   <tr><td>time-millis, time-micros</td><td>ISO-8601 local time string, e.g. {@code
 *       "08:15:47.123"}</td></tr>
 *   <tr><td>uuid</td><td>its canonical string</td></tr>
 *   <tr><td>decimal (bytes or fixed)</td><td>string with the exact value at the schema's scale,
 *       e.g. {@code "129.95"} (never a binary floating point number)</td></tr>
 * </table>
 *
 * <p>Values may come from generic records (logical types as their underlying Avro values: {@code
 * long}, {@code int}, {@code ByteBuffer}, {@link GenericFixed}, {@code Utf8}) or from specific
 * records with conversions ({@link Instant}, {@link LocalDate}, {@link BigDecimal}, {@link UUID},
 * ...): both map to the same JSON. A value that does not fit its schema fails with an {@link
 * IllegalArgumentException} naming the field path.
 *
 * <p>Thread-safety: stateless, thread-safe.
 */
public final class RecordJson {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Resolves unions of converted values ({@link Instant}, {@link BigDecimal}, ...) too. */
  private static final GenericData MODEL = model();

  private static GenericData model() {
    GenericData m = new GenericData();
    m.addLogicalTypeConversion(new Conversions.DecimalConversion());
    m.addLogicalTypeConversion(new Conversions.UUIDConversion());
    m.addLogicalTypeConversion(new TimeConversions.DateConversion());
    m.addLogicalTypeConversion(new TimeConversions.TimeMillisConversion());
    m.addLogicalTypeConversion(new TimeConversions.TimeMicrosConversion());
    m.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    m.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
    m.addLogicalTypeConversion(new TimeConversions.LocalTimestampMillisConversion());
    m.addLogicalTypeConversion(new TimeConversions.LocalTimestampMicrosConversion());
    return m;
  }

  private RecordJson() {}

  /** The JSON object of {@code record}. */
  public static ObjectNode toJson(IndexedRecord record) {
    Objects.requireNonNull(record, "record");
    return record(record.getSchema(), record, record.getSchema().getName());
  }

  /** The JSON value of {@code value} as an instance of {@code schema}. */
  public static JsonNode toJson(Schema schema, Object value) {
    Objects.requireNonNull(schema, "schema");
    return value(schema, value, schema.getName());
  }

  private static ObjectNode record(Schema schema, IndexedRecord record, String path) {
    ObjectNode out = NODES.objectNode();
    for (Schema.Field f : schema.getFields()) {
      out.set(f.name(), value(f.schema(), record.get(f.pos()), path + "." + f.name()));
    }
    return out;
  }

  private static JsonNode value(Schema schema, Object v, String path) {
    try {
      return convert(schema, v, path);
    } catch (ClassCastException e) {
      throw new IllegalArgumentException(
          "value at "
              + path
              + " does not fit its schema "
              + schema.getType().getName()
              + ": "
              + (v == null ? "null" : v.getClass().getName()),
          e);
    }
  }

  private static JsonNode convert(Schema schema, Object v, String path) {
    if (schema.getType() == Schema.Type.UNION) {
      int branch;
      try {
        branch = MODEL.resolveUnion(schema, v);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "value at " + path + " matches no branch of its union " + schema, e);
      }
      return value(schema.getTypes().get(branch), v, path);
    }
    if (v == null) {
      if (schema.getType() == Schema.Type.NULL) {
        return NODES.nullNode();
      }
      throw new IllegalArgumentException(
          "value at " + path + " is null but its schema is " + schema.getType().getName());
    }
    LogicalType logical = schema.getLogicalType();
    if (logical != null) {
      JsonNode n = logical(logical, schema, v, path);
      if (n != null) {
        return n;
      }
    }
    return switch (schema.getType()) {
      case RECORD -> record(schema, (IndexedRecord) v, path);
      case ENUM -> NODES.textNode(symbol(v));
      case STRING -> NODES.textNode(v.toString());
      case INT -> NODES.numberNode(((Number) v).intValue());
      case LONG -> NODES.numberNode(((Number) v).longValue());
      case FLOAT -> floating(((Number) v).floatValue(), true);
      case DOUBLE -> floating(((Number) v).doubleValue(), false);
      case BOOLEAN -> NODES.booleanNode((Boolean) v);
      case BYTES -> NODES.textNode(Base64.getEncoder().encodeToString(bytes((ByteBuffer) v)));
      case FIXED -> NODES.textNode(Base64.getEncoder().encodeToString(((GenericFixed) v).bytes()));
      case ARRAY -> {
        ArrayNode a = NODES.arrayNode();
        int i = 0;
        for (Object item : (Collection<?>) v) {
          a.add(value(schema.getElementType(), item, path + "[" + i++ + "]"));
        }
        yield a;
      }
      case MAP -> {
        ObjectNode m = NODES.objectNode();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
          String key = String.valueOf(e.getKey());
          m.set(key, value(schema.getValueType(), e.getValue(), path + "[" + key + "]"));
        }
        yield m;
      }
      case NULL ->
          throw new IllegalArgumentException("value at " + path + " must be null for schema null");
      case UNION -> throw new AssertionError("handled above");
    };
  }

  /** The JSON of a logical type's value, or null to map the underlying type. */
  private static JsonNode logical(LogicalType logical, Schema schema, Object v, String path) {
    return switch (logical) {
      case LogicalTypes.TimestampMillis t ->
          NODES.textNode(
              (v instanceof Instant i ? i : Instant.ofEpochMilli(((Number) v).longValue()))
                  .toString());
      case LogicalTypes.TimestampMicros t ->
          NODES.textNode(
              (v instanceof Instant i
                      ? i
                      : Instant.EPOCH.plus(((Number) v).longValue(), ChronoUnit.MICROS))
                  .toString());
      case LogicalTypes.LocalTimestampMillis t ->
          NODES.textNode(
              (v instanceof LocalDateTime d
                      ? d
                      : LocalDateTime.ofInstant(
                          Instant.ofEpochMilli(((Number) v).longValue()), ZoneOffset.UTC))
                  .toString());
      case LogicalTypes.LocalTimestampMicros t ->
          NODES.textNode(
              (v instanceof LocalDateTime d
                      ? d
                      : LocalDateTime.ofInstant(
                          Instant.EPOCH.plus(((Number) v).longValue(), ChronoUnit.MICROS),
                          ZoneOffset.UTC))
                  .toString());
      case LogicalTypes.Date d ->
          NODES.textNode(
              (v instanceof LocalDate ld ? ld : LocalDate.ofEpochDay(((Number) v).longValue()))
                  .toString());
      case LogicalTypes.TimeMillis t ->
          NODES.textNode(
              (v instanceof LocalTime lt
                      ? lt
                      : LocalTime.ofNanoOfDay(((Number) v).longValue() * 1_000_000L))
                  .toString());
      case LogicalTypes.TimeMicros t ->
          NODES.textNode(
              (v instanceof LocalTime lt
                      ? lt
                      : LocalTime.ofNanoOfDay(((Number) v).longValue() * 1_000L))
                  .toString());
      case LogicalTypes.Decimal dec -> NODES.textNode(decimal(dec, v, path).toPlainString());
      default -> {
        if ("uuid".equals(logical.getName())) {
          yield NODES.textNode(v instanceof UUID u ? u.toString() : v.toString());
        }
        yield null;
      }
    };
  }

  private static BigDecimal decimal(LogicalTypes.Decimal dec, Object v, String path) {
    if (v instanceof BigDecimal b) {
      return b;
    }
    byte[] unscaled =
        switch (v) {
          case ByteBuffer buf -> bytes(buf);
          case GenericFixed f -> f.bytes();
          default ->
              throw new IllegalArgumentException(
                  "decimal at "
                      + path
                      + " is neither bytes, fixed nor BigDecimal: "
                      + v.getClass().getName());
        };
    return new BigDecimal(new BigInteger(unscaled), dec.getScale());
  }

  private static String symbol(Object v) {
    return v instanceof Enum<?> e ? e.name() : v.toString();
  }

  private static JsonNode floating(double d, boolean isFloat) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return NODES.textNode(Double.toString(d));
    }
    return isFloat ? NODES.numberNode((float) d) : NODES.numberNode(d);
  }

  private static byte[] bytes(ByteBuffer buf) {
    ByteBuffer b = buf.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
