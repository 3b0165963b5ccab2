package dev.twikitorders.registry.serde;

import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.SchemaRegistryClients;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;

/** Factories for configured Avro {@link org.apache.kafka.common.serialization.Serde}s. */
public final class AvroSerdes {
  private AvroSerdes() {}

  /**
   * A configured serde for a generated record class; the registry client is created from {@code
   * config} ({@code schema.registry.url}, ...) and closed with the serde.
   */
  public static <T extends SpecificRecord> AvroSerde<T> specific(
      Class<T> type, Map<String, ?> config, boolean isKey) {
    SchemaRegistryClient client = SchemaRegistryClients.create(config);
    AvroSerde<T> serde =
        new AvroSerde<>(new AvroSerializer<>(client), new AvroDeserializer<>(type, client), client);
    serde.configure(config, isKey);
    return serde;
  }

  /**
   * A configured serde for a generated record class over {@code client}, which the caller keeps
   * ownership of.
   */
  public static <T extends SpecificRecord> AvroSerde<T> specific(
      Class<T> type, SchemaRegistryClient client, Map<String, ?> config, boolean isKey) {
    AvroSerde<T> serde =
        new AvroSerde<>(new AvroSerializer<>(client), new AvroDeserializer<>(type, client), null);
    serde.configure(config, isKey);
    return serde;
  }

  /**
   * A configured serde for generic records (read in the writer's schema); the client is closed with
   * the serde.
   */
  public static AvroSerde<GenericRecord> generic(Map<String, ?> config, boolean isKey) {
    SchemaRegistryClient client = SchemaRegistryClients.create(config);
    AvroSerde<GenericRecord> serde =
        new AvroSerde<>(new AvroSerializer<>(client), new GenericAvroDeserializer(client), client);
    serde.configure(config, isKey);
    return serde;
  }
}
