package dev.twikitorders.auth;

import java.time.Duration;
import java.util.Optional;

/**
 * Why no credentials could be had. The message names the scheme, the client id and the endpoint,
 * and the OAuth error code, never a secret or a token.
 *
 * <p>Thread-safety: immutable.
 */
public final class AuthException extends RuntimeException {

  /** What went wrong, and so what helps. */
  public enum Kind {
    /**
     * The identity provider refused the client (4xx: {@code invalid_client}, {@code invalid_scope},
     * ...), or the API refused credentials that cannot be renewed (API key, static headers).
     * Waiting does not help; an operator must fix the credentials.
     */
    CREDENTIALS_REJECTED,
    /**
     * The stored refresh token was refused ({@code invalid_grant}: used already, rotated away,
     * revoked or expired), or there is none: an operator must log in again ({@code auth login}).
     */
    LOGIN_REQUIRED,
    /** The identity provider answered 429. */
    RATE_LIMITED,
    /** The identity provider is unreachable or answered 408 or 5xx. */
    UNAVAILABLE,
    /** No answer in time. */
    TIMEOUT,
    /**
     * An answer that is no valid token, discovery or registration response: not JSON, missing a
     * required field, a redirect, too large.
     */
    INVALID_RESPONSE,
    /** The refresh token store cannot be read or written. */
    STORE_FAILED,
    /** The authenticator was closed. */
    CLOSED;

    /** Whether only an operator can fix it (waiting does not help). */
    public boolean needsOperator() {
      return this == CREDENTIALS_REJECTED || this == LOGIN_REQUIRED || this == STORE_FAILED;
    }
  }

  private final Kind kind;
  private final int status;
  private final String code;
  private final Duration retryAfter;

  /**
   * @param status the HTTP status of the identity provider's answer, 0 when there was none
   * @param code the OAuth error code ({@code invalid_client}, ...) or null
   * @param retryAfter how long callers will be failed fast, or null
   */
  public AuthException(
      Kind kind, int status, String code, Duration retryAfter, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status, 0 when there was no answer. */
  public int status() {
    return status;
  }

  /** The OAuth error code, if any. */
  public Optional<String> code() {
    return Optional.ofNullable(code);
  }

  /** How long until the next attempt is made, if known. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** The first {@link AuthException} in {@code t}'s cause chain, or null. */
  public static AuthException find(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof AuthException a) {
        return a;
      }
    }
    return null;
  }
}
