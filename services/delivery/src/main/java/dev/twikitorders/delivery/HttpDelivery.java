package dev.twikitorders.delivery;

import dev.twikitorders.auth.AuthException;
import dev.twikitorders.auth.Authenticator;
import dev.twikitorders.auth.Credentials;
import dev.twikitorders.auth.http.RetryAfter;
import dev.twikitorders.capacity.ConcurrencyLimiter;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;

/**
 * Sends {@link DeliveryRequest}s to one endpoint with {@link java.net.http.HttpClient} and
 * classifies the answers ({@link DeliveryResult}).
 *
 * <ul>
 *   <li>Credentials come from an {@link Authenticator} per request; a 401 renews them once ({@link
 *       Authenticator#renewAfterRejection}) and the request is sent once more. A second 401, a 403,
 *       or an authenticator failure that needs an operator is a {@link
 *       DeliveryResult.CredentialsProblem}; a transient authenticator failure is {@link
 *       DeliveryResult.Retryable} with its retry-after.
 *   <li>2xx: {@link DeliveryResult.Delivered}. I/O error, timeout, 408, 429, 5xx and unexpected
 *       1xx/3xx: {@link DeliveryResult.Retryable} with {@code Retry-After} (seconds or HTTP date)
 *       when sent. Other 4xx: {@link DeliveryResult.Rejected} with the body's first 1 KB, every
 *       credential value sent scrubbed out.
 *   <li>Redirects are never followed; HTTP/1.1; connect timeout and a per-request response timeout.
 *       Of a response body at most {@value #MAX_BODY_BYTES} bytes are kept.
 * </ul>
 *
 * <p><b>Capacity.</b> With a {@link DeliveryCapacity}, every request first obtains its credentials,
 * then waits for a slot of the limiter (requests in flight over all partitions), then for a rate
 * token, and reports its answer to both (see {@link DeliveryCapacity}); a 401 and the request sent
 * again with renewed credentials hold one slot. Without one, requests go at once.
 *
 * <p>Never blocks: {@link #send} returns a future completed on an HTTP client or scheduler thread;
 * it never completes exceptionally except when cancelled (cancelling it gives up its place in the
 * queues or aborts the exchange in progress). Thread-safe; one instance serves any number of
 * partitions. {@link #close()} closes the HTTP client and fails the requests waiting for a slot
 * (not the authenticator).
 */
public final class HttpDelivery implements AutoCloseable {

  /** Response body bytes kept for the rejection excerpt. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  /** Characters of a rejection excerpt. */
  public static final int EXCERPT_CHARS = 1024;

  private static final String SCRUBBED = "***";

  private final URI endpoint;
  private final Authenticator authenticator;
  private final HttpClient client;
  private final Duration responseTimeout;
  private final Clock clock;
  private final DeliveryCapacity capacity; // null: no limits

  /** How an answer (or its absence) tells of the endpoint's load. */
  private enum Load {
    /** A round trip of a healthy endpoint: 2xx, 4xx other than 408 and 429. */
    SAMPLE,
    /** Overload: a timeout, 408, 503. */
    OVERLOAD,
    /** 429: overload, and the rate goes down for everybody. */
    RATE_LIMITED,
    /** Nothing: refused connection, other 5xx and 1xx/3xx, cancelled, credentials unavailable. */
    NOTHING
  }

  /**
   * As {@link #HttpDelivery(URI, Authenticator, SSLContext, Duration, Duration, Clock,
   * DeliveryCapacity)} without limits: every request goes at once.
   */
  public HttpDelivery(
      URI endpoint,
      Authenticator authenticator,
      SSLContext sslContext,
      Duration connectTimeout,
      Duration responseTimeout,
      Clock clock) {
    this(endpoint, authenticator, sslContext, connectTimeout, responseTimeout, clock, null);
  }

  /**
   * @param endpoint the URL every request is posted to
   * @param authenticator the credentials (the caller keeps owning it)
   * @param sslContext trust (and client certificate) for https, null for the JVM default; build it
   *     from {@link dev.twikitorders.auth.tls.TlsSettings} with {@link
   *     dev.twikitorders.auth.tls.SslContexts#build}
   * @param connectTimeout TCP and TLS connect timeout
   * @param responseTimeout longest wait for a complete response
   * @param clock for {@code Retry-After} dates
   * @param capacity the limit of requests in flight and the rate gate every request goes through
   *     (shared with whoever else uses it; the caller keeps owning it), null for none
   */
  public HttpDelivery(
      URI endpoint,
      Authenticator authenticator,
      SSLContext sslContext,
      Duration connectTimeout,
      Duration responseTimeout,
      Clock clock,
      DeliveryCapacity capacity) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
      throw new IllegalArgumentException(
          "delivery endpoint must be an http or https URL, was " + endpoint);
    }
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    positive(connectTimeout, "connectTimeout");
    positive(responseTimeout, "responseTimeout");
    this.responseTimeout = responseTimeout;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.capacity = capacity;
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(connectTimeout)
            .version(HttpClient.Version.HTTP_1_1);
    if (sslContext != null) {
      b.sslContext(sslContext);
    }
    this.client = b.build();
  }

  /** The endpoint requests go to. */
  public URI endpoint() {
    return endpoint;
  }

  /** The limits requests go through, or null for none. */
  public DeliveryCapacity capacity() {
    return capacity;
  }

  /**
   * Sends {@code request} (once, or twice after a 401) and classifies the answer; with a {@link
   * DeliveryCapacity}, after waiting for a slot and a rate token.
   */
  public CompletableFuture<DeliveryResult> send(DeliveryRequest request) {
    Exchange x = new Exchange(request);
    x.begin();
    return x.result;
  }

  /** One {@link #send}: credentials, slot, rate token, request(s), report. */
  private final class Exchange {
    final DeliveryRequest request;
    final CompletableFuture<DeliveryResult> result = new CompletableFuture<>();
    final List<Credentials> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    final AtomicReference<CompletableFuture<?>> current = new AtomicReference<>();
    volatile CompletableFuture<ConcurrencyLimiter.Permit> permitWait;
    volatile CompletableFuture<Void> rateWait;

    Exchange(DeliveryRequest request) {
      this.request = request;
    }

    void begin() {
      // cancelling the result gives up the waits and aborts the exchange in progress
      result.whenComplete(
          (r, t) -> {
            if (!result.isCancelled()) {
              return;
            }
            CompletableFuture<ConcurrencyLimiter.Permit> w = permitWait;
            if (w != null && capacity.limiter().cancel(w)) {
              w.cancel(false);
            }
            CompletableFuture<Void> rw = rateWait;
            if (rw != null) {
              rw.cancel(false);
            }
            CompletableFuture<?> f = current.get();
            if (f != null) {
              f.cancel(true);
            }
          });
      authenticator
          .credentials()
          .whenComplete(
              (c, error) -> {
                if (error != null) {
                  finish(null, failure(error));
                } else if (capacity == null) {
                  exchange(c, null);
                } else {
                  acquire(c);
                }
              });
    }

    private void acquire(Credentials c) {
      CompletableFuture<ConcurrencyLimiter.Permit> wait = capacity.limiter().acquire();
      permitWait = wait;
      if (result.isDone() && capacity.limiter().cancel(wait)) {
        return; // cancelled meanwhile, before the wait was visible to the cancellation
      }
      wait.whenComplete(
          (permit, error) -> {
            permitWait = null;
            if (error != null) { // drained on close, or given up after a cancellation
              finish(null, closing());
              return;
            }
            if (result.isDone()) {
              permit.ignore();
              return;
            }
            CompletableFuture<Void> rate = capacity.rateGate().acquire();
            rateWait = rate;
            if (result.isDone()) {
              rate.cancel(false);
            }
            rate.whenComplete(
                (ok, rateError) -> {
                  rateWait = null;
                  if (rateError != null || result.isDone()) {
                    permit.ignore();
                    finish(null, closing());
                    return;
                  }
                  permit.start();
                  exchange(c, permit);
                });
          });
    }

    private void exchange(Credentials c, ConcurrencyLimiter.Permit permit) {
      if (result.isDone()) {
        report(permit, Load.NOTHING, null);
        return;
      }
      sent.add(c);
      postUnlessCancelled(c)
          .thenCompose(
              r -> {
                if (r.statusCode() != 401) {
                  return CompletableFuture.completedFuture(r);
                }
                return authenticator
                    .renewAfterRejection(c)
                    .thenCompose(
                        fresh -> {
                          sent.add(fresh);
                          return postUnlessCancelled(fresh);
                        });
              })
          .whenComplete(
              (r, error) -> {
                if (error != null) {
                  Throwable e = unwrap(error);
                  boolean timeout =
                      e instanceof HttpTimeoutException
                          && !(e instanceof HttpConnectTimeoutException);
                  report(permit, timeout && !result.isDone() ? Load.OVERLOAD : Load.NOTHING, null);
                  finish(permit, failure(error));
                  return;
                }
                DeliveryResult d = classify(r, sent);
                report(permit, load(r.statusCode()), d);
                finish(permit, d);
              });
    }

    /** Posts; a cancellation that came before the exchange was visible to it aborts it. */
    private CompletableFuture<HttpResponse<byte[]>> postUnlessCancelled(Credentials c) {
      CompletableFuture<HttpResponse<byte[]>> f = post(request, c, current);
      if (result.isCancelled()) {
        f.cancel(true);
      }
      return f;
    }

    /** Completes the result with {@code r}; null (a cancellation) cancels it. */
    private void finish(ConcurrencyLimiter.Permit permit, DeliveryResult r) {
      if (permit != null) {
        permit.ignore(); // already reported: does nothing then
      }
      if (r == null) {
        result.cancel(false);
      } else {
        result.complete(r);
      }
    }
  }

  private static DeliveryResult closing() {
    return new DeliveryResult.Retryable(0, "delivery is closing", Optional.empty());
  }

  private static Load load(int status) {
    if (status == 429) {
      return Load.RATE_LIMITED;
    }
    if (status == 408 || status == 503) {
      return Load.OVERLOAD;
    }
    if (status >= 200 && status < 300 || status >= 400 && status < 500) {
      return Load.SAMPLE;
    }
    return Load.NOTHING;
  }

  /** Frees {@code permit} (if any) telling the limiter and the rate gate what the answer says. */
  private void report(ConcurrencyLimiter.Permit permit, Load load, DeliveryResult answer) {
    if (capacity == null || permit == null) {
      return;
    }
    switch (load) {
      case SAMPLE -> permit.success();
      case OVERLOAD -> permit.dropped();
      case RATE_LIMITED -> permit.dropped();
      case NOTHING -> permit.ignore();
    }
    if (load == Load.RATE_LIMITED) {
      capacity
          .rateGate()
          .onRateLimited(
              answer instanceof DeliveryResult.Retryable t ? t.retryAfter().orElse(null) : null);
    } else if (answer != null) {
      capacity.rateGate().onAccepted();
    }
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  private CompletableFuture<HttpResponse<byte[]>> post(
      DeliveryRequest request, Credentials c, AtomicReference<CompletableFuture<?>> current) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(endpoint)
            .timeout(responseTimeout)
            .header("Content-Type", DeliveryRequest.CONTENT_TYPE)
            .header("Accept", "application/json")
            .header("Idempotency-Key", request.idempotencyKey())
            .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
    c.headers().forEach(h -> b.header(h.name(), h.value().revealAsString()));
    CompletableFuture<HttpResponse<byte[]>> f =
        client.sendAsync(b.build(), info -> new BoundedBody(MAX_BODY_BYTES));
    current.set(f);
    return f;
  }

  private DeliveryResult classify(HttpResponse<byte[]> r, List<Credentials> sent) {
    int s = r.statusCode();
    Optional<Duration> retryAfter =
        r.headers().firstValue("Retry-After").flatMap(v -> RetryAfter.parse(v, clock));
    if (s >= 200 && s < 300) {
      return new DeliveryResult.Delivered(s);
    }
    if (s == 401 || s == 403) {
      return new DeliveryResult.CredentialsProblem(
          s,
          "HTTP "
              + s
              + " from "
              + endpoint
              + (s == 401 ? " after renewing credentials" : "")
              + " ("
              + authenticator.describe()
              + ")",
          retryAfter);
    }
    if (s == 408 || s == 429 || s >= 500) {
      return new DeliveryResult.Retryable(s, "HTTP " + s + " from " + endpoint, retryAfter);
    }
    if (s >= 400) {
      return new DeliveryResult.Rejected(s, excerpt(r.body(), sent));
    }
    return new DeliveryResult.Retryable(
        s,
        "unexpected HTTP " + s + " from " + endpoint + " (redirects are not followed)",
        retryAfter);
  }

  /** The body's first {@value #EXCERPT_CHARS} characters with every credential value scrubbed. */
  static String excerpt(byte[] body, List<Credentials> sent) {
    String text = new String(body, StandardCharsets.UTF_8);
    for (Credentials c : sent) {
      for (Credentials.Header h : c.headers()) {
        String secret = h.value().revealAsString();
        if (!secret.isEmpty()) {
          text = text.replace(secret, SCRUBBED);
        }
      }
    }
    if (text.length() > EXCERPT_CHARS) {
      text = text.substring(0, EXCERPT_CHARS);
    }
    // a secret cut at the excerpt's end would still show its beginning
    for (Credentials c : sent) {
      for (Credentials.Header h : c.headers()) {
        String secret = h.value().revealAsString();
        for (int n = Math.min(secret.length() - 1, text.length()); n >= 4; n--) {
          if (text.endsWith(secret.substring(0, n))) {
            text = text.substring(0, text.length() - n) + SCRUBBED;
            break;
          }
        }
      }
    }
    return text;
  }

  /** The result of a failed exchange; null for a cancellation. */
  private static DeliveryResult failure(Throwable t) {
    Throwable e = unwrap(t);
    if (e instanceof java.util.concurrent.CancellationException) {
      return null;
    }
    AuthException a = AuthException.find(e);
    if (a != null) {
      String reason = "credentials unavailable: " + a.kind() + " (" + a.getMessage() + ")";
      return a.kind().needsOperator()
          ? new DeliveryResult.CredentialsProblem(a.status(), reason, a.retryAfter())
          : new DeliveryResult.Retryable(a.status(), reason, a.retryAfter());
    }
    if (e instanceof HttpTimeoutException) {
      return new DeliveryResult.Retryable(
          0, "no answer in time: " + e.getMessage(), Optional.empty());
    }
    return new DeliveryResult.Retryable(
        0,
        "request failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
        Optional.empty());
  }

  private static void positive(Duration d, String name) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
  }

  @Override
  public void close() {
    if (capacity != null) {
      for (CompletableFuture<ConcurrencyLimiter.Permit> waiter : capacity.limiter().drain()) {
        waiter.completeExceptionally(new IllegalStateException("delivery closed"));
      }
    }
    client.shutdownNow();
  }

  @Override
  public String toString() {
    return "HttpDelivery[" + endpoint + ", " + authenticator.describe() + "]";
  }

  /** Keeps the first {@code limit} bytes of a body and discards the rest. */
  private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int limit;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();

    BoundedBody(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer b : items) {
        int n = Math.min(b.remaining(), limit - out.size());
        if (n > 0) {
          byte[] chunk = new byte[n];
          b.get(chunk);
          out.write(chunk, 0, n);
        }
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(out.toByteArray());
    }
  }
}
