package dev.twikitorders.enricher.app;

/**
 * Kafka, the schema registry or Twikit stayed unreachable for the whole start-up timeout ({@code
 * startup.timeout.ms}). Unlike a {@code ConfigException} the configuration may be right: the
 * dependency is down. The message names the dependency and the settings to check; it never holds a
 * secret.
 *
 * <p>Immutable and thread-safe.
 */
public final class DependencyUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DependencyUnavailableException(String message) {
    super(message);
  }
}
