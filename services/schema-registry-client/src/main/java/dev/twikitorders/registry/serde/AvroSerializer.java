package dev.twikitorders.registry.serde;

import dev.twikitorders.registry.RegisteredSchema;
import dev.twikitorders.registry.RegistryConfig;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.SchemaRegistryClients;
import dev.twikitorders.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records (generated {@link SpecificRecord}s or {@link
 * org.apache.avro.generic.GenericRecord}s) in the Confluent wire format under subject {@code
 * <topic>-value} (or {@code <topic>-key}).
 *
 * <p>Which schema id goes into the frame:
 *
 * <ul>
 *   <li>{@code auto.register.schemas=true} (default): the record's schema is registered (or found)
 *       under the subject;
 *   <li>else {@code use.latest.version=true}: the subject's latest schema, looked up once; the
 *       record is written in that schema's layout (transcoded when it differs from the record's
 *       own, refused when it cannot read the record's);
 *   <li>else: the id of the record's schema, which must already be registered under the subject.
 * </ul>
 *
 * The id is cached per (subject, schema) for the serializer's lifetime.
 *
 * <p>Errors: a registry answer about the schema (incompatible, not registered, invalid) throws
 * {@link SerializationException} caused by the registry's {@link SchemaRegistryException}; an
 * unreachable, failing or refusing registry (I/O, 5xx, 401/403, oversized or invalid reply) throws
 * {@link SchemaRegistryException}. In both cases {@link SchemaRegistryException#find(Throwable)}
 * gives the registry's failure with its HTTP status and error code: the registry refused or failed,
 * which concerns every record of the schema. A record that cannot be encoded (e.g. {@code null} in
 * a non-null field) throws a {@link SerializationException} with no {@code SchemaRegistryException}
 * in its cause chain. {@code null} serializes to {@code null} (tombstones).
 *
 * <p>Thread-safety: thread-safe once configured.
 */
public class AvroSerializer<T extends IndexedRecord> implements Serializer<T> {
  private final SchemaRegistryClient injectedClient;
  private final Map<Key, Target> targets = new ConcurrentHashMap<>();
  private volatile SchemaRegistryClient client;
  private volatile boolean ownsClient;
  private volatile boolean isKey;
  private volatile boolean autoRegister = true;
  private volatile boolean useLatestVersion;

  private record Key(String subject, Schema schema) {}

  /**
   * How to write records of one schema to one subject: the id, the writer for the record's own
   * schema, and when the registered schema differs in layout, how to transcode into it.
   */
  private record Target(
      int id,
      DatumWriter<Object> writer,
      GenericDatumReader<Object> transcodeReader,
      DatumWriter<Object> transcodeWriter) {}

  /** A client is created from the configuration. */
  public AvroSerializer() {
    this(null);
  }

  /**
   * Uses {@code client}, which the caller keeps ownership of; {@link #configure} still reads the
   * serde settings.
   */
  public AvroSerializer(SchemaRegistryClient client) {
    this.injectedClient = client;
    this.client = client;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    RegistryConfig.requireTopicNameStrategy(configs, isKey);
    this.isKey = isKey;
    this.autoRegister = RegistryConfig.bool(configs, RegistryConfig.AUTO_REGISTER_SCHEMAS, true);
    this.useLatestVersion = RegistryConfig.bool(configs, RegistryConfig.USE_LATEST_VERSION, false);
    targets.clear();
    if (injectedClient == null) {
      SchemaRegistryClient previous = client;
      client = SchemaRegistryClients.create(configs);
      ownsClient = true;
      if (previous != null && previous != client) {
        previous.close();
      }
    }
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    String subject = topic + (isKey ? "-key" : "-value");
    Schema schema = data.getSchema();
    Key key = new Key(subject, schema);
    Target target = targets.get(key);
    if (target == null) {
      target = target(subject, schema, data);
      targets.putIfAbsent(key, target);
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(256);
      byte[] header = new byte[WireFormat.HEADER_SIZE];
      WireFormat.writeHeader(header, target.id());
      out.write(header);
      if (target.transcodeReader() == null) {
        write(target.writer(), data, out);
      } else {
        ByteArrayOutputStream own = new ByteArrayOutputStream(256);
        write(target.writer(), data, own);
        Object inRegisteredLayout =
            target
                .transcodeReader()
                .read(null, DecoderFactory.get().binaryDecoder(own.toByteArray(), null));
        write(target.transcodeWriter(), inRegisteredLayout, out);
      }
      return out.toByteArray();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "Cannot serialize "
              + schema.getFullName()
              + " for topic "
              + topic
              + ": "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage()),
          e);
    }
  }

  private static void write(DatumWriter<Object> writer, Object datum, ByteArrayOutputStream out)
      throws IOException {
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    writer.write(datum, encoder);
    encoder.flush();
  }

  private Target target(String subject, Schema schema, T sample) {
    DatumWriter<Object> own = writerFor(schema, sample);
    SchemaRegistryClient c = client();
    try {
      if (autoRegister) {
        return new Target(c.register(subject, schema), own, null, null);
      }
      if (!useLatestVersion) {
        return new Target(c.getId(subject, schema), own, null, null);
      }
      RegisteredSchema latest = c.latestVersion(subject);
      Schema registered = latest.schema();
      if (SchemaNormalization.toParsingForm(registered)
          .equals(SchemaNormalization.toParsingForm(schema))) {
        return new Target(latest.id(), own, null, null); // same binary layout
      }
      SchemaCompatibility.SchemaPairCompatibility compatibility =
          SchemaCompatibility.checkReaderWriterCompatibility(registered, schema);
      if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
        throw new SerializationException(
            "Cannot serialize "
                + schema.getFullName()
                + " for subject "
                + subject
                + ": latest registered schema (id "
                + latest.id()
                + ", version "
                + latest.version()
                + ") cannot represent it: "
                + compatibility.getDescription());
      }
      return new Target(
          latest.id(),
          own,
          new GenericDatumReader<>(schema, registered, GenericData.get()),
          new GenericDatumWriter<>(registered, GenericData.get()));
    } catch (SchemaRegistryException e) {
      if (e.isNotFound()
          || e.errorCode() == SchemaRegistryException.INCOMPATIBLE_SCHEMA
          // Apicurio's ccompat API answers an incompatible schema with 409 and error_code 0
          || (e.httpStatus() == 409 && e.errorCode() != SchemaRegistryException.RESPONSE_TOO_LARGE)
          || e.errorCode() / 100 == 422) {
        throw new SerializationException(
            "Cannot serialize "
                + schema.getFullName()
                + " for subject "
                + subject
                + (autoRegister ? ": registering the schema failed: " : ": schema lookup failed: ")
                + e.getMessage(),
            e);
      }
      throw new SchemaRegistryException(
          "Cannot serialize "
              + schema.getFullName()
              + " for subject "
              + subject
              + ": schema registry failed: "
              + e.getMessage(),
          e.httpStatus(),
          e.errorCode(),
          e);
    }
  }

  @SuppressWarnings("unchecked")
  private static DatumWriter<Object> writerFor(Schema schema, Object sample) {
    if (sample instanceof SpecificRecord) {
      return (DatumWriter<Object>)
          (DatumWriter<?>)
              new SpecificDatumWriter<>(schema, SpecificData.getForClass(sample.getClass()));
    }
    return new GenericDatumWriter<>(schema, GenericData.get());
  }

  SchemaRegistryClient client() {
    SchemaRegistryClient c = client;
    if (c == null) {
      throw new IllegalStateException(
          "not configured: call configure(...) or pass a SchemaRegistryClient");
    }
    return c;
  }

  @Override
  public void close() {
    if (ownsClient && client != null) {
      client.close();
    }
  }
}
