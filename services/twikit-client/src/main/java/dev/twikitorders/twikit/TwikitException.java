package dev.twikitorders.twikit;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one failure type of the Twikit client: a {@link Kind} to route on, plus the operation, the
 * configuration id (when the call had one), the HTTP status (0 when there was no response), the
 * number of HTTP attempts made, an optional {@code retryAfter} hint and an optional error code (the
 * API's {@code error} field, the OAuth 2.0 {@code error} code of RFC 6749 section 5.2, or the
 * {@code error} of a {@code WWW-Authenticate: Bearer} challenge, RFC 6750 section 3).
 *
 * <p>Futures returned by {@link TwikitApi} complete exceptionally with this exception itself.
 * Dependent stages and {@code join()} wrap it in {@link CompletionException}, {@code get()} in
 * {@link ExecutionException}: {@link #unwrap(Throwable)} finds it in either.
 *
 * <p>Messages never contain the client secret or an access token.
 *
 * <p>Thread-safety: immutable and thread-safe.
 */
public final class TwikitException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * What went wrong, coarse enough to route on. The kinds fall into three groups:
   *
   * <ul>
   *   <li><b>About one configuration or call</b> ({@link #NOT_FOUND}, {@link #BAD_REQUEST}): this
   *       id or this request is wrong; other calls are unaffected. Not transient, not systemic.
   *   <li><b>About the whole system</b> ({@link #UNAUTHORIZED} after the token renewal, {@link
   *       #FORBIDDEN}, {@link #INVALID_RESPONSE}, {@link #CREDENTIALS_REJECTED}): credentials,
   *       scopes, the endpoint URL or something between client and API (a proxy, a captive portal)
   *       is wrong, so every other call fails the same way until an operator fixes it. {@link
   *       #isSystemic()} is true. Not transient: the same call will not succeed on its own, but
   *       neither is the data at fault.
   *   <li><b>Transient</b> ({@link #RATE_LIMITED}, {@link #UNAVAILABLE}, {@link #TIMEOUT}): retry
   *       later, after {@link TwikitException#retryAfter()} when given. {@link #isTransient()} is
   *       true.
   * </ul>
   */
  public enum Kind {
    /** 404: the configuration does not exist. About this call; not transient. */
    NOT_FOUND(false, false),
    /**
     * 401 even after one token renewal and one retry. Systemic (credentials or scopes); not
     * transient.
     */
    UNAUTHORIZED(false, true),
    /** 403 (for example {@code insufficient_scope}). Systemic; not transient. */
    FORBIDDEN(false, true),
    /** 429 after all attempts. Transient: retry after {@link #retryAfter()}. */
    RATE_LIMITED(true, false),
    /**
     * The API or the token endpoint is unavailable: I/O errors or 408/5xx after all attempts, or
     * the circuit breaker is open (then {@link #retryAfter()} says when it lets a probe through),
     * the token endpoint failed recently ({@link #retryAfter()} says when the next token request
     * may go out), or the client is closed. Transient.
     */
    UNAVAILABLE(true, false),
    /** No response within the response timeout after all attempts. Transient. */
    TIMEOUT(true, false),
    /**
     * The answer is not one the API gives: a 2xx whose body is not the expected JSON (or does not
     * account for every id of a batch), a body larger than {@link
     * TwikitClientConfig#maxResponseBytes()}, a redirect (3xx, e.g. a captive proxy; redirects are
     * never followed) or another unexpected status. Also from the token endpoint. Systemic; not
     * transient.
     */
    INVALID_RESPONSE(false, true),
    /**
     * 400 or another 4xx not listed above: the request is wrong. About this call; not transient.
     */
    BAD_REQUEST(false, false),
    /**
     * The credentials cannot be used: the token endpoint refused the client (4xx, e.g. {@code
     * invalid_client}, {@code invalid_scope}; RFC 6749 section 5.2), the API refused an API key or
     * static headers (401; nothing to renew), the stored refresh token is missing or was refused
     * (run {@code auth login} again; the message names the store) or the store cannot be used.
     * Systemic; not transient: an operator must fix the configuration.
     */
    CREDENTIALS_REJECTED(false, true);

    private final boolean transientKind;
    private final boolean systemic;

    Kind(boolean transientKind, boolean systemic) {
      this.transientKind = transientKind;
      this.systemic = systemic;
    }

    /** Whether a later retry of the same call may succeed. */
    public boolean isTransient() {
      return transientKind;
    }

    /**
     * Whether the failure is about the whole system (credentials, scopes, endpoint, something
     * between client and API) rather than about one configuration or call: true for {@link
     * #UNAUTHORIZED}, {@link #FORBIDDEN}, {@link #INVALID_RESPONSE} and {@link
     * #CREDENTIALS_REJECTED}. Other calls will most likely fail the same way.
     */
    public boolean isSystemic() {
      return systemic;
    }
  }

  private final Kind kind;
  private final TwikitOperation operation;
  private final String configurationId;
  private final int httpStatus;
  private final int attempts;
  private final Duration retryAfter;
  private final String errorCode;

  /**
   * Creates an exception; the message is built from the fields plus {@code detail}.
   *
   * @param kind the kind
   * @param operation the operation
   * @param configurationId the configuration id, or null
   * @param httpStatus the last HTTP status, or 0 when none
   * @param attempts HTTP attempts made
   * @param retryAfter a hint when to try again, or null
   * @param errorCode an error code from the server, or null
   * @param detail free text for the message; must not contain secrets
   * @param cause the cause, or null
   */
  public TwikitException(
      Kind kind,
      TwikitOperation operation,
      String configurationId,
      int httpStatus,
      int attempts,
      Duration retryAfter,
      String errorCode,
      String detail,
      Throwable cause) {
    super(
        message(kind, operation, configurationId, httpStatus, attempts, errorCode, detail), cause);
    this.kind = kind;
    this.operation = operation;
    this.configurationId = configurationId;
    this.httpStatus = httpStatus;
    this.attempts = attempts;
    this.retryAfter = retryAfter;
    this.errorCode = errorCode;
  }

  private static String message(
      Kind kind,
      TwikitOperation op,
      String id,
      int status,
      int attempts,
      String code,
      String detail) {
    StringBuilder sb = new StringBuilder().append(kind).append(": ").append(op.tagValue());
    if (id != null) {
      sb.append(" of configuration ").append(id);
    }
    sb.append(" failed");
    if (status > 0) {
      sb.append(", HTTP ").append(status);
    }
    if (code != null) {
      sb.append(", error ").append(code);
    }
    sb.append(", attempts ").append(attempts);
    if (detail != null && !detail.isBlank()) {
      sb.append(": ").append(detail);
    }
    return sb.toString();
  }

  /**
   * Finds a {@code TwikitException} in {@code t} or its causes (through {@link CompletionException}
   * and {@link ExecutionException} wrapping).
   */
  public static Optional<TwikitException> unwrap(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof TwikitException te) {
        return Optional.of(te);
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return Optional.empty();
  }

  /**
   * The same failure re-attributed to another call (used when a token failure fails an API call).
   */
  public TwikitException forCall(TwikitOperation op, String id, int attemptsMade, String detail) {
    return new TwikitException(
        kind, op, id, httpStatus, attemptsMade, retryAfter, errorCode, detail, this);
  }

  public Kind kind() {
    return kind;
  }

  public TwikitOperation operation() {
    return operation;
  }

  /** The configuration id of the call, or null. */
  public String configurationId() {
    return configurationId;
  }

  /** The last HTTP status seen, or 0 when no response arrived. */
  public int httpStatus() {
    return httpStatus;
  }

  /** HTTP attempts made for this call (0 when it failed before sending, e.g. breaker open). */
  public int attempts() {
    return attempts;
  }

  /** When to try again (Retry-After or breaker open time), if known. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** The server's error code, if any. */
  public Optional<String> errorCode() {
    return Optional.ofNullable(errorCode);
  }

  /** Shorthand for {@code kind().isTransient()}. */
  public boolean isTransient() {
    return kind.isTransient();
  }
}
