package dev.twikitorders.twikit.model;

/**
 * A typed parameter of a configuration.
 *
 * <p>Thread-safety: immutable and thread-safe.
 *
 * @param name machine name
 * @param value any JSON value
 * @param type the declared type, e.g. {@code string}
 */
public record Parameter(String name, Object value, String type) {
  public Parameter {
    value = Immutables.freeze(value);
  }
}
