package dev.twikitorders.registry.serde;

import dev.twikitorders.registry.RegistryConfig;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.SchemaRegistryClients;
import dev.twikitorders.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Frame handling shared by the Avro deserializers: header checks, writer schema lookup by id, one
 * cached {@link DatumReader} per writer schema id, decoding with {@link BoundedBinaryDecoder}.
 *
 * <p>Errors: bad data (too short, unknown magic byte, unknown schema id, unresolvable schema,
 * undecodable body, bytes left over after the body) throws {@link SerializationException} naming
 * the topic, never the payload. A registry that cannot be reached or refuses the client throws
 * {@link SchemaRegistryException}: broken infrastructure, not bad data.
 *
 * <p>Thread-safety: thread-safe once configured.
 */
abstract class AbstractAvroDeserializer<T> implements Deserializer<T> {
  /** The outcome of preparing to read one writer schema: a reader, or why there can be none. */
  record Resolution<T>(DatumReader<T> reader, String error) {}

  private final SchemaRegistryClient injectedClient;
  private final Map<Integer, Resolution<T>> resolutions = new ConcurrentHashMap<>();
  private volatile SchemaRegistryClient client;
  private volatile boolean ownsClient;
  private volatile boolean isKey;

  AbstractAvroDeserializer(SchemaRegistryClient client) {
    this.injectedClient = client;
    this.client = client;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.isKey = isKey;
    RegistryConfig.requireTopicNameStrategy(configs, isKey);
    configureType(configs, isKey);
    if (injectedClient == null) {
      SchemaRegistryClient previous = client;
      client = SchemaRegistryClients.create(configs);
      ownsClient = true;
      if (previous != null && previous != client) {
        previous.close();
      }
    }
  }

  /** Hook for subclasses that read their target type from the configuration. */
  void configureType(Map<String, ?> configs, boolean isKey) {}

  /** Prepares to read data written with {@code writer}, which has id {@code id}. */
  abstract Resolution<T> resolve(int id, Schema writer);

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    String what = (isKey ? "key" : "value") + " of topic " + topic;
    if (data.length < WireFormat.HEADER_SIZE) {
      throw new SerializationException(
          "Cannot deserialize "
              + what
              + ": "
              + data.length
              + " byte(s), shorter than the 5-byte Confluent header (magic byte and schema id)");
    }
    if (data[0] != WireFormat.MAGIC_BYTE) {
      throw new SerializationException(
          "Cannot deserialize "
              + what
              + ": unknown magic byte "
              + (data[0] & 0xff)
              + ", expected 0 (not the Confluent wire format)");
    }
    int id = WireFormat.schemaId(data);
    Resolution<T> resolution = resolutions.get(id);
    if (resolution == null) {
      Schema writer;
      try {
        writer = client().getById(id);
      } catch (SchemaRegistryException e) {
        if (e.isNotFound()) {
          throw new SerializationException(
              "Cannot deserialize "
                  + what
                  + ": unknown schema id "
                  + id
                  + " ("
                  + e.getMessage()
                  + ")",
              e);
        }
        throw new SchemaRegistryException(
            "Cannot deserialize "
                + what
                + " with schema id "
                + id
                + ": schema registry failed: "
                + e.getMessage(),
            e.httpStatus(),
            e.errorCode(),
            e);
      }
      resolution = resolve(id, writer);
      resolutions.putIfAbsent(id, resolution);
    }
    if (resolution.error() != null) {
      throw new SerializationException(
          "Cannot deserialize " + what + ": schema resolution failure: " + resolution.error());
    }
    BoundedBinaryDecoder decoder =
        new BoundedBinaryDecoder(
            data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE);
    T value;
    try {
      value = resolution.reader().read(null, decoder);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "Cannot deserialize "
              + what
              + ": Avro body does not match writer schema id "
              + id
              + ": "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage()),
          e);
    }
    if (!decoder.isEnd()) {
      // a frame is exactly one datum: extra bytes mean a wrong writer schema id or a corrupt or
      // concatenated payload, so the decoded value cannot be trusted
      throw new SerializationException(
          "Cannot deserialize "
              + what
              + ": "
              + decoder.remaining()
              + " byte(s) left over after the Avro body of writer schema id "
              + id);
    }
    return value;
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
