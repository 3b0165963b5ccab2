package dev.twikitorders.auth.oauth;

import dev.twikitorders.auth.AuthEvents;
import dev.twikitorders.auth.AuthException;
import dev.twikitorders.auth.AuthException.Kind;
import dev.twikitorders.auth.AuthSettings;
import dev.twikitorders.auth.Authenticator;
import dev.twikitorders.auth.Credentials;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.http.AuthHttp;
import dev.twikitorders.auth.store.RefreshTokenStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Authenticator} of every OAuth 2.0 grant: obtains, caches and renews the access token
 * and hands it out as {@link Credentials#bearer} ({@code Authorization: Bearer}, RFC 6750). Token
 * requests are built and parsed with the Nimbus OAuth 2.0 SDK and sent through the caller's {@link
 * AuthHttp} (no caller thread is blocked). Grants: client credentials ({@link #clientCredentials},
 * RFC 6749 section 4.4, {@code client_secret_basic} or {@code client_secret_post}) and refresh
 * token with rotation ({@link #refreshToken}, RFC 6749 section 6, through a {@link
 * RefreshTokenStore} shared safely by several instances). The token endpoint is configured or
 * discovered from the issuer (RFC 8414, {@link Discovery}) on the first token request and kept.
 *
 * <ul>
 *   <li>Cached and renewed ahead of expiry (see {@link RenewalTiming}): from {@code renewAt} the
 *       cached token is still handed out while one background renewal runs.
 *   <li>Single flight: however many callers need a token at once, at most one step (discovery when
 *       needed, then one token request) is in flight; they all share its result.
 *   <li>{@link #renewAfterRejection} renews once per rejected token: concurrent 401s carrying the
 *       same stale credentials share one renewal (RFC 6750 section 3.1, {@code invalid_token}).
 *   <li>Backoff after failures: every step is one HTTP token request (plus the discovery requests
 *       the first step may need); there is no retry loop in here. After a failed step (408/429/5xx,
 *       I/O error, timeout, a 4xx refusal, an invalid 2xx, a redirect, an oversized body, a failed
 *       discovery, a refresh token store that cannot be used) callers that need a new token fail
 *       fast with an {@link AuthException} of the same kind, whose {@code retryAfter} is the time
 *       left, until the window has passed (1 s doubling per failed step up to 60 s, +-20 % jitter;
 *       a longer {@code Retry-After} from the endpoint, up to 60 s, wins). Only then does the next
 *       caller start the next step. A success resets the steps. So however high the load, there is
 *       at most one token request per step. A still valid cached token keeps being handed out
 *       meanwhile.
 *   <li>Kinds: 4xx (RFC 6749 section 5.2: {@code invalid_client}, {@code invalid_scope}, ...) is
 *       {@link Kind#CREDENTIALS_REJECTED}, but {@code invalid_grant} on a refresh {@link
 *       Kind#LOGIN_REQUIRED}; 429 {@link Kind#RATE_LIMITED}; 408, 5xx and I/O errors {@link
 *       Kind#UNAVAILABLE}; no answer in time {@link Kind#TIMEOUT}; a 2xx that is no token response
 *       (or no usable metadata), a 3xx or a body over the size limit {@link Kind#INVALID_RESPONSE};
 *       a store that cannot be read or written {@link Kind#STORE_FAILED}; after {@link #close()}
 *       {@link Kind#CLOSED}.
 *   <li>Logging: one WARN line per failed step, one INFO line when a token is obtained again after
 *       failures; nothing per caller above DEBUG. Errors name the grant's client id, the token
 *       endpoint and the OAuth error code, never a secret; token values are never logged.
 *   <li>Events ({@link AuthEvents}): one {@code tokenRequest} per token request, one {@code
 *       tokenObtained} per token put in use.
 * </ul>
 *
 * <p>Thread-safety: thread-safe; the cached token, the in-flight step and the backoff state are
 * guarded by one lock held only for short, non-blocking sections. Futures complete on the caller's
 * thread (a cached token, failing fast, closed) or on the {@link AuthHttp}'s, the scheduler's or a
 * store's thread, never under the lock.
 */
public final class TokenManager implements Authenticator {

  private static final Logger LOG = LoggerFactory.getLogger(TokenManager.class);
  private static final Duration MAX_HINT = Duration.ofSeconds(60);

  /** A token in use: the credentials handed out (compared by identity) and its timing. */
  private record Cached(Credentials credentials, Secret token, Instant renewAt, Instant expiresAt) {
    @Override
    public String toString() {
      return "Cached[token=****, renewAt=" + renewAt + ", expiresAt=" + expiresAt + "]";
    }
  }

  /** What the last failed step was, to fail callers fast with the same kind. */
  private record Failure(Kind kind, int status, String code, String detail) {}

  private final String clientId;
  private final EndpointResolver endpoint;
  private final TokenSource source;
  private final ScheduledExecutorService scheduler;
  private final AuthEvents events;
  private final Clock clock;
  private final DoubleSupplier random;
  private final Object lock = new Object();
  private Cached current; // guarded by lock
  private CompletableFuture<Cached> inFlight; // guarded by lock
  private int failedSteps; // guarded by lock; consecutive failed steps
  private Instant failFastUntil; // guarded by lock; null when not backing off
  private Failure lastFailure; // guarded by lock
  private volatile boolean closed;

  TokenManager(
      String clientId,
      EndpointResolver endpoint,
      TokenSource source,
      ScheduledExecutorService scheduler,
      AuthEvents events,
      Clock clock,
      DoubleSupplier random) {
    this.clientId = Objects.requireNonNull(clientId, "clientId");
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.source = Objects.requireNonNull(source, "source");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.events = Objects.requireNonNull(events, "events");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * The client credentials grant.
   *
   * @param http sends the token (and discovery) requests
   * @param scheduler runs the start of each step (never blocked)
   */
  public static TokenManager clientCredentials(
      AuthSettings.ClientCredentials settings,
      AuthHttp http,
      ScheduledExecutorService scheduler,
      AuthEvents events,
      Clock clock) {
    return new TokenManager(
        settings.clientId(),
        new EndpointResolver(settings.endpoint(), http, events, clock),
        new ClientCredentialsSource(settings, http, events, clock),
        scheduler,
        events,
        clock,
        () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * The refresh token grant with rotation through {@code store}, which the manager owns from now on
   * ({@link #close()} closes it).
   */
  public static TokenManager refreshToken(
      AuthSettings.RefreshToken settings,
      RefreshTokenStore store,
      AuthHttp http,
      ScheduledExecutorService scheduler,
      AuthEvents events,
      Clock clock) {
    return new TokenManager(
        settings.clientId(),
        new EndpointResolver(settings.endpoint(), http, events, clock),
        new RefreshTokenSource(settings, store, http, events, clock),
        scheduler,
        events,
        clock,
        () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * Usable credentials: the cached token, or the result of the (shared) step; fails at once while
   * backing off after a failed step.
   */
  @Override
  public CompletableFuture<Credentials> credentials() {
    if (closed) {
      return CompletableFuture.failedFuture(closedError());
    }
    Instant now = clock.instant();
    synchronized (lock) {
      var t = current;
      if (t != null && now.isBefore(t.expiresAt())) {
        if (!now.isBefore(t.renewAt()) && inFlight == null && !backingOffLocked(now)) {
          startStepLocked(null); // background: keep using t meanwhile
        }
        return CompletableFuture.completedFuture(t.credentials());
      }
      return newTokenLocked(now, null).thenApply(Cached::credentials);
    }
  }

  /**
   * The API rejected {@code rejected} (401): drop it and renew, unless another caller already
   * replaced it, in which case the newer credentials are returned without a new request.
   */
  @Override
  public CompletableFuture<Credentials> renewAfterRejection(Credentials rejected) {
    if (closed) {
      return CompletableFuture.failedFuture(closedError());
    }
    Instant now = clock.instant();
    synchronized (lock) {
      if (current != null
          && current.credentials() != rejected
          && now.isBefore(current.expiresAt())) {
        return CompletableFuture.completedFuture(current.credentials());
      }
      Secret rejectedToken = null;
      if (current != null && current.credentials() == rejected) {
        rejectedToken = current.token();
        current = null;
        // a renewal that started before the rejection may still hand out a fresh token: join it
      }
      return newTokenLocked(now, rejectedToken).thenApply(Cached::credentials);
    }
  }

  private CompletableFuture<Cached> newTokenLocked(Instant now, Secret rejectedToken) {
    if (inFlight != null) {
      return inFlight;
    }
    if (backingOffLocked(now)) {
      return CompletableFuture.failedFuture(failFastLocked(now));
    }
    return startStepLocked(rejectedToken);
  }

  private boolean backingOffLocked(Instant now) {
    return failFastUntil != null && now.isBefore(failFastUntil);
  }

  private AuthException failFastLocked(Instant now) {
    Duration left = Duration.between(now, failFastUntil);
    Failure f = lastFailure;
    return failure(
        f.kind(),
        f.status(),
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

  private CompletableFuture<Cached> startStepLocked(Secret rejectedToken) {
    var f = new CompletableFuture<Cached>();
    try {
      // completes asynchronously (callbacks on I/O or scheduler threads), never under this lock
      scheduler.execute(() -> step(f, rejectedToken));
    } catch (RejectedExecutionException closing) {
      return CompletableFuture.failedFuture(closedError());
    }
    inFlight = f;
    return f;
  }

  private void step(CompletableFuture<Cached> f, Secret rejectedToken) {
    CompletableFuture<TokenSource.Obtained> obtained;
    try {
      obtained = endpoint.resolve().thenCompose(uri -> source.obtain(uri, rejectedToken));
    } catch (RuntimeException e) {
      obtained = CompletableFuture.failedFuture(e);
    }
    obtained.whenComplete(
        (token, error) -> {
          try {
            if (error != null) {
              failedStep(f, StepException.of(error));
            } else {
              succeeded(f, token);
            }
          } catch (RuntimeException unexpected) {
            failedStep(f, StepException.of(unexpected));
          }
        });
  }

  private void succeeded(CompletableFuture<Cached> f, TokenSource.Obtained token) {
    Duration lifetime = Duration.between(token.obtainedAt(), token.expiresAt());
    if (lifetime.isNegative() || lifetime.isZero()) {
      lifetime = RenewalTiming.DEFAULT_LIFETIME;
    }
    var cached =
        new Cached(
            Credentials.bearer(token.accessToken(), token.expiresAt()),
            token.accessToken(),
            RenewalTiming.renewAt(
                token.obtainedAt(), lifetime, ThreadLocalRandom.current().nextDouble()),
            RenewalTiming.expiresAt(token.obtainedAt(), lifetime));
    int failedBefore;
    synchronized (lock) {
      if (inFlight == f) {
        inFlight = null;
      }
      current = cached;
      failedBefore = failedSteps;
      failedSteps = 0;
      failFastUntil = null;
      lastFailure = null;
    }
    events.tokenObtained(token.expiresAt());
    if (failedBefore > 0) {
      LOG.info(
          "Obtained an access token for client id '{}' from {} again after {} failed token"
              + " request(s)",
          clientId,
          endpoint.describe(),
          failedBefore);
    }
    LOG.debug(
        "Obtained an access token for client id '{}' from {}: {}",
        clientId,
        endpoint.describe(),
        cached);
    f.complete(cached);
  }

  /**
   * Ends a failed step: starts the fail-fast window, logs the one WARN line of this step and fails
   * the callers waiting for this step.
   */
  private void failedStep(CompletableFuture<Cached> f, StepException e) {
    Instant now = clock.instant();
    int step;
    Duration window;
    boolean tokenStillUsable;
    synchronized (lock) {
      if (inFlight == f) {
        inFlight = null;
      }
      step = ++failedSteps;
      window = FailFast.window(step, random);
      if (e.retryAfter != null && e.retryAfter.compareTo(window) > 0) {
        window = e.retryAfter.compareTo(MAX_HINT) > 0 ? MAX_HINT : e.retryAfter;
      }
      failFastUntil = now.plus(window);
      lastFailure = new Failure(e.kind, e.status, e.code, e.detail());
      tokenStillUsable = current != null && now.isBefore(current.expiresAt());
    }
    LOG.warn(
        "Token request for client id '{}' to {} failed ({}); {} for {} s (step {})",
        clientId,
        endpoint.describe(),
        e.what,
        tokenStillUsable ? "still using the current token, no token request" : "failing calls fast",
        String.format(Locale.ROOT, "%.1f", window.toMillis() / 1000.0),
        step);
    f.completeExceptionally(failure(e.kind, e.status, window, e.code, e.detail(), e.getCause()));
  }

  private AuthException failure(
      Kind kind, int status, Duration retryAfter, String code, String detail, Throwable cause) {
    return new AuthException(
        kind, status, code, retryAfter, detail + " [" + context() + "]", cause);
  }

  private String context() {
    String s = "client id '" + clientId + "', token endpoint " + endpoint.describe();
    if (source instanceof RefreshTokenSource r) {
      s += ", store " + r.storeLocation();
    }
    return s;
  }

  private AuthException closedError() {
    return new AuthException(Kind.CLOSED, 0, null, null, describe() + ": closed", null);
  }

  @Override
  public String describe() {
    return "OAuth 2.0 "
        + source.grant()
        + " grant for client id '"
        + clientId
        + "' at token endpoint "
        + endpoint.describe();
  }

  /** Fails later calls with {@link Kind#CLOSED} and closes the grant's store, if any. */
  @Override
  public void close() {
    closed = true;
    source.close();
  }

  @Override
  public String toString() {
    return "TokenManager[" + describe() + "]";
  }
}
