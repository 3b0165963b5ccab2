package dev.twikitorders.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The operations of the Confluent Schema Registry REST API that Avro serdes and schema tooling
 * need.
 *
 * <p>Subjects follow Confluent's TopicNameStrategy ({@code <topic>-value}, {@code <topic>-key}).
 * Schema ids are global and immutable, so implementations may cache id lookups forever.
 *
 * <p>Errors: every method throws {@link SchemaRegistryException} carrying the HTTP status, the
 * registry's {@code error_code} and {@code message}; never credentials.
 *
 * <p>Thread-safety: implementations are thread-safe.
 *
 * @see <a
 *     href="https://docs.confluent.io/platform/current/schema-registry/develop/api.html">Confluent
 *     Schema Registry API</a>
 */
public interface SchemaRegistryClient extends AutoCloseable {

  /**
   * Registers {@code schema} under {@code subject} (POST /subjects/{subject}/versions), or returns
   * the id of an equal schema already registered there.
   *
   * @return the global schema id
   * @throws SchemaRegistryException with error code {@link
   *     SchemaRegistryException#INCOMPATIBLE_SCHEMA} when the subject's compatibility level rejects
   *     the schema
   */
  int register(String subject, Schema schema);

  /** The schema with this global id (GET /schemas/ids/{id}); error code 40403 when unknown. */
  Schema getById(int id);

  /**
   * The id of {@code schema} if it is registered under {@code subject} (POST /subjects/{subject});
   * error codes 40401 (subject not found) or 40403 (schema not found) otherwise.
   */
  int getId(String subject, Schema schema);

  /** Version numbers registered under the subject, ascending (GET /subjects/{subject}/versions). */
  List<Integer> versions(String subject);

  /** The latest schema of the subject (GET /subjects/{subject}/versions/latest). */
  default Schema latest(String subject) {
    return latestVersion(subject).schema();
  }

  /** The latest registered version of the subject with its id and version number. */
  RegisteredSchema latestVersion(String subject);

  /**
   * Whether {@code schema} may be registered under {@code subject} according to the subject's
   * compatibility level (POST /compatibility/subjects/{subject}/versions/latest). A subject without
   * versions accepts any schema.
   */
  boolean isCompatible(String subject, Schema schema);

  /**
   * Sets the compatibility level of a subject (PUT /config/{subject}), or the global level when
   * {@code subject} is {@code null} (PUT /config).
   */
  void setCompatibility(String subject, CompatibilityLevel level);

  /** Sets the global compatibility level (PUT /config). */
  default void setGlobalCompatibility(CompatibilityLevel level) {
    setCompatibility(null, level);
  }

  /** All subjects (GET /subjects). */
  List<String> subjects();

  /** Releases resources (HTTP connections); never throws. */
  @Override
  void close();
}
