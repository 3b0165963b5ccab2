package dev.twikitorders.registry;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A failed registry call: the registry's answer ({@code error_code}, {@code message}, HTTP status)
 * or an I/O failure.
 *
 * <p>The message names the request (method and URL without user info or query) and never holds
 * credentials. {@link #isRetriable()} separates broken infrastructure (I/O, 5xx, 429: retry or fail
 * loudly) from answers about the data (unknown id, incompatible schema: will never change by
 * retrying).
 *
 * <p>Callers that receive another exception (a Kafka {@code SerializationException} from a serde, a
 * {@code StreamsException} from Kafka Streams) find the registry failure in its cause chain with
 * {@link #find(Throwable)}.
 *
 * <p>Thread-safety: immutable, hence thread-safe.
 */
public class SchemaRegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Confluent error code: subject not found. */
  public static final int SUBJECT_NOT_FOUND = 40401;

  /** Confluent error code: version not found. */
  public static final int VERSION_NOT_FOUND = 40402;

  /**
   * Confluent error code: schema not found (unknown id, or schema not registered under the
   * subject).
   */
  public static final int SCHEMA_NOT_FOUND = 40403;

  /**
   * Confluent error code: the schema is incompatible with the subject's earlier versions (HTTP
   * 409).
   */
  public static final int INCOMPATIBLE_SCHEMA = 409;

  /** Confluent error code: invalid schema. */
  public static final int INVALID_SCHEMA = 42201;

  /** Confluent error code: invalid compatibility level. */
  public static final int INVALID_COMPATIBILITY_LEVEL = 42203;

  /** Used here when no HTTP answer arrived (I/O error, timeout). */
  public static final int NO_RESPONSE = -1;

  /**
   * Used here as the error code when the response body was larger than {@link
   * RegistryConfig#MAX_RESPONSE_BYTES}; the HTTP status is the one received. Never retriable.
   */
  public static final int RESPONSE_TOO_LARGE = -2;

  private final int httpStatus;
  private final int errorCode;

  public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  public SchemaRegistryException(String message, int httpStatus, int errorCode) {
    this(message, httpStatus, errorCode, null);
  }

  /** The HTTP status, or {@link #NO_RESPONSE}. */
  public int httpStatus() {
    return httpStatus;
  }

  /**
   * The registry's {@code error_code} (e.g. 40403), the HTTP status when the body had none, or
   * {@link #NO_RESPONSE}.
   */
  public int errorCode() {
    return errorCode;
  }

  /**
   * Subject, version or schema not found, as the registry says with its error code. A bare 404
   * without a registry error code (wrong base URL, proxy) is not "not found": it is a
   * misconfiguration.
   */
  public boolean isNotFound() {
    return errorCode == SUBJECT_NOT_FOUND
        || errorCode == VERSION_NOT_FOUND
        || errorCode == SCHEMA_NOT_FOUND;
  }

  /**
   * I/O failure, 5xx or 429: the same call may succeed later. A response that was too large is not
   * retriable, whatever its status.
   */
  public boolean isRetriable() {
    if (errorCode == RESPONSE_TOO_LARGE) {
      return false;
    }
    return httpStatus == NO_RESPONSE || httpStatus >= 500 || httpStatus == 429;
  }

  /**
   * The first (outermost) {@code SchemaRegistryException} in the cause chain of {@code thrown},
   * {@code thrown} itself included. Tells "the registry refused or failed" (present: systemic, the
   * same call fails for every record) from "this record cannot be encoded or decoded" (absent).
   * Suppressed exceptions are not searched; a cyclic cause chain ends the search.
   *
   * @param thrown any throwable, or null (gives empty)
   */
  public static Optional<SchemaRegistryException> find(Throwable thrown) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = thrown; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
      if (t instanceof SchemaRegistryException e) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }
}
