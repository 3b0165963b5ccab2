package dev.twikitorders.enricher.replay;

/**
 * A flag or value of a replay or re-drive the operator must fix (exit code 2): the message names
 * the flag and the offending value, never a payload.
 */
public final class ReplayUsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ReplayUsageException(String message) {
    super(message);
  }
}
