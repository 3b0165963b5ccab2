package dev.twikitorders.twikit.internal;

import dev.twikitorders.auth.AuthSettings;
import dev.twikitorders.auth.TokenEndpoint;
import dev.twikitorders.auth.http.Redirects;
import dev.twikitorders.auth.tls.SslContexts;
import dev.twikitorders.twikit.HttpProtocol;
import dev.twikitorders.twikit.TwikitClientConfig;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.client5.http.EndpointInfo;
import org.apache.hc.client5.http.async.AsyncExecRuntime;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.DefaultHostnameVerifier;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.core5.concurrent.DefaultThreadFactory;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.ProtocolVersion;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * One HttpClient 5 async client ({@link PoolingAsyncClientConnectionManager}) shared by API and
 * token calls. It sends one exchange per {@link #send} call and never retries on its own (automatic
 * retries and redirects are disabled: every retry is the caller's, deliberate and counted, and a
 * 3xx is handed to the caller as it is). Bodies are read into memory by a {@link
 * BoundedResponseConsumer} that refuses any body over {@link TwikitClientConfig#maxResponseBytes()}
 * ({@link ResponseTooLargeException}); HttpClient releases the connection back to the pool when the
 * exchange completes, and discards it when the exchange fails or is cancelled.
 *
 * <p>Cancelling the future returned by {@link #send} cancels the HTTP exchange.
 *
 * <p>Besides HttpClient's response timeout (socket inactivity), every exchange has a hard deadline
 * enforced on the scheduler: it also bounds HTTP/2 streams, whose connection may stay active for
 * other streams.
 *
 * <p>TLS (for {@code https://} URLs, or whenever {@link TwikitClientConfig#tls()} is not the
 * default): the context {@link SslContexts#build} makes of {@link TwikitClientConfig#tls()}, with
 * host name verification always on. Unusable TLS material fails the constructor with a {@link
 * dev.twikitorders.auth.tls.TlsMaterialException} naming the file.
 *
 * <p>HttpClient's wire log (raw bytes, which would include bearer tokens) is switched off by
 * installing an identity I/O session decorator.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class Transport implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Transport.class);

  /** The hard per-exchange deadline passed. */
  public static final class DeadlineExceededException extends TimeoutException {
    private static final long serialVersionUID = 1L;

    DeadlineExceededException(Duration d) {
      super("no response within " + d.toMillis() + " ms");
    }
  }

  /**
   * The response body is larger than {@link TwikitClientConfig#maxResponseBytes()}: refused by its
   * Content-Length or while reading; the rest of it was never read.
   */
  public static final class ResponseTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int status;

    ResponseTooLargeException(int status, int limit, long contentLength) {
      super(
          "response body larger than "
              + limit
              + " bytes"
              + (contentLength >= 0 ? " (Content-Length " + contentLength + ")" : ""));
      this.status = status;
    }

    /** The HTTP status of the refused response. */
    public int status() {
      return status;
    }
  }

  /** Context attribute carrying an exchange's {@link Abort}. */
  private static final String ABORT = "dev.twikitorders.twikit.abort";

  /**
   * Lets a cancelled HTTP/1.1 exchange close its connection. HttpClient 5.6's {@code Future.cancel}
   * misses exchanges whose pooled connection was leased at once: the connect step then records the
   * (finished) lease as the future's cancellable after the exchange recorded its own, so cancelling
   * reaches the lease only and the exchange runs on until its response timeout, holding its
   * connection. An exec interceptor hands each exchange's runtime to this holder, and {@link
   * #abort} discards the connection. HTTP/2 connections are shared by other streams and are left
   * alone (there the future's cancel is all there is).
   */
  private static final class Abort {
    private final AtomicReference<AsyncExecRuntime> runtime = new AtomicReference<>();
    private volatile boolean aborted;

    void attach(AsyncExecRuntime r) {
      runtime.set(r);
      if (aborted) {
        discard(r);
      }
    }

    void abort() {
      aborted = true;
      AsyncExecRuntime r = runtime.get();
      if (r != null) {
        discard(r);
      }
    }

    private static void discard(AsyncExecRuntime r) {
      try {
        EndpointInfo info = r.getEndpointInfo();
        ProtocolVersion v = info == null ? null : info.getProtocol();
        if (v == null || !v.greaterEquals(HttpVersion.HTTP_2)) {
          r.discardEndpoint(); // closes the connection; the exchange then fails, already abandoned
        }
      } catch (RuntimeException noEndpoint) {
        // released or never connected: nothing to close
      }
    }
  }

  private static final String IO_THREAD_PREFIX = "twikit-client-io";

  private final CloseableHttpAsyncClient client;
  private final ScheduledExecutorService scheduler;
  private final Duration deadline;
  private final int maxResponseBytes;

  public Transport(TwikitClientConfig config, ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
    this.deadline = config.connectTimeout().plus(config.responseTimeout());
    this.maxResponseBytes = config.maxResponseBytes();
    HttpVersionPolicy versionPolicy =
        switch (config.httpProtocol()) {
          case HTTP_1_1 -> HttpVersionPolicy.FORCE_HTTP_1;
          case HTTP_2 -> HttpVersionPolicy.FORCE_HTTP_2;
          case NEGOTIATE -> HttpVersionPolicy.NEGOTIATE;
        };
    PoolingAsyncClientConnectionManagerBuilder pool =
        PoolingAsyncClientConnectionManagerBuilder.create()
            .setMaxConnTotal(config.maxConnections())
            .setMaxConnPerRoute(config.maxConnections())
            .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.STRICT)
            .setMessageMultiplexing(config.httpProtocol() == HttpProtocol.HTTP_2)
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    .setConnectTimeout(timeout(config.connectTimeout()))
                    .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                    .build())
            .setDefaultTlsConfig(
                TlsConfig.custom()
                    .setVersionPolicy(versionPolicy)
                    .setHandshakeTimeout(timeout(config.connectTimeout()))
                    .build());
    if (config.apiUrl().getScheme().equalsIgnoreCase("https")
        || authUsesHttps(config)
        || !config.tls().isDefault()) {
      pool.setTlsStrategy(
          ClientTlsStrategyBuilder.create()
              .setSslContext(SslContexts.build(config.tls()))
              .setHostVerificationPolicy(HostnameVerificationPolicy.BOTH)
              .setHostnameVerifier(new DefaultHostnameVerifier())
              .buildAsync());
    }
    this.client =
        HttpAsyncClients.custom()
            .setConnectionManager(pool.build())
            .setIOReactorConfig(
                IOReactorConfig.custom()
                    .setIoThreadCount(
                        Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())))
                    .build())
            .setDefaultRequestConfig(
                RequestConfig.custom()
                    .setResponseTimeout(timeout(config.responseTimeout()))
                    .setConnectionRequestTimeout(timeout(deadline))
                    .build())
            .addExecInterceptorBefore(
                ChainElement.MAIN_TRANSPORT.name(),
                "twikit-abort",
                (request, entity, scope, chain, callback) -> {
                  if (scope.clientContext.getAttribute(ABORT) instanceof Abort abort) {
                    abort.attach(scope.execRuntime);
                  }
                  chain.proceed(request, entity, scope, callback);
                })
            .disableAutomaticRetries()
            .disableRedirectHandling()
            .disableCookieManagement()
            .disableAuthCaching()
            .disableConnectionState()
            .setIoSessionDecorator(session -> session)
            .setIoReactorExceptionCallback(Transport::reactorFailed)
            .setThreadFactory(new DefaultThreadFactory(IO_THREAD_PREFIX, true))
            .setUserAgent("twikit-client")
            .evictIdleConnections(TimeValue.ofSeconds(30))
            .build();
    client.start();
  }

  /**
   * Sends one exchange. The future completes with the response (any status) or exceptionally with
   * the I/O error, {@link java.net.SocketTimeoutException}, {@link DeadlineExceededException} or
   * {@link ResponseTooLargeException}. Cancelling it cancels the exchange.
   */
  public CompletableFuture<SimpleHttpResponse> send(SimpleHttpRequest request) {
    CompletableFuture<SimpleHttpResponse> result = new CompletableFuture<>();
    Abort abort = new Abort();
    HttpClientContext context = HttpClientContext.create();
    context.setAttribute(ABORT, abort);
    Future<SimpleHttpResponse> exchange;
    try {
      exchange =
          client.execute(
              SimpleRequestProducer.create(request),
              new BoundedResponseConsumer(maxResponseBytes),
              context,
              new FutureCallback<>() {
                @Override
                public void completed(SimpleHttpResponse response) {
                  result.complete(response);
                }

                @Override
                public void failed(Exception ex) {
                  result.completeExceptionally(ex);
                }

                @Override
                public void cancelled() {
                  result.completeExceptionally(new IOException("exchange cancelled"));
                }
              });
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
      return result;
    }
    ScheduledFuture<?> timer;
    try {
      timer =
          scheduler.schedule(
              () -> {
                if (result.completeExceptionally(new DeadlineExceededException(deadline))) {
                  exchange.cancel(true);
                  abort.abort();
                }
              },
              deadline.toNanos(),
              TimeUnit.NANOSECONDS);
    } catch (RuntimeException rejected) { // scheduler shut down: the client is closing
      exchange.cancel(true);
      result.completeExceptionally(new IOException("client closed"));
      return result;
    }
    result.whenComplete(
        (r, e) -> {
          timer.cancel(false);
          if (result.isCancelled()) {
            exchange.cancel(true); // the caller gave up: abort the exchange, drop the connection
            abort.abort();
          }
        });
    return result;
  }

  /** The {@link ResponseTooLargeException} in {@code error} or its causes, or null. */
  public static ResponseTooLargeException tooLarge(Throwable error) {
    for (Throwable c = error; c != null; c = c.getCause()) {
      if (c instanceof ResponseTooLargeException e) {
        return e;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }

  /** How an unfollowed redirect is reported (status and Location host only). */
  public static String redirectText(SimpleHttpResponse response) {
    Header h = response.getFirstHeader(HttpHeaders.LOCATION);
    return Redirects.describe(response.getCode(), h == null ? null : h.getValue());
  }

  /**
   * An exception an I/O reactor thread could not hand to a request. HttpCore logs these at ERROR
   * with a stack trace by default; the one every shutdown with open TLS connections produces (the
   * reactor closing its channels after {@link #close()} closed its selector) is not a failure.
   */
  private static void reactorFailed(Exception e) {
    if (e instanceof java.nio.channels.ClosedSelectorException) {
      LOG.debug("I/O reactor stopped while closing its connections", e);
    } else {
      LOG.warn("Twikit client I/O reactor: {}", e.toString(), e);
    }
  }

  /** Whether the current thread is one of the clients' I/O reactor threads. */
  public static boolean isIoThread() {
    return Thread.currentThread().getName().startsWith(IO_THREAD_PREFIX);
  }

  @Override
  public void close() {
    // a graceful shutdown first: an immediate one races the I/O threads' selectors and logs
    // ClosedSelectorException at ERROR
    client.initiateShutdown();
    try {
      client.awaitShutdown(TimeValue.ofMilliseconds(500));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    client.close(CloseMode.IMMEDIATE);
  }

  /** Whether the token endpoint or issuer of an OAuth 2.0 scheme is https. */
  private static boolean authUsesHttps(TwikitClientConfig config) {
    TokenEndpoint e =
        switch (config.auth()) {
          case AuthSettings.ClientCredentials c -> c.endpoint();
          case AuthSettings.RefreshToken r -> r.endpoint();
          default -> null;
        };
    if (e == null) {
      return false;
    }
    URI u = e.tokenUrl().or(e::issuer).orElseThrow();
    return "https".equalsIgnoreCase(u.getScheme());
  }

  private static Timeout timeout(Duration d) {
    return Timeout.ofMilliseconds(Math.max(1, d.toMillis()));
  }
}
