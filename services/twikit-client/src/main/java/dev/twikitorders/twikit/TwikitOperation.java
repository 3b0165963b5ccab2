package dev.twikitorders.twikit;

import java.util.Locale;

/**
 * The operations of the Twikit REST API this client performs, plus {@link #TOKEN} for the OAuth 2.0
 * token request. {@link #tagValue()} is the value of the {@code operation} metric tag.
 *
 * <p>Thread-safety: an enum, immutable.
 */
public enum TwikitOperation {
  STATUS,
  CONFIGURATION,
  COMPATIBILITY,
  SUMMARY,
  PARAMETERS,
  FILTERED,
  UPDATE,
  UPDATE_MANY,
  /** The client credentials token request (RFC 6749 section 4.4). */
  TOKEN;

  /** Lower-case name used in metric tags and log lines, e.g. {@code update_many}. */
  public String tagValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
