package dev.twikitorders.registry.serde;

import dev.twikitorders.registry.SchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads Confluent-framed Avro into a {@link GenericRecord} in the writer's own schema (no
 * resolution, no logical type conversions: timestamps stay {@code long}). Useful for tooling,
 * dead-letter inspection and foreign data. Writer schemas that are not records are refused with a
 * {@link org.apache.kafka.common.errors.SerializationException}.
 *
 * <p>Thread-safety: thread-safe once configured.
 */
public class GenericAvroDeserializer extends AbstractAvroDeserializer<GenericRecord> {
  /** A client is created from the configuration. */
  public GenericAvroDeserializer() {
    super(null);
  }

  /** Reads through {@code client}, which the caller keeps ownership of. */
  public GenericAvroDeserializer(SchemaRegistryClient client) {
    super(client);
  }

  @Override
  Resolution<GenericRecord> resolve(int id, Schema writer) {
    if (writer.getType() != Schema.Type.RECORD) {
      return new Resolution<>(
          null, "writer schema id " + id + " is a " + writer.getType() + ", not a record");
    }
    return new Resolution<>(
        new AvroDeserializer.BoundedGenericDatumReader<>(writer, writer, GenericData.get()), null);
  }
}
