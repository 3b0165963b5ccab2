package dev.twikitorders.sandbox.sink;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which items a sink refuses with 400 {@code invalid_record}: those whose idempotency key is in
 * {@link #idempotencyKeys()}, and those whose record has a top-level field equal to one of {@link
 * #fields()}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param idempotencyKeys keys to refuse
 * @param fields field matches to refuse
 */
public record SinkRejectRule(Set<String> idempotencyKeys, List<FieldMatch> fields) {

  /**
   * A record matches when its top-level {@code field} exists and its value equals {@code equals}: a
   * string by its text, any other value by its compact JSON text (so {@code "7"} matches {@code 7}
   * and {@code "true"} matches {@code true}).
   *
   * @param field the top-level field name
   * @param equals the value to match
   */
  public record FieldMatch(String field, String equals) {
    /** Checks both are set. */
    public FieldMatch {
      if (field == null || field.isEmpty()) {
        throw new IllegalArgumentException("reject rule: field must be a non-empty string");
      }
      Objects.requireNonNull(equals, "equals");
    }

    boolean matches(JsonNode record) {
      JsonNode v = record.get(field);
      if (v == null) {
        return false;
      }
      return (v.isTextual() ? v.asText() : v.toString()).equals(equals);
    }
  }

  /** No rule: nothing is refused. */
  public static final SinkRejectRule NONE = new SinkRejectRule(Set.of(), List.of());

  /** Copies. */
  public SinkRejectRule {
    idempotencyKeys = Set.copyOf(idempotencyKeys);
    fields = List.copyOf(fields);
  }

  /** Whether an item is refused. */
  public boolean rejects(String idempotencyKey, JsonNode record) {
    if (idempotencyKeys.contains(idempotencyKey)) {
      return true;
    }
    for (FieldMatch f : fields) {
      if (f.matches(record)) {
        return true;
      }
    }
    return false;
  }

  /** Whether nothing is refused. */
  public boolean isEmpty() {
    return idempotencyKeys.isEmpty() && fields.isEmpty();
  }
}
