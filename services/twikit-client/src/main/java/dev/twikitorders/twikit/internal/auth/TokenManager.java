package dev.twikitorders.twikit.internal.auth;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import dev.twikitorders.twikit.ClientAuthMethod;
import dev.twikitorders.twikit.TwikitClientConfig;
import dev.twikitorders.twikit.TwikitException;
import dev.twikitorders.twikit.TwikitException.Kind;
import dev.twikitorders.twikit.TwikitOperation;
import dev.twikitorders.twikit.internal.Backoff;
import dev.twikitorders.twikit.internal.ClientMetrics;
import dev.twikitorders.twikit.internal.MaskedHeader;
import dev.twikitorders.twikit.internal.RetryAfter;
import dev.twikitorders.twikit.internal.Transport;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Obtains, caches and renews the OAuth 2.0 access token of the client credentials grant (RFC 6749
 * section 4.4), built and parsed with the Nimbus OAuth 2.0 SDK and sent through the client's own
 * async HttpClient (no caller thread is blocked).
 *
 * <ul>
 *   <li>Cached and renewed ahead of expiry (see {@link RenewalTiming}): from {@code renewAt} the
 *       cached token is still handed out while one background renewal runs.
 *   <li>Single flight: however many callers need a token at once, at most one token request is in
 *       flight; they all share its result.
 *   <li>{@link #renewAfterRejection} renews once per rejected token: concurrent 401s carrying the
 *       same stale token share one renewal (RFC 6750 section 3.1, {@code invalid_token}).
 *   <li>Token endpoint 4xx (RFC 6749 section 5.2: {@code invalid_client}, {@code invalid_scope},
 *       ...) fails fast with {@link Kind#CREDENTIALS_REJECTED}; 408, 429, 5xx and I/O errors are
 *       retried with the configured backoff, then fail with {@link Kind#UNAVAILABLE} or {@link
 *       Kind#TIMEOUT}.
 *   <li>Errors name the client id, the token endpoint and the OAuth error code, never the secret;
 *       the token value is never logged.
 * </ul>
 *
 * <p>Thread-safety: thread-safe; the cached token and the in-flight request are guarded by one lock
 * held only for short, non-blocking sections.
 */
public final class TokenManager {

  private static final Logger LOG = LoggerFactory.getLogger(TokenManager.class);

  private final TwikitClientConfig config;
  private final Transport transport;
  private final ScheduledExecutorService scheduler;
  private final ClientMetrics metrics;
  private final Clock clock;
  private final TokenRequest tokenRequest;
  private final Object lock = new Object();
  private CachedToken current; // guarded by lock
  private CompletableFuture<CachedToken> inFlight; // guarded by lock

  public TokenManager(
      TwikitClientConfig config,
      Transport transport,
      ScheduledExecutorService scheduler,
      ClientMetrics metrics) {
    this.config = config;
    this.transport = transport;
    this.scheduler = scheduler;
    this.metrics = metrics;
    this.clock = config.clock();
    ClientID id = new ClientID(config.clientId());
    com.nimbusds.oauth2.sdk.auth.Secret secret =
        new com.nimbusds.oauth2.sdk.auth.Secret(config.clientSecret().revealAsString());
    ClientAuthentication auth =
        config.authMethod() == ClientAuthMethod.CLIENT_SECRET_POST
            ? new ClientSecretPost(id, secret)
            : new ClientSecretBasic(id, secret);
    Scope scope = config.scope().map(Scope::parse).orElse(null);
    this.tokenRequest =
        new TokenRequest(config.tokenUrl(), auth, new ClientCredentialsGrant(), scope);
  }

  /** A usable token: the cached one, or the result of the (shared) token request. */
  public CompletableFuture<CachedToken> token() {
    Instant now = clock.instant();
    synchronized (lock) {
      var t = current;
      if (t != null && now.isBefore(t.expiresAt())) {
        if (!now.isBefore(t.renewAt())) {
          startRenewalLocked(); // background: keep using t meanwhile
        }
        return CompletableFuture.completedFuture(t);
      }
      return startRenewalLocked();
    }
  }

  /**
   * The API rejected {@code rejected} (401): drop it and renew, unless another caller already
   * replaced it, in which case the newer token is returned without a new request.
   */
  public CompletableFuture<CachedToken> renewAfterRejection(CachedToken rejected) {
    synchronized (lock) {
      if (current != null && current != rejected && clock.instant().isBefore(current.expiresAt())) {
        return CompletableFuture.completedFuture(current);
      }
      if (current == rejected) {
        current = null;
        // a renewal that started before the rejection may still hand out a fresh token: join it
      }
      return startRenewalLocked();
    }
  }

  private CompletableFuture<CachedToken> startRenewalLocked() {
    if (inFlight != null) {
      return inFlight;
    }
    var f = new CompletableFuture<CachedToken>();
    inFlight = f;
    // completes asynchronously (callbacks on I/O or scheduler threads), never under this lock
    scheduler.execute(() -> request(1, f));
    return f;
  }

  private void finish(CompletableFuture<CachedToken> f, CachedToken token, TwikitException error) {
    synchronized (lock) {
      if (inFlight == f) {
        inFlight = null;
      }
      if (token != null) {
        current = token;
      }
    }
    if (token != null) {
      f.complete(token);
    } else {
      f.completeExceptionally(error);
    }
  }

  private void request(int attempt, CompletableFuture<CachedToken> f) {
    HTTPRequest nimbus = tokenRequest.toHTTPRequest();
    SimpleHttpRequest http =
        SimpleHttpRequest.create(Method.POST, URI.create(nimbus.getURI().toString()));
    for (Map.Entry<String, List<String>> h : nimbus.getHeaderMap().entrySet()) {
      if (h.getKey().equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)) {
        continue; // set with the body below
      }
      for (String v : h.getValue()) {
        http.addHeader(
            h.getKey().equalsIgnoreCase(HttpHeaders.AUTHORIZATION)
                ? new MaskedHeader(HttpHeaders.AUTHORIZATION, v)
                : new org.apache.hc.core5.http.message.BasicHeader(h.getKey(), v));
      }
    }
    http.addHeader(HttpHeaders.ACCEPT, "application/json");
    http.setBody(
        nimbus.getBody().getBytes(StandardCharsets.UTF_8), ContentType.APPLICATION_FORM_URLENCODED);
    Instant sentAt = clock.instant();
    transport
        .send(http)
        .whenComplete(
            (response, error) -> {
              try {
                if (error != null) {
                  onIoError(attempt, f, error);
                } else {
                  onResponse(attempt, f, response, sentAt);
                }
              } catch (RuntimeException unexpected) {
                metrics.tokenRequest("error");
                finish(
                    f,
                    null,
                    failure(
                        Kind.INVALID_RESPONSE,
                        0,
                        attempt,
                        null,
                        null,
                        "unexpected "
                            + unexpected.getClass().getSimpleName()
                            + " handling the token response",
                        unexpected));
              }
            });
  }

  private void onResponse(
      int attempt, CompletableFuture<CachedToken> f, SimpleHttpResponse response, Instant sentAt) {
    int status = response.getCode();
    if (status == 408 || status == 429 || status >= 500) {
      metrics.tokenRequest(status == 429 ? "rate_limited" : "server_error");
      Header ra = response.getFirstHeader(HttpHeaders.RETRY_AFTER);
      Duration retryAfter = ra == null ? null : RetryAfter.parse(ra.getValue(), clock).orElse(null);
      retryOrFail(
          attempt,
          f,
          "http_" + status,
          status,
          retryAfter,
          status == 429 ? Kind.RATE_LIMITED : Kind.UNAVAILABLE,
          "token endpoint answered HTTP " + status,
          null);
      return;
    }
    HTTPResponse nimbus = new HTTPResponse(status);
    for (Header h : response.getHeaders()) {
      nimbus.setHeader(h.getName(), h.getValue());
    }
    String body = response.getBodyText();
    nimbus.setBody(body == null ? "" : body);
    TokenResponse parsed;
    try {
      parsed = TokenResponse.parse(nimbus);
    } catch (ParseException e) {
      metrics.tokenRequest(status / 100 == 2 ? "invalid_response" : "rejected");
      if (status / 100 == 2) {
        finish(
            f,
            null,
            failure(
                Kind.INVALID_RESPONSE,
                status,
                attempt,
                null,
                null,
                "token endpoint answered 2xx without a valid token response",
                null));
      } else {
        finish(f, null, rejected(status, attempt, "http_" + status, null));
      }
      return;
    }
    if (!parsed.indicatesSuccess()) {
      metrics.tokenRequest("rejected");
      ErrorObject err = ((TokenErrorResponse) parsed).getErrorObject();
      String code = err == null || err.getCode() == null ? "http_" + status : err.getCode();
      finish(f, null, rejected(status, attempt, code, err == null ? null : err.getDescription()));
      return;
    }
    AccessToken at = parsed.toSuccessResponse().getTokens().getAccessToken();
    Duration lifetime = RenewalTiming.lifetime(at.getLifetime());
    var token =
        new CachedToken(
            at.getValue(),
            sentAt,
            RenewalTiming.renewAt(sentAt, lifetime, ThreadLocalRandom.current().nextDouble()),
            RenewalTiming.expiresAt(sentAt, lifetime));
    metrics.tokenRequest("success");
    LOG.debug(
        "Obtained access token for client id '{}' from {} (attempt {}): {}",
        config.clientId(),
        config.tokenUrl(),
        attempt,
        token);
    finish(f, token, null);
  }

  private void onIoError(int attempt, CompletableFuture<CachedToken> f, Throwable error) {
    boolean timeout = error instanceof SocketTimeoutException || error instanceof TimeoutException;
    metrics.tokenRequest(timeout ? "timeout" : "io_error");
    retryOrFail(
        attempt,
        f,
        timeout ? "timeout" : "io_error",
        0,
        null,
        timeout ? Kind.TIMEOUT : Kind.UNAVAILABLE,
        (timeout
                ? "no answer from the token endpoint: "
                : "I/O error talking to the token endpoint: ")
            + error.getClass().getSimpleName(),
        error);
  }

  private void retryOrFail(
      int attempt,
      CompletableFuture<CachedToken> f,
      String reason,
      int status,
      Duration retryAfter,
      Kind kind,
      String detail,
      Throwable cause) {
    if (attempt < config.retryPolicy().maxAttempts()) {
      Duration delay =
          Backoff.delay(
              config.retryPolicy(), attempt, retryAfter, ThreadLocalRandom.current()::nextDouble);
      metrics.retry(TwikitOperation.TOKEN.tagValue(), reason);
      LOG.debug(
          "Token request for client id '{}' to {} failed ({}), attempt {}; retrying in {} ms",
          config.clientId(),
          config.tokenUrl(),
          reason,
          attempt,
          delay.toMillis());
      try {
        scheduler.schedule(() -> request(attempt + 1, f), delay.toNanos(), TimeUnit.NANOSECONDS);
      } catch (RuntimeException closed) {
        finish(
            f,
            null,
            failure(Kind.UNAVAILABLE, status, attempt, retryAfter, null, "client closed", null));
      }
      return;
    }
    TwikitException e = failure(kind, status, attempt, retryAfter, null, detail, cause);
    LOG.warn("{}", e.getMessage());
    finish(f, null, e);
  }

  private TwikitException rejected(int status, int attempt, String code, String description) {
    String detail = "the token endpoint rejected the client credentials";
    if (description != null
        && !description.isBlank()
        && !config.clientSecret().isContainedIn(description)) {
      detail +=
          " ("
              + (description.length() > 200 ? description.substring(0, 200) + "..." : description)
              + ")";
    }
    TwikitException e =
        failure(Kind.CREDENTIALS_REJECTED, status, attempt, null, code, detail, null);
    LOG.warn("{}", e.getMessage());
    return e;
  }

  private TwikitException failure(
      Kind kind,
      int status,
      int attempts,
      Duration retryAfter,
      String code,
      String detail,
      Throwable cause) {
    return new TwikitException(
        kind,
        TwikitOperation.TOKEN,
        null,
        status,
        attempts,
        retryAfter,
        code,
        detail
            + " [client id '"
            + config.clientId()
            + "', token endpoint "
            + config.tokenUrl()
            + "]",
        cause);
  }
}
