package dev.twikitorders.deadletters;

/**
 * A flag or value of a dead-letter job the operator must fix (exit code 2 by convention): the
 * message names the flag and the offending value, never a payload.
 */
public class DeadLetterUsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DeadLetterUsageException(String message) {
    super(message);
  }
}
