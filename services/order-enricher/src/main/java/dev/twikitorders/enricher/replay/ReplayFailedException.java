package dev.twikitorders.enricher.replay;

/**
 * A replay or re-drive stopped by broken infrastructure (exit code 1). The message says what was
 * committed before it stopped, so that the operator can resume from there.
 */
public final class ReplayFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ReplayFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
