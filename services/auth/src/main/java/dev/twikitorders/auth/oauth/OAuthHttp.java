package dev.twikitorders.auth.oauth;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import dev.twikitorders.auth.AuthException.Kind;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.http.AuthHttp;
import dev.twikitorders.auth.http.Redirects;
import dev.twikitorders.auth.http.RetryAfter;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Sends the auth layer's requests through an {@link AuthHttp} and classifies what comes back, the
 * same way for token, metadata and registration endpoints:
 *
 * <ul>
 *   <li>408 and 5xx: {@link Kind#UNAVAILABLE}; 429: {@link Kind#RATE_LIMITED} (both with the
 *       server's {@code Retry-After}); I/O errors {@link Kind#UNAVAILABLE}; no answer in time
 *       {@link Kind#TIMEOUT};
 *   <li>a redirect (never followed; the detail names the status and the Location's host only) or a
 *       body over the size limit: {@link Kind#INVALID_RESPONSE};
 *   <li>anything else (2xx, other 4xx) is handed to the caller to parse.
 * </ul>
 *
 * Token responses are parsed with Nimbus: a 4xx is {@link Kind#CREDENTIALS_REJECTED} with its OAuth
 * error code (RFC 6749 section 5.2), a 2xx that is no token response {@link Kind#INVALID_RESPONSE}.
 * Error descriptions from the server are kept only when they contain none of the secrets of the
 * request, and at most 200 characters of them.
 *
 * <p>Thread-safety: stateless, thread-safe.
 */
final class OAuthHttp {

  /** Outcome names reported to {@link dev.twikitorders.auth.AuthEvents}. */
  static final String SUCCESS = "success";

  static final String REJECTED = "rejected";
  static final String SERVER_ERROR = "server_error";
  static final String RATE_LIMITED = "rate_limited";
  static final String TIMEOUT = "timeout";
  static final String IO_ERROR = "io_error";
  static final String INVALID_RESPONSE = "invalid_response";

  private OAuthHttp() {}

  /** A parsed successful token response. */
  record Issued(
      Secret accessToken,
      Secret refreshToken,
      Instant obtainedAt,
      Instant expiresAt,
      String scope) {}

  /**
   * Sends {@code request}; completes with a 2xx or 4xx (other than 408 and 429) response, or fails
   * with a {@link StepException}. Failure outcomes are reported to {@code outcome}; the caller
   * reports the outcome of a response it parses.
   *
   * @param endpoint how to name the endpoint in messages, e.g. {@code token endpoint}
   */
  static CompletableFuture<HTTPResponse> send(
      AuthHttp http, HTTPRequest request, String endpoint, Clock clock, Consumer<String> outcome) {
    CompletableFuture<HTTPResponse> sent;
    try {
      sent = http.send(request);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.handle(
        (response, error) -> {
          if (error != null) {
            throw ioFailure(error, endpoint, outcome);
          }
          int status = response.getStatusCode();
          if (status == 408 || status == 429 || status >= 500) {
            outcome.accept(status == 429 ? RATE_LIMITED : SERVER_ERROR);
            String ra = response.getHeaderValue("Retry-After");
            Duration retryAfter = ra == null ? null : RetryAfter.parse(ra, clock).orElse(null);
            throw new StepException(
                status == 429 ? Kind.RATE_LIMITED : Kind.UNAVAILABLE,
                status,
                "http_" + status,
                retryAfter,
                "HTTP " + status,
                endpoint + " answered HTTP " + status,
                null);
          }
          if (status >= 300 && status < 400) {
            outcome.accept(INVALID_RESPONSE);
            String detail = Redirects.describe(status, response.getHeaderValue("Location"));
            throw new StepException(
                Kind.INVALID_RESPONSE, status, null, null, detail, detail, null);
          }
          return response;
        });
  }

  private static StepException ioFailure(
      Throwable error, String endpoint, Consumer<String> outcome) {
    Throwable e = StepException.unwrap(error);
    if (e instanceof StepException s) {
      return s;
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof AuthHttp.ResponseTooLargeException tooLarge) {
        outcome.accept(INVALID_RESPONSE);
        return new StepException(
            Kind.INVALID_RESPONSE,
            tooLarge.status(),
            null,
            null,
            tooLarge.getMessage(),
            endpoint + " answered with a body over the size limit: " + tooLarge.getMessage(),
            null);
      }
      if (c.getCause() == c) {
        break;
      }
    }
    boolean timeout = isTimeout(e);
    outcome.accept(timeout ? TIMEOUT : IO_ERROR);
    String name = e.getClass().getSimpleName();
    return new StepException(
        timeout ? Kind.TIMEOUT : Kind.UNAVAILABLE,
        0,
        timeout ? "timeout" : "io_error",
        null,
        (timeout ? "no answer in time: " : "I/O error: ") + name,
        (timeout ? "no answer from the " : "I/O error talking to the ") + endpoint + ": " + name,
        e);
  }

  private static boolean isTimeout(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof SocketTimeoutException
          || c instanceof TimeoutException
          || c instanceof java.net.http.HttpTimeoutException) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }

  /**
   * Sends a token request and parses the answer.
   *
   * @param refused how a 4xx reads in the detail, e.g. {@code the token endpoint rejected the
   *     client credentials}
   * @param secrets values no error description may contain (it is dropped when it does)
   * @param outcome receives the outcome of this one request
   */
  static CompletableFuture<Issued> token(
      AuthHttp http,
      TokenRequest request,
      Clock clock,
      String refused,
      List<Secret> secrets,
      Consumer<String> outcome) {
    HTTPRequest httpRequest = request.toHTTPRequest();
    httpRequest.setAccept("application/json");
    Instant sentAt = clock.instant();
    return send(http, httpRequest, "token endpoint", clock, outcome)
        .thenApply(response -> parseToken(response, sentAt, refused, secrets, outcome));
  }

  private static Issued parseToken(
      HTTPResponse response,
      Instant sentAt,
      String refused,
      List<Secret> secrets,
      Consumer<String> outcome) {
    int status = response.getStatusCode();
    TokenResponse parsed;
    try {
      parsed = TokenResponse.parse(response);
    } catch (ParseException e) {
      if (status / 100 == 2) {
        outcome.accept(INVALID_RESPONSE);
        throw new StepException(
            Kind.INVALID_RESPONSE,
            status,
            null,
            null,
            "HTTP " + status + " without a valid token response",
            "token endpoint answered " + status + " without a valid token response",
            null);
      }
      outcome.accept(REJECTED);
      throw rejected(status, "http_" + status, null, refused, secrets);
    }
    if (!parsed.indicatesSuccess()) {
      outcome.accept(REJECTED);
      ErrorObject err = ((TokenErrorResponse) parsed).getErrorObject();
      String code = err == null || err.getCode() == null ? "http_" + status : err.getCode();
      throw rejected(status, code, err == null ? null : err.getDescription(), refused, secrets);
    }
    AccessTokenResponse ok = parsed.toSuccessResponse();
    AccessToken at = ok.getTokens().getAccessToken();
    RefreshToken rt = ok.getTokens().getRefreshToken();
    Duration lifetime = RenewalTiming.lifetime(at.getLifetime());
    outcome.accept(SUCCESS);
    return new Issued(
        Secret.of(at.getValue()),
        rt == null ? null : Secret.of(rt.getValue()),
        sentAt,
        sentAt.plus(lifetime),
        at.getScope() == null ? null : at.getScope().toString());
  }

  /** A 4xx refusal: {@link Kind#CREDENTIALS_REJECTED} with the OAuth error code. */
  static StepException rejected(
      int status, String code, String description, String refused, List<Secret> secrets) {
    String detail = refused;
    String safe = safeDescription(description, secrets);
    if (safe != null) {
      detail += " (" + safe + ")";
    }
    return new StepException(
        Kind.CREDENTIALS_REJECTED,
        status,
        code,
        null,
        "HTTP " + status + ", error " + code,
        detail,
        null);
  }

  /**
   * A server's error description fit for messages: null when blank or when it contains one of
   * {@code secrets}; control characters replaced; at most 200 characters.
   */
  static String safeDescription(String description, List<Secret> secrets) {
    if (description == null || description.isBlank()) {
      return null;
    }
    for (Secret s : secrets) {
      if (s != null && s.isContainedIn(description)) {
        return null;
      }
    }
    String clean = description.strip().replaceAll("\\p{Cntrl}", " ");
    return clean.length() > 200 ? clean.substring(0, 200) + "..." : clean;
  }
}
