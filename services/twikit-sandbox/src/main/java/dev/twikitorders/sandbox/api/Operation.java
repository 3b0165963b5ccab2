package dev.twikitorders.sandbox.api;

import dev.twikitorders.sandbox.auth.Scopes;

/**
 * The operations of the sandboxed Twikit REST API (see {@code docs/twikit-api.md}). Counters and
 * fault filters are keyed by operation.
 *
 * <p>Immutable and thread-safe.
 */
public enum Operation {
  /** GET {@code /status}; needs no token. */
  STATUS("status", null),
  /** GET {@code /configurations/{id}}. */
  CONFIGURATION("configuration", Scopes.READ),
  /** GET {@code /configurations/{id}/compatibility}. */
  COMPATIBILITY("compatibility", Scopes.READ),
  /** GET {@code /configurations/{id}/summary}. */
  SUMMARY("summary", Scopes.READ),
  /** GET {@code /configurations/{id}/parameters}. */
  PARAMETERS("parameters", Scopes.READ),
  /** GET {@code /configurations/{id}/filtered}. */
  FILTERED("filtered", Scopes.READ),
  /** POST {@code /configurations/{id}}. */
  UPDATE_ONE("updateOne", Scopes.WRITE),
  /** POST {@code /configurations}. */
  UPDATE_MANY("updateMany", Scopes.WRITE),
  /**
   * POST {@code /sink} or {@code /sink/{name}}: the delivery sink (see {@code sink.SinkHandler}).
   * Needs any credential the API accepts, but no scope ({@link #requiredScope()} is {@code null}).
   */
  SINK("sink", null),
  /** Any other path or method of the API (answered 404 or 405). */
  UNKNOWN("unknown", null);

  private final String id;
  private final String requiredScope;

  Operation(String id, String requiredScope) {
    this.id = id;
    this.requiredScope = requiredScope;
  }

  /** The name used in the admin JSON, e.g. {@code "summary"} or {@code "updateMany"}. */
  public String id() {
    return id;
  }

  /**
   * The OAuth scope this operation needs, or {@code null} when it needs none ({@link #STATUS}: no
   * token at all; {@link #SINK}: any accepted credential).
   */
  public String requiredScope() {
    return requiredScope;
  }

  /**
   * Parses an operation by its {@link #id()} or its enum name, ignoring case (so {@code
   * "updateOne"}, {@code "UPDATE_ONE"} and {@code "update_one"} are all accepted).
   *
   * @throws IllegalArgumentException when the name matches no operation
   */
  public static Operation parse(String name) {
    for (Operation op : values()) {
      if (op.id.equalsIgnoreCase(name) || op.name().equalsIgnoreCase(name)) {
        return op;
      }
    }
    throw new IllegalArgumentException(
        "unknown operation '" + name + "', expected one of " + java.util.Arrays.toString(ids()));
  }

  private static String[] ids() {
    Operation[] ops = values();
    String[] ids = new String[ops.length];
    for (int i = 0; i < ops.length; i++) {
      ids[i] = ops[i].id;
    }
    return ids;
  }
}
