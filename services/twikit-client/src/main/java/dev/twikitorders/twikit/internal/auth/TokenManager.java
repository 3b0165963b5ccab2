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
import dev.twikitorders.auth.ClientAuthMethod;
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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;
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
 *   <li>Backoff after failures: every HTTP token request is one step; there is no retry loop in
 *       here. After a failed step (408/429/5xx, I/O error, timeout, a 4xx refusal, an invalid 2xx,
 *       a redirect or an oversized body) callers that need a new token fail fast with a {@link
 *       TwikitException} of the same kind, whose {@code retryAfter} is the time left, until {@link
 *       Backoff#failFastWindow} has passed (1 s doubling per failed step up to 60 s, +-20 % jitter;
 *       a longer {@code Retry-After} from the endpoint, up to 60 s, wins). Only then does the next
 *       caller start the next token request. A success resets the steps. So however high the load,
 *       there is at most one token request per step. A still valid cached token keeps being handed
 *       out meanwhile.
 *   <li>Kinds: 4xx (RFC 6749 section 5.2: {@code invalid_client}, {@code invalid_scope}, ...) is
 *       {@link Kind#CREDENTIALS_REJECTED}; 429 {@link Kind#RATE_LIMITED}; 408, 5xx and I/O errors
 *       {@link Kind#UNAVAILABLE}; no answer in time {@link Kind#TIMEOUT}; a 2xx that is no token
 *       response, a 3xx or a body over the size limit {@link Kind#INVALID_RESPONSE}.
 *   <li>Logging: one WARN line per failed step, one INFO line when a token is obtained again after
 *       failures; nothing per caller above DEBUG. Errors name the client id, the token endpoint and
 *       the OAuth error code, never the secret; the token value is never logged.
 * </ul>
 *
 * <p>Thread-safety: thread-safe; the cached token, the in-flight request and the backoff state are
 * guarded by one lock held only for short, non-blocking sections.
 */
public final class TokenManager {

  private static final Logger LOG = LoggerFactory.getLogger(TokenManager.class);
  private static final Duration MAX_HINT = Duration.ofSeconds(60);

  /** What the last failed step was, to fail callers fast with the same kind. */
  private record Failure(Kind kind, int status, String code, String detail) {}

  private final TwikitClientConfig config;
  private final Transport transport;
  private final ScheduledExecutorService scheduler;
  private final ClientMetrics metrics;
  private final Clock clock;
  private final DoubleSupplier random;
  private final TokenRequest tokenRequest;
  private final Object lock = new Object();
  private CachedToken current; // guarded by lock
  private CompletableFuture<CachedToken> inFlight; // guarded by lock
  private int failedSteps; // guarded by lock; consecutive failed token requests
  private Instant failFastUntil; // guarded by lock; null when not backing off
  private Failure lastFailure; // guarded by lock

  public TokenManager(
      TwikitClientConfig config,
      Transport transport,
      ScheduledExecutorService scheduler,
      ClientMetrics metrics) {
    this(config, transport, scheduler, metrics, () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * @param random jitter of the fail-fast windows, values in {@code [0, 1)} (tests pass a fixed
   *     one)
   */
  public TokenManager(
      TwikitClientConfig config,
      Transport transport,
      ScheduledExecutorService scheduler,
      ClientMetrics metrics,
      DoubleSupplier random) {
    this.config = config;
    this.transport = transport;
    this.scheduler = scheduler;
    this.metrics = metrics;
    this.clock = config.clock();
    this.random = random;
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

  /**
   * A usable token: the cached one, or the result of the (shared) token request; fails at once
   * while backing off after a failed token request.
   */
  public CompletableFuture<CachedToken> token() {
    Instant now = clock.instant();
    synchronized (lock) {
      var t = current;
      if (t != null && now.isBefore(t.expiresAt())) {
        if (!now.isBefore(t.renewAt()) && inFlight == null && !backingOffLocked(now)) {
          startRequestLocked(); // background: keep using t meanwhile
        }
        return CompletableFuture.completedFuture(t);
      }
      return newTokenLocked(now);
    }
  }

  /**
   * The API rejected {@code rejected} (401): drop it and renew, unless another caller already
   * replaced it, in which case the newer token is returned without a new request.
   */
  public CompletableFuture<CachedToken> renewAfterRejection(CachedToken rejected) {
    Instant now = clock.instant();
    synchronized (lock) {
      if (current != null && current != rejected && now.isBefore(current.expiresAt())) {
        return CompletableFuture.completedFuture(current);
      }
      if (current == rejected) {
        current = null;
        // a renewal that started before the rejection may still hand out a fresh token: join it
      }
      return newTokenLocked(now);
    }
  }

  private CompletableFuture<CachedToken> newTokenLocked(Instant now) {
    if (inFlight != null) {
      return inFlight;
    }
    if (backingOffLocked(now)) {
      return CompletableFuture.failedFuture(failFastLocked(now));
    }
    return startRequestLocked();
  }

  private boolean backingOffLocked(Instant now) {
    return failFastUntil != null && now.isBefore(failFastUntil);
  }

  private TwikitException failFastLocked(Instant now) {
    Duration left = Duration.between(now, failFastUntil);
    Failure f = lastFailure;
    return failure(
        f.kind(),
        f.status(),
        0,
        left,
        f.code(),
        "failing fast for another "
            + left.toMillis()
            + " ms after failed token request "
            + failedSteps
            + " ("
            + f.detail()
            + ")",
        null);
  }

  private CompletableFuture<CachedToken> startRequestLocked() {
    var f = new CompletableFuture<CachedToken>();
    try {
      // completes asynchronously (callbacks on I/O or scheduler threads), never under this lock
      scheduler.execute(() -> request(f));
    } catch (RuntimeException closed) {
      return CompletableFuture.failedFuture(
          failure(Kind.UNAVAILABLE, 0, 0, null, null, "client closed", null));
    }
    inFlight = f;
    return f;
  }

  private void succeeded(CompletableFuture<CachedToken> f, CachedToken token) {
    int failedBefore;
    synchronized (lock) {
      if (inFlight == f) {
        inFlight = null;
      }
      current = token;
      failedBefore = failedSteps;
      failedSteps = 0;
      failFastUntil = null;
      lastFailure = null;
    }
    if (failedBefore > 0) {
      LOG.info(
          "Obtained an access token for client id '{}' from {} again after {} failed token"
              + " request(s)",
          config.clientId(),
          config.tokenUrl(),
          failedBefore);
    }
    f.complete(token);
  }

  /**
   * Ends a failed step: starts the fail-fast window, logs the one WARN line of this step and fails
   * the callers waiting for this request.
   *
   * @param what a short reason for the log line, e.g. {@code HTTP 503}
   */
  private void failedStep(
      CompletableFuture<CachedToken> f,
      String what,
      Kind kind,
      int status,
      Duration retryAfter,
      String code,
      String detail,
      Throwable cause) {
    Instant now = clock.instant();
    int step;
    Duration window;
    boolean tokenStillUsable;
    synchronized (lock) {
      if (inFlight == f) {
        inFlight = null;
      }
      step = ++failedSteps;
      window = Backoff.failFastWindow(step, random);
      if (retryAfter != null && retryAfter.compareTo(window) > 0) {
        window = retryAfter.compareTo(MAX_HINT) > 0 ? MAX_HINT : retryAfter;
      }
      failFastUntil = now.plus(window);
      lastFailure = new Failure(kind, status, code, detail);
      tokenStillUsable = current != null && now.isBefore(current.expiresAt());
    }
    LOG.warn(
        "Token request for client id '{}' to {} failed ({}); {} for {} s (step {})",
        config.clientId(),
        config.tokenUrl(),
        what,
        tokenStillUsable ? "still using the current token, no token request" : "failing calls fast",
        String.format(Locale.ROOT, "%.1f", window.toMillis() / 1000.0),
        step);
    f.completeExceptionally(failure(kind, status, 1, window, code, detail, cause));
  }

  private void request(CompletableFuture<CachedToken> f) {
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
                  onIoError(f, error);
                } else {
                  onResponse(f, response, sentAt);
                }
              } catch (RuntimeException unexpected) {
                metrics.tokenRequest("error");
                failedStep(
                    f,
                    "unexpected " + unexpected.getClass().getSimpleName(),
                    Kind.INVALID_RESPONSE,
                    0,
                    null,
                    null,
                    "unexpected "
                        + unexpected.getClass().getSimpleName()
                        + " handling the token response",
                    unexpected);
              }
            });
  }

  private void onResponse(
      CompletableFuture<CachedToken> f, SimpleHttpResponse response, Instant sentAt) {
    int status = response.getCode();
    if (status == 408 || status == 429 || status >= 500) {
      metrics.tokenRequest(status == 429 ? "rate_limited" : "server_error");
      Header ra = response.getFirstHeader(HttpHeaders.RETRY_AFTER);
      Duration retryAfter = ra == null ? null : RetryAfter.parse(ra.getValue(), clock).orElse(null);
      failedStep(
          f,
          "HTTP " + status,
          status == 429 ? Kind.RATE_LIMITED : Kind.UNAVAILABLE,
          status,
          retryAfter,
          "http_" + status,
          "token endpoint answered HTTP " + status,
          null);
      return;
    }
    if (status >= 300 && status < 400) {
      metrics.tokenRequest("invalid_response");
      String detail = Transport.redirectText(response);
      failedStep(f, detail, Kind.INVALID_RESPONSE, status, null, null, detail, null);
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
      if (status / 100 == 2) {
        metrics.tokenRequest("invalid_response");
        failedStep(
            f,
            "HTTP " + status + " without a valid token response",
            Kind.INVALID_RESPONSE,
            status,
            null,
            null,
            "token endpoint answered " + status + " without a valid token response",
            null);
      } else {
        metrics.tokenRequest("rejected");
        rejected(f, status, "http_" + status, null);
      }
      return;
    }
    if (!parsed.indicatesSuccess()) {
      metrics.tokenRequest("rejected");
      ErrorObject err = ((TokenErrorResponse) parsed).getErrorObject();
      String code = err == null || err.getCode() == null ? "http_" + status : err.getCode();
      rejected(f, status, code, err == null ? null : err.getDescription());
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
        "Obtained access token for client id '{}' from {}: {}",
        config.clientId(),
        config.tokenUrl(),
        token);
    succeeded(f, token);
  }

  private void onIoError(CompletableFuture<CachedToken> f, Throwable error) {
    Transport.ResponseTooLargeException tooLarge = Transport.tooLarge(error);
    if (tooLarge != null) {
      metrics.tokenRequest("invalid_response");
      failedStep(
          f,
          tooLarge.getMessage(),
          Kind.INVALID_RESPONSE,
          tooLarge.status(),
          null,
          null,
          "token endpoint answered with a " + tooLarge.getMessage(),
          null);
      return;
    }
    boolean timeout = error instanceof SocketTimeoutException || error instanceof TimeoutException;
    metrics.tokenRequest(timeout ? "timeout" : "io_error");
    String what =
        (timeout ? "no answer in time: " : "I/O error: ") + error.getClass().getSimpleName();
    failedStep(
        f,
        what,
        timeout ? Kind.TIMEOUT : Kind.UNAVAILABLE,
        0,
        null,
        timeout ? "timeout" : "io_error",
        (timeout
                ? "no answer from the token endpoint: "
                : "I/O error talking to the token endpoint: ")
            + error.getClass().getSimpleName(),
        error);
  }

  private void rejected(
      CompletableFuture<CachedToken> f, int status, String code, String description) {
    String detail = "the token endpoint rejected the client credentials";
    if (description != null
        && !description.isBlank()
        && !config.clientSecret().isContainedIn(description)) {
      detail +=
          " ("
              + (description.length() > 200 ? description.substring(0, 200) + "..." : description)
              + ")";
    }
    failedStep(
        f,
        "HTTP " + status + ", error " + code,
        Kind.CREDENTIALS_REJECTED,
        status,
        null,
        code,
        detail,
        null);
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
