package dev.twikitorders.registry;

/**
 * Compatibility levels of the Confluent Schema Registry (the value of {@code compatibility} in PUT
 * /config).
 */
public enum CompatibilityLevel {
  NONE,
  BACKWARD,
  BACKWARD_TRANSITIVE,
  FORWARD,
  FORWARD_TRANSITIVE,
  FULL,
  FULL_TRANSITIVE;

  /** Whether new schemas must be able to read data written with older ones. */
  public boolean backward() {
    return this == BACKWARD
        || this == BACKWARD_TRANSITIVE
        || this == FULL
        || this == FULL_TRANSITIVE;
  }

  /** Whether older schemas must be able to read data written with new ones. */
  public boolean forward() {
    return this == FORWARD || this == FORWARD_TRANSITIVE || this == FULL || this == FULL_TRANSITIVE;
  }

  /** Whether the check applies to every earlier version, not only the latest. */
  public boolean transitive() {
    return name().endsWith("_TRANSITIVE");
  }
}
