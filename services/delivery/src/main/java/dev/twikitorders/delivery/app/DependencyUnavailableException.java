package dev.twikitorders.delivery.app;

/**
 * Kafka or the endpoint's identity provider did not answer the start-up checks in time: the
 * deployment, not the configuration, is at fault (exit code 3).
 */
public final class DependencyUnavailableException extends RuntimeException {
  public DependencyUnavailableException(String message) {
    super(message);
  }
}
