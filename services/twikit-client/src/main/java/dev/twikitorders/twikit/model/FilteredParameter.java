package dev.twikitorders.twikit.model;

/**
 * A parameter of the filtered configuration (for fulfillment).
 *
 * <p>Thread-safety: immutable and thread-safe.
 *
 * @param name machine name
 * @param value any JSON value
 */
public record FilteredParameter(String name, Object value) {
  public FilteredParameter {
    value = Immutables.freeze(value);
  }
}
