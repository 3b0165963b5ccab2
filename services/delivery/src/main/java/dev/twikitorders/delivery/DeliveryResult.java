package dev.twikitorders.delivery;

import java.time.Duration;
import java.util.Optional;

/**
 * How the endpoint answered one {@link DeliveryRequest} (after at most one credential renewal).
 *
 * <p>Immutable; thread-safe. No variant holds a secret: {@link Rejected#excerpt()} has every
 * credential value that was sent scrubbed out.
 */
public sealed interface DeliveryResult {

  /** A 2xx: every record of the request is delivered. */
  record Delivered(int status) implements DeliveryResult {}

  /**
   * Worth trying again: an I/O error, no answer in time, 408, 429, 5xx, an unexpected 1xx/3xx (a
   * redirect is never followed), or credentials that could not be obtained for a transient reason.
   *
   * @param status the HTTP status, 0 when there was no answer
   * @param reason a short description for logs (no secret)
   * @param retryAfter the server's {@code Retry-After}, if any
   */
  record Retryable(int status, String reason, Optional<Duration> retryAfter)
      implements DeliveryResult {}

  /**
   * 401 after one renewal, 403, or credentials that only an operator can fix: retried with backoff,
   * never treated as the records' fault.
   *
   * @param status 401 or 403, 0 when the authenticator failed before any request
   * @param reason a short description for logs (no secret)
   */
  record CredentialsProblem(int status, String reason, Optional<Duration> retryAfter)
      implements DeliveryResult {}

  /**
   * Any other 4xx: the endpoint refuses the request's content; sending it again does not help.
   *
   * @param status the HTTP status
   * @param excerpt the first 1 KB (1024 characters) of the response body, credential values
   *     replaced by {@code ***}
   */
  record Rejected(int status, String excerpt) implements DeliveryResult {}
}
