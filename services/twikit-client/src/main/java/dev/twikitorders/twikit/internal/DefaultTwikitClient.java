package dev.twikitorders.twikit.internal;

import dev.twikitorders.auth.AuthEvents;
import dev.twikitorders.auth.AuthException;
import dev.twikitorders.auth.Authenticator;
import dev.twikitorders.auth.Authenticators;
import dev.twikitorders.auth.Credentials;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.http.RetryAfter;
import dev.twikitorders.capacity.ConcurrencyLimiter;
import dev.twikitorders.capacity.RateGate;
import dev.twikitorders.twikit.TwikitApi;
import dev.twikitorders.twikit.TwikitClientConfig;
import dev.twikitorders.twikit.TwikitException;
import dev.twikitorders.twikit.TwikitException.Kind;
import dev.twikitorders.twikit.TwikitOperation;
import dev.twikitorders.twikit.TwikitPaths;
import dev.twikitorders.twikit.model.ApiStatus;
import dev.twikitorders.twikit.model.BatchUpdateResult;
import dev.twikitorders.twikit.model.Compatibility;
import dev.twikitorders.twikit.model.Configuration;
import dev.twikitorders.twikit.model.ConfigurationUpdate;
import dev.twikitorders.twikit.model.Filtered;
import dev.twikitorders.twikit.model.Parameters;
import dev.twikitorders.twikit.model.Summary;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link TwikitApi} implementation: per call, a chain of attempts, each one checking the
 * circuit breaker, obtaining credentials from the {@link Authenticator} (built by {@link
 * Authenticators} from {@link TwikitClientConfig#auth()}; its token and discovery requests go
 * through the same {@link Transport}), waiting for an in-flight slot, sending and classifying the
 * answer. A 401 to a request that carried credentials renews them once ({@link
 * Authenticator#renewAfterRejection}) and retries the call once. Retries are scheduled on one small
 * daemon scheduler; no thread ever sleeps or blocks.
 *
 * <p>Cancelling a returned future ends the call: the scheduled retry is removed, a place in the
 * in-flight queue is given up, a token wait does not continue into a send, and the HTTP exchange in
 * flight is cancelled (HttpClient then discards its connection). Every step re-checks whether the
 * call's future is already complete, so no attempt starts after a cancellation.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class DefaultTwikitClient implements TwikitApi {

  private static final Logger LOG = LoggerFactory.getLogger(DefaultTwikitClient.class);
  private static final Map<String, String> JSON_ONLY =
      Map.of(HttpHeaders.ACCEPT, "application/json");

  private final TwikitClientConfig config;
  private final ScheduledThreadPoolExecutor scheduler;
  private final Transport transport;
  private final Authenticator authenticator;
  private final CircuitBreaker breaker;
  private final ConcurrencyLimiter limiter;
  private final RateGate rateGate;
  private final ClientMetrics metrics;
  private final String base;
  private final Set<Call<?>> open = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

  public DefaultTwikitClient(TwikitClientConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.scheduler =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "twikit-client-scheduler");
              t.setDaemon(true);
              return t;
            });
    scheduler.setRemoveOnCancelPolicy(true);
    scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.metrics =
        new ClientMetrics(
            config.meterRegistry().orElseGet(CompositeMeterRegistry::new), config.clientName());
    try {
      this.transport = new Transport(config, scheduler);
    } catch (RuntimeException e) { // e.g. unusable TLS material: nothing may be left running
      scheduler.shutdownNow();
      throw e;
    }
    this.authenticator =
        Authenticators.create(
            config.auth(),
            new TransportAuthHttp(transport, config.maxResponseBytes()),
            scheduler,
            new AuthEvents() {
              @Override
              public void tokenRequest(String outcome) {
                metrics.tokenRequest(outcome);
              }

              @Override
              public void tokenObtained(Instant expiresAt) {
                metrics.tokenObtained(expiresAt);
              }
            },
            config.clock());
    this.breaker = new CircuitBreaker(config.circuitBreaker(), config.clock());
    this.limiter = ConcurrencyLimiter.create(config.concurrency(), scheduler);
    this.rateGate = RateGate.create(config.maxRequestsPerSecond(), scheduler);
    String url = config.apiUrl().toString();
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    metrics.gauge("twikit.client.inflight", "Twikit HTTP requests in flight", limiter::inUse);
    metrics.gauge(
        "twikit.client.queued", "Twikit calls waiting for an in-flight slot", limiter::queued);
    metrics.gauge(
        "twikit.client.concurrency.limit",
        "Current limit of Twikit HTTP requests in flight (adaptive or fixed)",
        limiter::limit);
    metrics.gauge(
        "twikit.client.rate.limit",
        "Current cap on Twikit HTTP requests per second; 0 = none",
        rateGate::rate);
    metrics.gauge(
        "twikit.client.breaker.state",
        "0 closed, 1 half-open, 2 open",
        () -> breaker.state().code());
    metrics.tokenExpiryGauge(config.clock());
    metrics.rateLimitedCounter();
  }

  // ---- operations ----------------------------------------------------------------------------

  @Override
  public CompletableFuture<ApiStatus> status() {
    return execute(
        TwikitOperation.STATUS,
        null,
        Method.GET,
        config.paths().status(),
        null,
        false,
        ApiStatus.class);
  }

  @Override
  public CompletableFuture<Configuration> configuration(String configurationId) {
    return get(
        TwikitOperation.CONFIGURATION,
        configurationId,
        config.paths().configuration(),
        Configuration.class);
  }

  @Override
  public CompletableFuture<Compatibility> compatibility(String configurationId) {
    return get(
        TwikitOperation.COMPATIBILITY,
        configurationId,
        config.paths().compatibility(),
        Compatibility.class);
  }

  @Override
  public CompletableFuture<Summary> summary(String configurationId) {
    return get(TwikitOperation.SUMMARY, configurationId, config.paths().summary(), Summary.class);
  }

  @Override
  public CompletableFuture<Parameters> parameters(String configurationId) {
    return get(
        TwikitOperation.PARAMETERS, configurationId, config.paths().parameters(), Parameters.class);
  }

  @Override
  public CompletableFuture<Filtered> filtered(String configurationId) {
    return get(
        TwikitOperation.FILTERED, configurationId, config.paths().filtered(), Filtered.class);
  }

  @Override
  public CompletableFuture<Configuration> update(
      String configurationId, ConfigurationUpdate update) {
    requireId(configurationId);
    Objects.requireNonNull(update, "update");
    if (update.uuid() != null && !update.uuid().equals(configurationId)) {
      throw new IllegalArgumentException(
          "update.uuid must be null or equal to the configuration id");
    }
    byte[] body = Json.write(update.uuid() == null ? update.withUuid(configurationId) : update);
    return execute(
        TwikitOperation.UPDATE,
        configurationId,
        Method.POST,
        expand(config.paths().update(), configurationId),
        body,
        true,
        Configuration.class);
  }

  @Override
  public CompletableFuture<BatchUpdateResult> updateMany(List<ConfigurationUpdate> updates) {
    Objects.requireNonNull(updates, "updates");
    if (updates.isEmpty()) {
      throw new IllegalArgumentException("updates must not be empty");
    }
    for (ConfigurationUpdate u : updates) {
      Objects.requireNonNull(u, "updates must not contain null");
      requireId(u.uuid());
    }
    byte[] body = Json.write(Map.of("configurations", List.copyOf(updates)));
    List<String> ids = updates.stream().map(ConfigurationUpdate::uuid).toList();
    return execute(
        TwikitOperation.UPDATE_MANY,
        null,
        Method.POST,
        config.paths().updateMany(),
        body,
        true,
        BatchUpdateResult.class,
        r -> unaccounted(ids, r));
  }

  private <T> CompletableFuture<T> get(
      TwikitOperation op, String id, String template, Class<T> type) {
    requireId(id);
    return execute(op, id, Method.GET, expand(template, id), null, true, type);
  }

  private static void requireId(String id) {
    Objects.requireNonNull(id, "configurationId");
    if (id.isBlank()) {
      throw new IllegalArgumentException("configurationId must not be blank");
    }
  }

  /** Replaces {id} with the id percent-encoded as one path segment (RFC 3986 section 3.3). */
  static String expand(String template, String id) {
    StringBuilder sb = new StringBuilder();
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 'a' && c <= 'z'
          || c >= 'A' && c <= 'Z'
          || c >= '0' && c <= '9'
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return template.replace(TwikitPaths.ID, sb);
  }

  // ---- the call state machine ----------------------------------------------------------------

  /** One logical call and its attempts. Mutated only by the attempt chain (one step at a time). */
  private final class Call<T> {
    final TwikitOperation op;
    final String id;
    final Method method;
    final URI uri;
    final byte[] body;
    final boolean authenticated;
    final Class<T> type;
    final Function<T, String> check; // null or the problem with a parsed 2xx value
    final CompletableFuture<T> result = new CompletableFuture<>();
    final long startNanos = System.nanoTime();
    volatile int attempts; // HTTP requests sent
    volatile int transientFailures;
    volatile boolean authRetried;
    volatile int lastStatus;
    // what a cancellation has to undo; each is set before the step it guards re-checks isDone()
    volatile ScheduledFuture<?> retryTask;
    volatile CompletableFuture<ConcurrencyLimiter.Permit> permitWait;
    volatile CompletableFuture<Void> rateWait;
    volatile ConcurrencyLimiter.Permit permit; // held from the grant until the exchange completes
    volatile CompletableFuture<SimpleHttpResponse> exchange;

    Call(
        TwikitOperation op,
        String id,
        Method method,
        String path,
        byte[] body,
        boolean authenticated,
        Class<T> type,
        Function<T, String> check) {
      this.op = op;
      this.id = id;
      this.method = method;
      this.uri = URI.create(base + path);
      this.body = body;
      this.authenticated = authenticated;
      this.type = type;
      this.check = check;
    }

    /** Completed: succeeded, failed, or cancelled by the caller. No further step may start. */
    boolean ended() {
      return result.isDone();
    }
  }

  private <T> CompletableFuture<T> execute(
      TwikitOperation op,
      String id,
      Method method,
      String path,
      byte[] body,
      boolean authenticated,
      Class<T> type) {
    return execute(op, id, method, path, body, authenticated, type, null);
  }

  private <T> CompletableFuture<T> execute(
      TwikitOperation op,
      String id,
      Method method,
      String path,
      byte[] body,
      boolean authenticated,
      Class<T> type,
      Function<T, String> check) {
    Call<T> call = new Call<>(op, id, method, path, body, authenticated, type, check);
    if (closed.get()) {
      fail(
          call,
          new TwikitException(
              Kind.UNAVAILABLE, op, id, 0, 0, null, null, "client is closed", null));
      return call.result;
    }
    open.add(call);
    call.result.whenComplete((v, e) -> onEnded(call));
    attempt(call);
    return call.result;
  }

  /**
   * Runs once the call's future completes, whoever completed it. After our own success or failure
   * there is nothing left to undo; after a caller's {@code cancel} this removes the scheduled
   * retry, gives up the place in the in-flight queue and cancels the exchange in flight.
   */
  private void onEnded(Call<?> call) {
    open.remove(call);
    ScheduledFuture<?> retry = call.retryTask;
    if (retry != null) {
      retry.cancel(false);
    }
    CompletableFuture<ConcurrencyLimiter.Permit> wait = call.permitWait;
    if (wait != null) {
      giveUpPermitWait(wait);
    }
    CompletableFuture<Void> rateWait = call.rateWait;
    if (rateWait != null) {
      rateWait.cancel(false); // its handler sees the cancellation and frees the permit
    }
    CompletableFuture<SimpleHttpResponse> exchange = call.exchange;
    if (exchange != null) {
      exchange.cancel(true);
    }
    if (call.result.isCancelled()) {
      metrics.recordCall(
          call.op.tagValue(),
          "cancelled",
          ClientMetrics.statusClass(call.lastStatus),
          System.nanoTime() - call.startNanos);
      LOG.debug(
          "{} {}: cancelled by the caller after {} attempt(s)",
          call.op.tagValue(),
          idText(call),
          call.attempts);
    }
  }

  /** Leaves the in-flight queue; the waiter's handler then sees the cancellation. */
  private void giveUpPermitWait(CompletableFuture<ConcurrencyLimiter.Permit> wait) {
    if (limiter.cancel(wait)) {
      wait.cancel(false);
    }
  }

  private <T> void attempt(Call<T> call) {
    if (call.ended()) {
      return; // cancelled while a retry or a token renewal was pending
    }
    if (closed.get()) {
      fail(call, exception(call, Kind.UNAVAILABLE, null, null, "client is closed", null));
      return;
    }
    if (!breaker.tryAcquire()) {
      Duration wait = breaker.remainingOpen();
      fail(
          call,
          exception(
              call,
              Kind.UNAVAILABLE,
              wait,
              null,
              "circuit breaker open, failing fast; retry after " + wait.toMillis() + " ms",
              null));
      return;
    }
    if (!call.authenticated) {
      acquireAndSend(call, null);
      return;
    }
    authenticator
        .credentials()
        .whenComplete(
            (credentials, error) -> {
              if (call.ended()) {
                breaker.onNeutral(); // cancelled while waiting for the token: no send
              } else if (error != null) {
                breaker.onNeutral();
                failWithTokenError(call, error);
              } else {
                acquireAndSend(call, credentials);
              }
            });
  }

  private <T> void acquireAndSend(Call<T> call, Credentials credentials) {
    CompletableFuture<ConcurrencyLimiter.Permit> wait = limiter.acquire();
    call.permitWait = wait;
    if (call.ended()) {
      giveUpPermitWait(
          wait); // cancelled meanwhile; onEnded() may have run before permitWait was set
    }
    wait.whenComplete(
        (permit, error) -> {
          call.permitWait = null;
          if (error != null) { // no permit: drained on close, or given up by a cancelled call
            breaker.onNeutral();
            fail(call, exception(call, Kind.UNAVAILABLE, null, null, "client is closed", null));
            return;
          }
          if (call.ended()) { // cancelled while the permit was being handed over
            permit.ignore();
            breaker.onNeutral();
            return;
          }
          call.permit = permit;
          CompletableFuture<Void> rate = rateGate.acquire();
          call.rateWait = rate;
          if (call.ended()) {
            rate.cancel(false); // onEnded() may have run before rateWait was set
          }
          rate.whenComplete((ignored, rateError) -> sendWithPermit(call, credentials, rateError));
        });
  }

  /** Builds the request and sends it, once the call holds a permit and its rate token. */
  private <T> void sendWithPermit(Call<T> call, Credentials credentials, Throwable rateError) {
    call.rateWait = null;
    if (rateError != null || call.ended()) { // cancelled, or the scheduler stopped: closing
      ignorePermit(call);
      breaker.onNeutral();
      if (!call.ended()) {
        fail(call, exception(call, Kind.UNAVAILABLE, null, null, "client is closed", null));
      }
      return;
    }
    SimpleHttpRequest request = SimpleHttpRequest.create(call.method, call.uri);
    JSON_ONLY.forEach(request::addHeader);
    if (credentials != null) {
      for (Credentials.Header h : credentials.headers()) {
        request.addHeader(new MaskedHeader(h.name(), h.value().revealAsString()));
      }
    }
    if (call.body != null) {
      request.setBody(call.body, ContentType.APPLICATION_JSON);
    }
    if (Transport.isIoThread()) {
      // A caller that starts a call from a completion callback runs on an I/O thread;
      // HttpClient's HTTP/2 multiplexer then leaves streams beyond the server's
      // max-concurrent-streams stuck (seen: 156 of 256 with a 100-stream server). Hop off
      // the I/O thread before sending.
      try {
        scheduler.execute(() -> send(call, credentials, request));
      } catch (RuntimeException rejected) { // scheduler shut down: closing
        ignorePermit(call);
        breaker.onNeutral();
        fail(call, exception(call, Kind.UNAVAILABLE, null, null, "client is closed", null));
      }
    } else {
      send(call, credentials, request);
    }
  }

  /** Frees the call's slot, if it holds one, without a sample. */
  private static void ignorePermit(Call<?> call) {
    ConcurrencyLimiter.Permit permit = call.permit;
    call.permit = null;
    if (permit != null) {
      permit.ignore();
    }
  }

  private <T> void send(Call<T> call, Credentials credentials, SimpleHttpRequest request) {
    if (call.ended()) { // cancelled during the hop off the I/O thread
      ignorePermit(call);
      breaker.onNeutral();
      return;
    }
    call.attempts++;
    ConcurrencyLimiter.Permit permit = call.permit;
    if (permit != null) {
      permit.start();
    }
    long sentAt = System.nanoTime();
    CompletableFuture<SimpleHttpResponse> exchange = transport.send(request);
    call.exchange = exchange;
    if (call.ended()) {
      exchange.cancel(true); // cancelled meanwhile; onEnded() may have run before exchange was set
    }
    exchange.whenComplete(
        (response, ioError) -> {
          metrics.recordAttempt(call.op.tagValue(), System.nanoTime() - sentAt);
          reportToCapacity(call, response, ioError);
          call.exchange = null;
          if (call.ended()) {
            breaker.onNeutral(); // cancelled: the outcome says nothing about the server
            return;
          }
          try {
            if (ioError != null) {
              onIoError(call, ioError);
            } else {
              onResponse(call, credentials, response);
            }
          } catch (RuntimeException unexpected) {
            fail(
                call,
                exception(
                    call,
                    Kind.INVALID_RESPONSE,
                    null,
                    null,
                    "unexpected " + unexpected.getClass().getSimpleName(),
                    unexpected));
          }
        });
  }

  /**
   * Frees the call's slot and tells the limiter and the rate gate what the attempt says about the
   * server: a timeout, 429 or 503 is an overload signal (the in-flight limit shrinks; a 429 also
   * lowers the rate for every call); other answers are round-trip samples; refused connections,
   * other 5xx and cancellations say nothing about its load.
   */
  private void reportToCapacity(Call<?> call, SimpleHttpResponse response, Throwable ioError) {
    ConcurrencyLimiter.Permit permit = call.permit;
    call.permit = null;
    if (permit == null) {
      return;
    }
    if (call.ended()) {
      permit.ignore();
    } else if (ioError != null) {
      if (ioError instanceof SocketTimeoutException || ioError instanceof TimeoutException) {
        permit.dropped();
      } else {
        permit.ignore();
      }
    } else {
      int status = response.getCode();
      if (status == 429) {
        permit.dropped();
        rateGate.onRateLimited(retryAfter(response));
      } else {
        rateGate.onAccepted();
        if (status == 503) {
          permit.dropped();
        } else if (status >= 500) {
          permit.ignore();
        } else {
          permit.success();
        }
      }
    }
  }

  private <T> void onIoError(Call<T> call, Throwable error) {
    Transport.ResponseTooLargeException tooLarge = Transport.tooLarge(error);
    if (tooLarge != null) {
      // the server answered, with more than we accept: not its health, and no retry helps
      breaker.onNeutral();
      call.lastStatus = tooLarge.status();
      fail(call, exception(call, Kind.INVALID_RESPONSE, null, null, tooLarge.getMessage(), null));
      return;
    }
    breaker.onFailure();
    boolean timeout = error instanceof SocketTimeoutException || error instanceof TimeoutException;
    call.lastStatus = 0;
    retryOrFail(
        call,
        timeout ? "timeout" : "io_error",
        null,
        timeout ? Kind.TIMEOUT : Kind.UNAVAILABLE,
        (timeout ? "no response in time: " : "I/O error: ")
            + error.getClass().getSimpleName()
            + (error.getMessage() == null ? "" : " (" + error.getMessage() + ")"),
        error);
  }

  private <T> void onResponse(Call<T> call, Credentials credentials, SimpleHttpResponse response) {
    int status = response.getCode();
    call.lastStatus = status;
    if (status >= 200 && status < 300) {
      breaker.onSuccess();
      T value;
      try {
        value = Json.read(response.getBodyBytes(), call.type);
      } catch (Json.InvalidJsonException e) {
        fail(
            call,
            exception(
                call,
                Kind.INVALID_RESPONSE,
                null,
                null,
                e.getMessage() + contentTypeText(response),
                null));
        return;
      }
      String problem = call.check == null ? null : call.check.apply(value);
      if (problem != null) {
        fail(call, exception(call, Kind.INVALID_RESPONSE, null, null, problem, null));
      } else {
        succeed(call, value);
      }
      return;
    }
    if (status >= 300 && status < 400) {
      // a redirect is never followed (a captive proxy, a wrong URL); it proves nothing about the
      // API
      breaker.onNeutral();
      fail(
          call,
          exception(
              call, Kind.INVALID_RESPONSE, null, null, Transport.redirectText(response), null));
      return;
    }
    Duration retryAfter = retryAfter(response);
    switch (status) {
      case 408, 500, 502, 503, 504 -> {
        breaker.onFailure();
        retryOrFail(
            call,
            "http_" + status,
            retryAfter,
            Kind.UNAVAILABLE,
            describe(response, credentials),
            null);
      }
      case 429 -> {
        breaker.onNeutral();
        metrics.rateLimited();
        retryOrFail(
            call, "http_429", retryAfter, Kind.RATE_LIMITED, describe(response, credentials), null);
      }
      case 401 -> {
        breaker.onSuccess();
        String code = bearerError(response);
        if (credentials != null && !call.authRetried) {
          // RFC 6750 section 3.1: invalid_token means get a new token; do it once for this call
          call.authRetried = true;
          metrics.retry(call.op.tagValue(), "unauthorized");
          LOG.debug(
              "{} {}: HTTP 401 ({}), renewing the credentials and retrying once",
              call.op.tagValue(),
              idText(call),
              code);
          authenticator
              .renewAfterRejection(credentials)
              .whenComplete(
                  (fresh, error) -> {
                    if (call.ended()) {
                      return; // cancelled while the token was renewed
                    }
                    if (error != null) {
                      failWithTokenError(call, error);
                    } else {
                      attempt(call);
                    }
                  });
        } else {
          fail(
              call,
              exception(
                  call, Kind.UNAUTHORIZED, null, code, describe(response, credentials), null));
        }
      }
      case 403 -> {
        breaker.onSuccess();
        String code = bearerError(response);
        fail(
            call,
            exception(call, Kind.FORBIDDEN, null, code, describe(response, credentials), null));
      }
      case 404 -> {
        breaker.onSuccess();
        fail(
            call,
            exception(call, Kind.NOT_FOUND, null, null, describe(response, credentials), null));
      }
      default -> {
        if (status >= 400 && status < 500) {
          breaker.onSuccess();
          fail(
              call,
              exception(call, Kind.BAD_REQUEST, null, null, describe(response, credentials), null));
        } else if (status >= 500) {
          breaker.onFailure();
          fail(
              call,
              exception(call, Kind.UNAVAILABLE, null, null, describe(response, credentials), null));
        } else {
          breaker.onSuccess();
          fail(
              call,
              exception(
                  call,
                  Kind.INVALID_RESPONSE,
                  null,
                  null,
                  "unexpected HTTP status " + status,
                  null));
        }
      }
    }
  }

  private <T> void retryOrFail(
      Call<T> call, String reason, Duration retryAfter, Kind kind, String detail, Throwable cause) {
    call.transientFailures++;
    if (call.transientFailures < config.retryPolicy().maxAttempts() && !closed.get()) {
      Duration delay =
          Backoff.delay(
              config.retryPolicy(),
              call.transientFailures,
              retryAfter,
              ThreadLocalRandom.current()::nextDouble);
      metrics.retry(call.op.tagValue(), reason);
      LOG.debug(
          "{} {}: attempt {} failed ({}: {}), retrying in {} ms",
          call.op.tagValue(),
          idText(call),
          call.attempts,
          reason,
          detail,
          delay.toMillis());
      try {
        ScheduledFuture<?> task =
            scheduler.schedule(() -> attempt(call), delay.toNanos(), TimeUnit.NANOSECONDS);
        call.retryTask = task;
        if (call.ended()) {
          task.cancel(
              false); // cancelled meanwhile; onEnded() may have run before retryTask was set
        }
      } catch (RuntimeException rejected) {
        fail(call, exception(call, Kind.UNAVAILABLE, retryAfter, null, "client is closed", null));
      }
      return;
    }
    fail(call, exception(call, kind, retryAfter, null, detail + " (retries exhausted)", cause));
  }

  private <T> void failWithTokenError(Call<T> call, Throwable error) {
    AuthException ae = AuthException.find(error);
    if (ae != null && ae.kind() == AuthException.Kind.CLOSED) {
      fail(call, exception(call, Kind.UNAVAILABLE, null, null, "client is closed", null));
      return;
    }
    TwikitException te = tokenException(error);
    fail(
        call,
        te.forCall(
            call.op, call.id, call.attempts, "could not obtain credentials: " + te.getMessage()));
  }

  /**
   * The auth layer's failure as a {@link TwikitOperation#TOKEN} failure: LOGIN_REQUIRED and
   * STORE_FAILED need an operator like CREDENTIALS_REJECTED; CLOSED is the closed client.
   */
  static TwikitException tokenException(Throwable error) {
    AuthException ae = AuthException.find(error);
    if (ae == null) {
      return TwikitException.unwrap(error)
          .orElseGet(
              () ->
                  new TwikitException(
                      Kind.UNAVAILABLE,
                      TwikitOperation.TOKEN,
                      null,
                      0,
                      0,
                      null,
                      null,
                      "token request failed: " + error.getClass().getSimpleName(),
                      error));
    }
    Kind kind =
        switch (ae.kind()) {
          case CREDENTIALS_REJECTED, LOGIN_REQUIRED, STORE_FAILED -> Kind.CREDENTIALS_REJECTED;
          case RATE_LIMITED -> Kind.RATE_LIMITED;
          case UNAVAILABLE, CLOSED -> Kind.UNAVAILABLE;
          case TIMEOUT -> Kind.TIMEOUT;
          case INVALID_RESPONSE -> Kind.INVALID_RESPONSE;
        };
    return new TwikitException(
        kind,
        TwikitOperation.TOKEN,
        null,
        ae.status(),
        ae.kind() == AuthException.Kind.CLOSED ? 0 : 1,
        ae.retryAfter().orElse(null),
        ae.code().orElse(null),
        ae.kind() == AuthException.Kind.CLOSED ? "client is closed" : ae.getMessage(),
        ae);
  }

  private TwikitException exception(
      Call<?> call, Kind kind, Duration retryAfter, String code, String detail, Throwable cause) {
    String c = code;
    return new TwikitException(
        kind, call.op, call.id, call.lastStatus, call.attempts, retryAfter, c, detail, cause);
  }

  private <T> void succeed(Call<T> call, T value) {
    open.remove(call);
    metrics.recordCall(
        call.op.tagValue(),
        "success",
        ClientMetrics.statusClass(call.lastStatus),
        System.nanoTime() - call.startNanos);
    call.result.complete(value);
  }

  private <T> void fail(Call<T> call, TwikitException e) {
    open.remove(call);
    if (call.result.isDone()) {
      return;
    }
    metrics.recordCall(
        call.op.tagValue(),
        e.kind().name().toLowerCase(java.util.Locale.ROOT),
        ClientMetrics.statusClass(e.httpStatus()),
        System.nanoTime() - call.startNanos);
    LOG.debug("{}", e.getMessage());
    call.result.completeExceptionally(e);
  }

  /** " (Content-Type x)" for a body that is not JSON, e.g. a captive portal's HTML page. */
  private static String contentTypeText(SimpleHttpResponse response) {
    Header h = response.getFirstHeader(HttpHeaders.CONTENT_TYPE);
    if (h == null || h.getValue() == null) {
      return " (no Content-Type)";
    }
    String v = h.getValue();
    return " (Content-Type " + (v.length() > 80 ? v.substring(0, 80) + "..." : v) + ")";
  }

  /**
   * Null when every requested id is in {@code updated} or {@code notFound}, else the problem (at
   * most 5 ids named).
   */
  static String unaccounted(List<String> requested, BatchUpdateResult result) {
    Set<String> answered = new HashSet<>(result.updated());
    answered.addAll(result.notFound());
    List<String> missing = new ArrayList<>();
    for (String id : new LinkedHashSet<>(requested)) {
      if (!answered.contains(id)) {
        missing.add(id);
      }
    }
    if (missing.isEmpty()) {
      return null;
    }
    return "batch result does not account for ids "
        + (missing.size() > 5
            ? missing.subList(0, 5) + " and " + (missing.size() - 5) + " more"
            : missing)
        + " ("
        + missing.size()
        + " of "
        + new LinkedHashSet<>(requested).size()
        + " requested ids neither updated nor notFound)";
  }

  private Duration retryAfter(SimpleHttpResponse response) {
    Header h = response.getFirstHeader(HttpHeaders.RETRY_AFTER);
    return h == null ? null : RetryAfter.parse(h.getValue(), config.clock()).orElse(null);
  }

  /**
   * The {@code error} parameter of a {@code WWW-Authenticate: Bearer} challenge (RFC 6750 section
   * 3).
   */
  static String bearerError(SimpleHttpResponse response) {
    Header h = response.getFirstHeader(HttpHeaders.WWW_AUTHENTICATE);
    if (h == null || h.getValue() == null) {
      return null;
    }
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("error=\"?([A-Za-z0-9_\\-]+)\"?").matcher(h.getValue());
    return m.find() ? m.group(1) : null;
  }

  /**
   * The API error body's code and message, scrubbed of the credentials and the client secret, at
   * most 200 chars.
   */
  private String describe(SimpleHttpResponse response, Credentials credentials) {
    String[] err = Json.errorOf(response.getBodyBytes());
    StringBuilder sb = new StringBuilder("HTTP ").append(response.getCode());
    if (err[0] != null) {
      sb.append(' ').append(err[0]);
    }
    String msg = err[1];
    if (msg != null && !msg.isBlank()) {
      msg = scrub(msg, credentials);
      Secret secret = config.clientSecret();
      if (secret != null && secret.isContainedIn(msg)) {
        msg = "(message withheld)";
      }
      sb.append(": ").append(msg.length() > 200 ? msg.substring(0, 200) + "..." : msg);
    }
    return sb.toString();
  }

  /** Replaces every credential value (and a bearer token on its own) in {@code msg} by ****. */
  private static String scrub(String msg, Credentials credentials) {
    if (credentials == null) {
      return msg;
    }
    String out = msg;
    for (Credentials.Header h : credentials.headers()) {
      String v = h.value().revealAsString();
      int space = v.indexOf(' ');
      if (h.name().equalsIgnoreCase(HttpHeaders.AUTHORIZATION) && space > 0) {
        v = v.substring(space + 1).strip(); // the token without its scheme
      }
      if (!v.isEmpty() && out.contains(v)) {
        out = out.replace(v, "****");
      }
    }
    return out;
  }

  private static String idText(Call<?> call) {
    return call.id == null ? "" : call.id;
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (CompletableFuture<ConcurrencyLimiter.Permit> waiter : limiter.drain()) {
      waiter.completeExceptionally(new IllegalStateException("client closed"));
    }
    authenticator.close();
    transport.close();
    scheduler.shutdownNow();
    for (Call<?> call : new ArrayList<>(open)) {
      fail(call, exception(call, Kind.UNAVAILABLE, null, null, "client is closed", null));
    }
    metrics.close();
  }

  @Override
  public String toString() {
    return "TwikitClient["
        + config.clientName()
        + ", apiUrl="
        + config.apiUrl()
        + ", auth="
        + authenticator.describe()
        + "]";
  }
}
