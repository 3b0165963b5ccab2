package dev.twikitorders.registry.mock;

import dev.twikitorders.registry.CompatibilityLevel;
import dev.twikitorders.registry.RegisteredSchema;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.SchemaRegistryException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * An in-memory schema registry with the semantics of Confluent's: global ids shared across subjects
 * (an equal schema gets the same id everywhere), versions per subject, re-registering an equal
 * schema returns the existing id, and real compatibility checks with Avro's {@link
 * SchemaCompatibility} (default level BACKWARD, as in Confluent).
 *
 * <p>Registries are kept per <em>scope</em> in a JVM-wide map so that every serde configured with
 * the same {@code mock://<scope>} URL sees the same registry (as TopologyTestDriver tests need).
 * {@link #drop(String)} forgets a scope; {@link #close()} does not.
 *
 * <p>Thread-safety: thread-safe (one lock per scope).
 */
public final class MockSchemaRegistryClient implements SchemaRegistryClient {
  private static final Map<String, MockSchemaRegistryClient> SCOPES = new ConcurrentHashMap<>();

  private final String scope;
  private final Map<Integer, Schema> schemasById = new HashMap<>();
  private final Map<Schema, Integer> idsBySchema = new HashMap<>();
  private final Map<String, List<RegisteredSchema>> subjects = new LinkedHashMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
  private int nextId = 1;

  private MockSchemaRegistryClient(String scope) {
    this.scope = scope;
  }

  /** The registry of {@code scope}, created on first use. */
  public static MockSchemaRegistryClient forScope(String scope) {
    Objects.requireNonNull(scope, "scope");
    return SCOPES.computeIfAbsent(scope, MockSchemaRegistryClient::new);
  }

  /** A registry that belongs to no scope (not reachable through a URL). */
  public static MockSchemaRegistryClient unscoped() {
    return new MockSchemaRegistryClient(null);
  }

  /**
   * Forgets the registry of {@code scope}; clients already holding it keep working on the old
   * contents.
   */
  public static void drop(String scope) {
    SCOPES.remove(scope);
  }

  /** The scope name, or {@code null} for an unscoped registry. */
  public String scope() {
    return scope;
  }

  @Override
  public synchronized int register(String subject, Schema schema) {
    requireSubject(subject);
    Objects.requireNonNull(schema, "schema");
    List<RegisteredSchema> versions = subjects.getOrDefault(subject, List.of());
    for (RegisteredSchema v : versions) {
      if (v.schema().equals(schema)) {
        return v.id();
      }
    }
    String problem = incompatibility(subject, schema, versions);
    if (problem != null) {
      throw new SchemaRegistryException(
          "Schema being registered is incompatible with an earlier schema for subject \""
              + subject
              + "\": "
              + problem,
          409,
          SchemaRegistryException.INCOMPATIBLE_SCHEMA);
    }
    int id =
        idsBySchema.computeIfAbsent(
            schema,
            s -> {
              int fresh = nextId++;
              schemasById.put(fresh, s);
              return fresh;
            });
    int version = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version() + 1;
    subjects
        .computeIfAbsent(subject, s -> new ArrayList<>())
        .add(new RegisteredSchema(subject, id, version, schema));
    return id;
  }

  @Override
  public synchronized Schema getById(int id) {
    Schema schema = schemasById.get(id);
    if (schema == null) {
      throw new SchemaRegistryException(
          "Schema " + id + " not found", 404, SchemaRegistryException.SCHEMA_NOT_FOUND);
    }
    return schema;
  }

  @Override
  public synchronized int getId(String subject, Schema schema) {
    for (RegisteredSchema v : existing(subject)) {
      if (v.schema().equals(schema)) {
        return v.id();
      }
    }
    throw new SchemaRegistryException(
        "Schema not found", 404, SchemaRegistryException.SCHEMA_NOT_FOUND);
  }

  /**
   * The version of {@code schema} under {@code subject}, as POST /subjects/{subject} reports it.
   */
  public synchronized RegisteredSchema lookup(String subject, Schema schema) {
    for (RegisteredSchema v : existing(subject)) {
      if (v.schema().equals(schema)) {
        return v;
      }
    }
    throw new SchemaRegistryException(
        "Schema not found", 404, SchemaRegistryException.SCHEMA_NOT_FOUND);
  }

  @Override
  public synchronized List<Integer> versions(String subject) {
    return existing(subject).stream().map(RegisteredSchema::version).toList();
  }

  @Override
  public synchronized RegisteredSchema latestVersion(String subject) {
    List<RegisteredSchema> versions = existing(subject);
    return versions.get(versions.size() - 1);
  }

  /** A given version of the subject; error code 40402 when there is none. */
  public synchronized RegisteredSchema version(String subject, int version) {
    for (RegisteredSchema v : existing(subject)) {
      if (v.version() == version) {
        return v;
      }
    }
    throw new SchemaRegistryException(
        "Version " + version + " not found.", 404, SchemaRegistryException.VERSION_NOT_FOUND);
  }

  @Override
  public synchronized boolean isCompatible(String subject, Schema schema) {
    requireSubject(subject);
    return incompatibility(subject, schema, subjects.getOrDefault(subject, List.of())) == null;
  }

  @Override
  public synchronized void setCompatibility(String subject, CompatibilityLevel level) {
    Objects.requireNonNull(level, "level");
    if (subject == null) {
      globalLevel = level;
    } else {
      subjectLevels.put(subject, level);
    }
  }

  /**
   * The effective level of a subject (its own, else the global one), or the global one for {@code
   * null}.
   */
  public synchronized CompatibilityLevel compatibility(String subject) {
    return subject == null ? globalLevel : subjectLevels.getOrDefault(subject, globalLevel);
  }

  @Override
  public synchronized List<String> subjects() {
    return List.copyOf(subjects.keySet());
  }

  /** Nothing to release: the scope lives until {@link #drop(String)}. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "MockSchemaRegistryClient{scope=" + scope + "}";
  }

  private List<RegisteredSchema> existing(String subject) {
    requireSubject(subject);
    List<RegisteredSchema> versions = subjects.get(subject);
    if (versions == null || versions.isEmpty()) {
      throw new SchemaRegistryException(
          "Subject '" + subject + "' not found.", 404, SchemaRegistryException.SUBJECT_NOT_FOUND);
    }
    return versions;
  }

  /**
   * Why {@code candidate} breaks the subject's compatibility level, or {@code null} when it does
   * not.
   */
  private String incompatibility(
      String subject, Schema candidate, List<RegisteredSchema> versions) {
    CompatibilityLevel level = compatibility(subject);
    if (level == CompatibilityLevel.NONE || versions.isEmpty()) {
      return null;
    }
    List<RegisteredSchema> against =
        level.transitive() ? versions : List.of(versions.get(versions.size() - 1));
    for (RegisteredSchema existing : against) {
      if (level.backward()) {
        String problem = check(candidate, existing.schema());
        if (problem != null) {
          return level + ": new schema cannot read version " + existing.version() + ": " + problem;
        }
      }
      if (level.forward()) {
        String problem = check(existing.schema(), candidate);
        if (problem != null) {
          return level
              + ": version "
              + existing.version()
              + " cannot read the new schema: "
              + problem;
        }
      }
    }
    return null;
  }

  private static String check(Schema reader, Schema writer) {
    SchemaCompatibility.SchemaPairCompatibility result =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
      return null;
    }
    return result.getResult().getIncompatibilities().stream()
        .map(i -> i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")")
        .reduce((a, b) -> a + "; " + b)
        .orElse(result.getDescription());
  }

  private static void requireSubject(String subject) {
    if (subject == null || subject.isBlank()) {
      throw new IllegalArgumentException("subject must not be blank");
    }
  }
}
