package dev.twikitorders.registry.history;

import dev.twikitorders.registry.CompatibilityLevel;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The published versions of each schema, loaded from {@code <root>/<RecordName>/v<N>.avsc} (N = 1,
 * 2, ... without gaps), and a check that they evolved under BACKWARD compatibility against any
 * {@link SchemaRegistryClient}: every version registers in order, and the current schema is
 * compatible with the latest.
 *
 * <p>Against a real registry use a fresh subject per run (e.g. with a random prefix): registering
 * old versions into a subject that already holds newer ones fails by design.
 *
 * <p>Thread-safety: immutable once loaded.
 */
public final class SchemaHistory {
  private static final Pattern VERSION_FILE = Pattern.compile("v(\\d+)\\.avsc");

  private final SortedMap<String, List<Schema>> versions;

  private SchemaHistory(SortedMap<String, List<Schema>> versions) {
    this.versions = versions;
  }

  /**
   * Loads every {@code <RecordName>/v<N>.avsc} under {@code root}.
   *
   * @throws IllegalStateException when a folder has no versions, a gap in its numbering or an
   *     unparsable file
   * @throws UncheckedIOException when the folder cannot be read
   */
  public static SchemaHistory load(Path root) {
    SortedMap<String, List<Schema>> all = new TreeMap<>();
    try (Stream<Path> records = Files.list(root)) {
      for (Path dir : records.filter(Files::isDirectory).sorted().toList()) {
        all.put(dir.getFileName().toString(), loadVersions(dir));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema history at " + root, e);
    }
    if (all.isEmpty()) {
      throw new IllegalStateException("no schema history under " + root);
    }
    return new SchemaHistory(Collections.unmodifiableSortedMap(all));
  }

  private static List<Schema> loadVersions(Path dir) throws IOException {
    SortedMap<Integer, Path> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path file : list.toList()) {
        Matcher m = VERSION_FILE.matcher(file.getFileName().toString());
        if (m.matches()) {
          files.put(Integer.parseInt(m.group(1)), file);
        }
      }
    }
    if (files.isEmpty()) {
      throw new IllegalStateException("no v<N>.avsc files in " + dir);
    }
    List<Schema> schemas = new ArrayList<>();
    int expected = 1;
    for (Map.Entry<Integer, Path> e : files.entrySet()) {
      if (e.getKey() != expected) {
        throw new IllegalStateException(
            "schema history " + dir + " skips from v" + (expected - 1) + " to v" + e.getKey());
      }
      try {
        schemas.add(new Schema.Parser().parse(Files.readString(e.getValue())));
      } catch (SchemaParseException ex) {
        throw new IllegalStateException(
            "cannot parse " + e.getValue() + ": " + ex.getMessage(), ex);
      }
      expected++;
    }
    return List.copyOf(schemas);
  }

  /** The record folders found, sorted. */
  public SortedSet<String> recordNames() {
    return Collections.unmodifiableSortedSet(new java.util.TreeSet<>(versions.keySet()));
  }

  /** The versions of a record, v1 first. */
  public List<Schema> versions(String recordName) {
    List<Schema> list = versions.get(recordName);
    if (list == null) {
      throw new IllegalArgumentException(
          "no schema history for " + recordName + "; known: " + versions.keySet());
    }
    return list;
  }

  /** The highest version of a record. */
  public Schema latest(String recordName) {
    List<Schema> list = versions(recordName);
    return list.get(list.size() - 1);
  }

  /**
   * Sets {@code subject} to BACKWARD, registers v1..vN of {@code recordName} in order, then asks
   * whether {@code current} is compatible with the latest. Stops at the first rejected version.
   */
  public Verification verify(
      SchemaRegistryClient client, String recordName, String subject, Schema current) {
    List<String> problems = new ArrayList<>();
    List<Integer> ids = new ArrayList<>();
    List<Schema> history = versions(recordName);
    client.setCompatibility(subject, CompatibilityLevel.BACKWARD);
    for (int i = 0; i < history.size(); i++) {
      try {
        ids.add(client.register(subject, history.get(i)));
      } catch (SchemaRegistryException e) {
        problems.add(recordName + " v" + (i + 1) + " rejected under BACKWARD: " + e.getMessage());
        return new Verification(recordName, subject, ids, false, problems);
      }
    }
    boolean compatible = client.isCompatible(subject, current);
    if (!compatible) {
      problems.add("current " + recordName + " is not BACKWARD compatible with v" + history.size());
    }
    return new Verification(recordName, subject, ids, compatible, problems);
  }

  /**
   * The outcome of {@link #verify}.
   *
   * @param registeredIds ids the registry gave v1, v2, ... (shorter than the history when a version
   *     was rejected)
   * @param currentCompatible whether the current schema may follow the latest version
   * @param problems empty when everything passed
   */
  public record Verification(
      String recordName,
      String subject,
      List<Integer> registeredIds,
      boolean currentCompatible,
      List<String> problems) {
    public Verification {
      registeredIds = List.copyOf(registeredIds);
      problems = List.copyOf(problems);
    }

    public boolean ok() {
      return problems.isEmpty();
    }
  }
}
