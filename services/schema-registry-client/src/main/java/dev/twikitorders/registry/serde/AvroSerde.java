package dev.twikitorders.registry.serde;

import dev.twikitorders.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * An Avro serializer and deserializer sharing one registry client; closing the serde closes the
 * client when the serde created it. Obtain through {@link AvroSerdes}.
 *
 * <p>Thread-safety: thread-safe once configured.
 */
public final class AvroSerde<T> implements Serde<T> {
  private final Serializer<T> serializer;
  private final Deserializer<T> deserializer;
  private final SchemaRegistryClient ownedClient;

  AvroSerde(
      Serializer<T> serializer, Deserializer<T> deserializer, SchemaRegistryClient ownedClient) {
    this.serializer = serializer;
    this.deserializer = deserializer;
    this.ownedClient = ownedClient;
  }

  /** Re-reads the serde settings; the registry client stays the same. */
  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    serializer.configure(configs, isKey);
    deserializer.configure(configs, isKey);
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return deserializer;
  }

  @Override
  public void close() {
    serializer.close();
    deserializer.close();
    if (ownedClient != null) {
      ownedClient.close();
    }
  }
}
