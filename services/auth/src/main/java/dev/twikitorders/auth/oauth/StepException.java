package dev.twikitorders.auth.oauth;

import dev.twikitorders.auth.AuthException;
import dev.twikitorders.auth.AuthException.Kind;
import java.time.Duration;
import java.util.Locale;

/**
 * A failed exchange with an identity provider (token, metadata or registration request), before the
 * caller adds its context: the {@link Kind}, the HTTP status, the OAuth error code, the server's
 * {@code Retry-After}, a short {@link #what} for the one WARN line of a failed step, and the detail
 * for the exception message. Never carries a secret.
 *
 * <p>Thread-safety: immutable.
 */
final class StepException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  final Kind kind;
  final int status;
  final String code;
  final Duration retryAfter;
  final String what;

  StepException(
      Kind kind,
      int status,
      String code,
      Duration retryAfter,
      String what,
      String detail,
      Throwable cause) {
    super(detail, cause, false, false);
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
    this.what = what;
  }

  /** The detail, without context. */
  String detail() {
    return getMessage();
  }

  /** The same failure as another kind and detail (e.g. invalid_grant as LOGIN_REQUIRED). */
  StepException as(Kind newKind, String newDetail) {
    return new StepException(newKind, status, code, retryAfter, what, newDetail, getCause());
  }

  /** The public exception: the detail plus {@code [context]}. */
  AuthException toAuthException(String context, Duration retryAfterOverride) {
    return new AuthException(
        kind,
        status,
        code,
        retryAfterOverride != null ? retryAfterOverride : retryAfter,
        getMessage() + " [" + context + "]",
        getCause());
  }

  /** {@code error} itself, or the step failure it stands for (an AuthException or a bug). */
  static StepException of(Throwable error) {
    Throwable t = unwrap(error);
    if (t instanceof StepException s) {
      return s;
    }
    if (t instanceof AuthException a) {
      String what =
          a.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ')
              + a.code().map(c -> ", error " + c).orElse("");
      return new StepException(
          a.kind(),
          a.status(),
          a.code().orElse(null),
          a.retryAfter().orElse(null),
          what,
          a.getMessage(),
          a.getCause());
    }
    String name = t.getClass().getSimpleName();
    return new StepException(
        Kind.INVALID_RESPONSE,
        0,
        null,
        null,
        "unexpected " + name,
        "unexpected " + name + " handling the answer",
        t);
  }

  /** Strips CompletionException and ExecutionException wrappers. */
  static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
