package dev.twikitorders.registry.serde;

import dev.twikitorders.registry.RegistryConfig;
import dev.twikitorders.registry.SchemaRegistryClient;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;

/**
 * Reads Confluent-framed Avro into a generated {@link SpecificRecord} class. The reader schema is
 * the class's; the writer schema is fetched by the id in the frame; Avro schema resolution bridges
 * them, so data written with older or newer compatible schemas reads fine. Writer schemas whose
 * records or enums carry other names than the class's (a foreign producer's equivalent schema) are
 * aligned to the reader's names first (see {@code SchemaAligner}).
 *
 * <p>Needs no {@code org.apache.avro.SERIALIZABLE_PACKAGES} setting: the reader is built from the
 * class's own {@link SpecificData} model, so no class is looked up by name from schema properties.
 *
 * <p>Created by class name (e.g. {@code value.deserializer}), it takes the type from {@code
 * specific.avro.value.type} (or {@code specific.avro.key.type}). {@code null} data (tombstones)
 * give {@code null}.
 *
 * <p>Thread-safety: thread-safe once configured.
 */
public class AvroDeserializer<T extends SpecificRecord> extends AbstractAvroDeserializer<T> {
  private volatile Class<T> type;
  private volatile Schema readerSchema;
  private volatile SpecificData model;

  /** For construction by class name; the type comes from the configuration. */
  public AvroDeserializer() {
    super(null);
  }

  /** Reads into {@code type}; a client is created from the configuration. */
  public AvroDeserializer(Class<T> type) {
    this(type, null);
  }

  /** Reads into {@code type} through {@code client}, which the caller keeps ownership of. */
  public AvroDeserializer(Class<T> type, SchemaRegistryClient client) {
    super(client);
    setType(Objects.requireNonNull(type, "type"));
  }

  private void setType(Class<T> type) {
    this.model = SpecificData.getForClass(type);
    this.readerSchema = model.getSchema(type);
    this.type = type;
  }

  /** The target class. */
  public Class<T> type() {
    return type;
  }

  @Override
  @SuppressWarnings("unchecked")
  void configureType(Map<String, ?> configs, boolean isKey) {
    if (type != null) {
      return;
    }
    String key =
        isKey ? RegistryConfig.SPECIFIC_AVRO_KEY_TYPE : RegistryConfig.SPECIFIC_AVRO_VALUE_TYPE;
    String className = RegistryConfig.string(configs, key);
    if (className == null) {
      throw new ConfigException(
          "Missing " + key + ": the SpecificRecord class to deserialize into");
    }
    try {
      Class<?> c =
          Class.forName(
              className,
              true,
              Thread.currentThread().getContextClassLoader() != null
                  ? Thread.currentThread().getContextClassLoader()
                  : AvroDeserializer.class.getClassLoader());
      if (!SpecificRecord.class.isAssignableFrom(c)) {
        throw new ConfigException(key, className, "not a SpecificRecord");
      }
      setType((Class<T>) c);
    } catch (ClassNotFoundException e) {
      throw new ConfigException(key, className, "class not found");
    }
  }

  @Override
  Resolution<T> resolve(int id, Schema writer) {
    Schema reader = readerSchema;
    if (reader == null) {
      throw new IllegalStateException(
          "no target type: pass a class or set specific.avro.value.type");
    }
    Schema aligned = SchemaAligner.align(writer, reader);
    SchemaCompatibility.SchemaPairCompatibility compatibility =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, aligned);
    if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      String problems =
          compatibility.getResult().getIncompatibilities().stream()
              .map(i -> i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")")
              .reduce((a, b) -> a + "; " + b)
              .orElse("incompatible");
      return new Resolution<>(
          null,
          "writer schema id "
              + id
              + " ("
              + writer.getFullName()
              + ") cannot be read as "
              + reader.getFullName()
              + ": "
              + problems);
    }
    return new Resolution<>(new BoundedSpecificDatumReader<>(aligned, reader, model), null);
  }

  /**
   * Caps the initial capacity of arrays and maps: the declared count is checked by the decoder, not
   * trusted.
   */
  static final class BoundedSpecificDatumReader<T> extends SpecificDatumReader<T> {
    BoundedSpecificDatumReader(Schema writer, Schema reader, SpecificData model) {
      super(writer, reader, model);
    }

    @Override
    protected Object newArray(Object old, int size, Schema schema) {
      return super.newArray(old, Math.min(size, 1024), schema);
    }

    @Override
    protected Object newMap(Object old, int size) {
      return super.newMap(old, Math.min(size, 1024));
    }
  }

  /** Generic variant of {@link BoundedSpecificDatumReader}. */
  static final class BoundedGenericDatumReader<T>
      extends org.apache.avro.generic.GenericDatumReader<T> {
    BoundedGenericDatumReader(Schema writer, Schema reader, GenericData model) {
      super(writer, reader, model);
    }

    @Override
    protected Object newArray(Object old, int size, Schema schema) {
      return super.newArray(old, Math.min(size, 1024), schema);
    }

    @Override
    protected Object newMap(Object old, int size) {
      return super.newMap(old, Math.min(size, 1024));
    }
  }
}
