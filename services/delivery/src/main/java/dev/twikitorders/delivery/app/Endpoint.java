package dev.twikitorders.delivery.app;

import dev.twikitorders.auth.AuthEvents;
import dev.twikitorders.auth.AuthException;
import dev.twikitorders.auth.AuthSettings;
import dev.twikitorders.auth.Authenticator;
import dev.twikitorders.auth.Authenticators;
import dev.twikitorders.auth.http.JdkAuthHttp;
import dev.twikitorders.auth.tls.SslContexts;
import dev.twikitorders.delivery.DeliveryCapacity;
import dev.twikitorders.delivery.HttpDelivery;
import dev.twikitorders.delivery.config.DeliveryConfig;
import dev.twikitorders.delivery.config.DeliverySettings;
import dev.twikitorders.settings.ConfigException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * The endpoint side of the delivery service, shared by {@code deliver} and {@code dlq redrive}: TLS
 * context, authenticator (its token requests over the same TLS settings) and the {@link
 * HttpDelivery} with the instance's {@link DeliveryCapacity} ({@code delivery.concurrency}, {@code
 * delivery.min.in.flight}, {@code delivery.max.in.flight}, {@code
 * delivery.max.requests.per.second}), with the scheduler their waits run on.
 *
 * <p>Thread-safe; {@link #close()} closes everything it opened.
 */
public final class Endpoint implements AutoCloseable {
  /** How long the start-up credential check waits for the identity provider. */
  static final Duration CREDENTIALS_CHECK_TIMEOUT = Duration.ofSeconds(60);

  private final ScheduledExecutorService scheduler;
  private final JdkAuthHttp authHttp;
  private final Authenticator authenticator;
  private final HttpDelivery http;

  private Endpoint(
      ScheduledExecutorService scheduler,
      JdkAuthHttp authHttp,
      Authenticator authenticator,
      HttpDelivery http) {
    this.scheduler = scheduler;
    this.authHttp = authHttp;
    this.authenticator = authenticator;
    this.http = http;
  }

  /**
   * Opens the endpoint's client and obtains credentials once, so that refused client credentials or
   * a missing login stop the start with a message naming the settings.
   *
   * @throws ConfigException when {@code delivery.url} or a setting of the auth scheme is missing,
   *     or the identity provider refuses the credentials
   * @throws DependencyUnavailableException when the identity provider does not answer in time
   */
  public static Endpoint open(DeliveryConfig config) {
    AuthSettings auth = config.requireEndpoint();
    DeliverySettings d = config.delivery();
    SSLContext ssl = d.tls().isDefault() ? null : SslContexts.build(d.tls());
    ScheduledExecutorService scheduler =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "delivery-scheduler");
              t.setDaemon(true);
              return t;
            });
    JdkAuthHttp authHttp = null;
    Authenticator authenticator = null;
    try {
      authHttp = new JdkAuthHttp(ssl, d.connectTimeout(), d.requestTimeout(), 1024 * 1024);
      Clock clock = Clock.systemUTC();
      authenticator = Authenticators.create(auth, authHttp, scheduler, AuthEvents.NOOP, clock);
      checkCredentials(authenticator);
      HttpDelivery http =
          new HttpDelivery(
              d.url(),
              authenticator,
              ssl,
              d.connectTimeout(),
              d.requestTimeout(),
              clock,
              DeliveryCapacity.create(d.concurrency(), d.maxRequestsPerSecond(), scheduler));
      return new Endpoint(scheduler, authHttp, authenticator, http);
    } catch (RuntimeException e) {
      if (authenticator != null) {
        authenticator.close();
      }
      if (authHttp != null) {
        authHttp.close();
      }
      scheduler.shutdownNow();
      throw e;
    }
  }

  private static void checkCredentials(Authenticator authenticator) {
    try {
      authenticator.credentials().get(CREDENTIALS_CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthException a && a.kind().needsOperator()) {
        throw new ConfigException(
            "the endpoint's credentials were refused ("
                + DeliverySettings.AUTH.scheme().key()
                + " and its settings): "
                + a.getMessage());
      }
      throw new DependencyUnavailableException(
          "cannot obtain credentials for the endpoint: "
              + (e.getCause() == null ? e : e.getCause().getMessage()));
    } catch (TimeoutException e) {
      throw new DependencyUnavailableException(
          "no credentials for the endpoint within " + CREDENTIALS_CHECK_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DependencyUnavailableException("interrupted while obtaining credentials");
    }
  }

  public HttpDelivery http() {
    return http;
  }

  /** The limit of requests in flight and the rate gate shared by every request. */
  public DeliveryCapacity capacity() {
    return http.capacity();
  }

  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /** The authentication in use, for logs (no secret). */
  public String describe() {
    return authenticator.describe();
  }

  @Override
  public void close() {
    http.close();
    authenticator.close();
    authHttp.close();
    scheduler.shutdownNow();
  }
}
