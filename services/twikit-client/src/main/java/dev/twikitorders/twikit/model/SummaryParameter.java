package dev.twikitorders.twikit.model;

/**
 * One parameter of a configuration summary.
 *
 * <p>Thread-safety: immutable and thread-safe (the value is a JSON scalar or an unmodifiable
 * collection).
 *
 * @param name machine name
 * @param label human label
 * @param value any JSON value
 * @param displayValue human-readable value
 */
public record SummaryParameter(String name, String label, Object value, String displayValue) {
  public SummaryParameter {
    value = Immutables.freeze(value);
  }
}
