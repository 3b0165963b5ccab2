package dev.twikitorders.sandbox;

import dev.twikitorders.sandbox.admin.AdminHandler;
import dev.twikitorders.sandbox.api.ApiHandler;
import dev.twikitorders.sandbox.api.Operation;
import dev.twikitorders.sandbox.auth.ClientCredentials;
import dev.twikitorders.sandbox.auth.TokenEndpoint;
import dev.twikitorders.sandbox.auth.TokenService;
import dev.twikitorders.sandbox.counters.CounterRecorder;
import dev.twikitorders.sandbox.counters.Counters;
import dev.twikitorders.sandbox.data.ConfigurationStore;
import dev.twikitorders.sandbox.data.Json;
import dev.twikitorders.sandbox.data.Rendered;
import dev.twikitorders.sandbox.data.SeedConfiguration;
import dev.twikitorders.sandbox.faults.FaultController;
import dev.twikitorders.sandbox.faults.Faults;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running local stand-in for the Twikit REST API and its OAuth 2.0 token endpoint, for tests and
 * local runs. Start one per test class (or per test) on a free port:
 *
 * <pre>{@code
 * try (TwikitSandbox sb = TwikitSandbox.start(SandboxConfig.builder()
 *     .port(0).clientId("demo").clientSecret("demo-secret")
 *     .latency(Duration.ZERO).tokenTtl(Duration.ofHours(1)).build())) {
 *   URI api = sb.apiUrl();        // http://127.0.0.1:<port>
 *   URI token = sb.tokenUrl();    // http://127.0.0.1:<port>/oauth2/token
 *   sb.failNext(2, 503);          // the next two API calls answer 503
 *   ...
 *   Counters c = sb.counters();   // what the client really sent
 * }
 * }</pre>
 *
 * <p>Every control of the admin API ({@code /_sandbox/}) is a method here. Controls take effect for
 * requests that arrive after the call returns. The server runs on Vert.x event loops (one HTTP
 * server per loop, HTTP/1.1 and h2c); injected latency uses timers, never a blocked thread.
 *
 * <p>Thread-safe: every method may be called from any thread, also while requests are served.
 */
public final class TwikitSandbox implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TwikitSandbox.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final SandboxConfig config;
  private final Vertx vertx;
  private final int port;
  private final ConfigurationStore store;
  private final FaultController faults;
  private final CounterRecorder counters;
  private final TokenService tokens;
  private final AtomicBoolean closed = new AtomicBoolean();

  private TwikitSandbox(
      SandboxConfig config,
      Vertx vertx,
      int port,
      ConfigurationStore store,
      FaultController faults,
      CounterRecorder counters,
      TokenService tokens) {
    this.config = config;
    this.vertx = vertx;
    this.port = port;
    this.store = store;
    this.faults = faults;
    this.counters = counters;
    this.tokens = tokens;
  }

  /**
   * Starts a sandbox and returns once it accepts connections.
   *
   * @throws IllegalStateException when it cannot listen (e.g. the port is taken)
   */
  public static TwikitSandbox start(SandboxConfig config) {
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(config.eventLoops())
                .setWorkerPoolSize(1)
                .setFileSystemOptions(
                    new FileSystemOptions()
                        .setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
    try {
      ConfigurationStore store = new ConfigurationStore(config.strict());
      store.seed(config.seeds());
      FaultController faults =
          new FaultController(
              Faults.builder()
                  .latency(config.latency())
                  .latencySpread(config.latencySpread())
                  .build());
      CounterRecorder counters = new CounterRecorder();
      TokenService tokens = new TokenService(Clock.systemUTC());
      ClientCredentials client =
          new ClientCredentials(config.clientId(), config.clientSecret(), config.scopes());
      URI tokenUri = URI.create("http://" + hostForUrl(config.host()) + "/oauth2/token");
      Handler<HttpServerRequest> api = new ApiHandler(vertx, store, tokens, faults, counters);
      Handler<HttpServerRequest> token =
          new TokenEndpoint(client, tokens, faults, counters, config::tokenTtl, tokenUri);
      Handler<HttpServerRequest> admin =
          new AdminHandler(store, faults, counters, config::tokenTtl);
      Handler<HttpServerRequest> dispatcher =
          req -> {
            String path = req.path();
            if (path.startsWith(AdminHandler.PREFIX)) {
              admin.handle(req);
            } else if (path.equals("/oauth2/token")) {
              token.handle(req);
            } else {
              api.handle(req);
            }
          };
      // One HTTP server per event loop, all on one port (Vert.x shares it between them; with
      // port 0 the servers of one deployment share one random port).
      List<HttpServerVerticle> servers = new java.util.concurrent.CopyOnWriteArrayList<>();
      await(
          vertx.deployVerticle(
              () -> {
                // A negative port asks Vert.x for one random port shared by the servers with that
                // value.
                int requested = config.port() == 0 ? -1 : config.port();
                HttpServerVerticle v = new HttpServerVerticle(config.host(), requested, dispatcher);
                servers.add(v);
                return v;
              },
              new DeploymentOptions().setInstances(config.eventLoops())));
      int port = servers.get(0).actualPort();
      for (HttpServerVerticle v : servers) {
        if (v.actualPort() != port) {
          throw new IllegalStateException(
              "HTTP servers bound different ports: " + port + ", " + v.actualPort());
        }
      }
      TwikitSandbox sandbox =
          new TwikitSandbox(config, vertx, port, store, faults, counters, tokens);
      LOG.info("Twikit sandbox listening on {} ({})", sandbox.apiUrl(), config);
      return sandbox;
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  private static String hostForUrl(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private static <T> T await(Future<T> future) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Twikit sandbox failed to start: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Twikit sandbox did not start within " + START_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the Twikit sandbox", e);
    }
  }

  // ---- addresses ----

  /** The settings this sandbox started with. */
  public SandboxConfig config() {
    return config;
  }

  /** The port it listens on (the actual one when started with port 0). */
  public int port() {
    return port;
  }

  /** Base URL of the API, e.g. {@code http://127.0.0.1:8089} (no trailing slash). */
  public URI apiUrl() {
    return URI.create("http://" + hostForUrl(config.host()) + ":" + port);
  }

  /** The token endpoint, e.g. {@code http://127.0.0.1:8089/oauth2/token}. */
  public URI tokenUrl() {
    return URI.create(apiUrl() + "/oauth2/token");
  }

  /** The admin API, e.g. {@code http://127.0.0.1:8089/_sandbox/}. */
  public URI adminUrl() {
    return URI.create(apiUrl() + AdminHandler.PREFIX + "/");
  }

  // ---- faults ----

  /** The current faults. */
  public Faults faults() {
    return faults.current();
  }

  /** Replaces the faults (see {@link Faults}). */
  public void faults(Faults newFaults) {
    faults.set(newFaults);
  }

  /**
   * Changes the current faults atomically, e.g. {@code sb.updateFaults(f -> f.errorRate(503,
   * 0.2).retryAfter(Duration.ofSeconds(2)))}.
   *
   * @return the faults now in force
   */
  public Faults updateFaults(UnaryOperator<Faults.Builder> change) {
    return faults.update(f -> change.apply(f.toBuilder()).build());
  }

  /**
   * The next {@code count} API requests (any operation but {@code STATUS}) are answered with {@code
   * status} (429 and 503 with {@code Retry-After}), before authorisation. Replaces an earlier
   * {@code failNext}. Deterministic even under concurrency: exactly {@code count} fail.
   */
  public void failNext(int count, int status) {
    faults.failNext(count, status, Set.of());
  }

  /** As {@link #failNext(int, int)}, only for requests to {@code operations}. */
  public void failNext(int count, int status, Operation... operations) {
    faults.failNext(count, status, opSet(operations));
  }

  /**
   * The next {@code count} API requests (any operation but {@code STATUS}, or the given ones) hang:
   * never answered when {@link Faults#hangFor()} is zero, else served after it.
   */
  public void hangNext(int count, Operation... operations) {
    faults.hangNext(count, opSet(operations));
  }

  /** Sets the fixed latency and removes the spread. */
  public void setLatency(Duration latency) {
    setLatency(latency, Duration.ZERO);
  }

  /** Sets the fixed latency and a uniform random extra in {@code [0, spread]}. */
  public void setLatency(Duration latency, Duration spread) {
    updateFaults(f -> f.latency(latency).latencySpread(spread));
  }

  /** Lifetime of tokens issued from now on ({@code Duration.ZERO}: already expired when issued). */
  public void setTokenTtl(Duration ttl) {
    updateFaults(f -> f.tokenTtl(ttl));
  }

  /** Starts or ends a token endpoint outage (503 {@code temporarily_unavailable}). */
  public void tokenOutage(boolean outage) {
    updateFaults(f -> f.tokenOutage(outage));
  }

  /** Back to the start-up faults; clears {@code failNext} and {@code hangNext}. */
  public void resetFaults() {
    faults.reset();
  }

  // ---- data ----

  /** Seeds configurations (see {@link SeedConfiguration}); a seed replaces earlier state. */
  public void seed(SeedConfiguration... seeds) {
    seed(Arrays.asList(seeds));
  }

  /** Seeds configurations. */
  public void seed(Collection<SeedConfiguration> seeds) {
    store.seed(seeds);
  }

  /** Seeds from JSON: an object, an array or {@code {"configurations":[...]}}. */
  public List<String> seedJson(String json) {
    return store.seed(SeedConfiguration.parseJson(json));
  }

  /** Forgets the seed and updates of one configuration; true when there were any. */
  public boolean deleteConfiguration(String id) {
    return store.delete(id);
  }

  /** Forgets every seed and update. */
  public void deleteAllConfigurations() {
    store.deleteAll();
  }

  /** The JSON {@code GET /configurations/{id}} would serve now, or empty when it is a 404. */
  public Optional<String> configurationJson(String id) {
    Rendered r = store.find(id);
    return r == null
        ? Optional.empty()
        : Optional.of(new String(r.configuration(), StandardCharsets.UTF_8));
  }

  // ---- tokens ----

  /**
   * Mints an access token without the token endpoint (not counted as issued), e.g. an expired one
   * ({@code Duration.ZERO}) or one lacking a scope. No scopes given = none.
   */
  public String mintToken(Duration ttl, String... scopes) {
    return tokens.issue(config.clientId(), Set.of(scopes), ttl).token();
  }

  // ---- counters ----

  /** A snapshot of the counters. */
  public Counters counters() {
    return counters.snapshot();
  }

  /** Sets the counters back to zero. */
  public void resetCounters() {
    counters.reset();
  }

  /** {@link #resetFaults()} and {@link #resetCounters()} (seeds and updates stay). */
  public void reset() {
    resetFaults();
    resetCounters();
  }

  /** The counters as the admin API shows them (JSON). */
  public String countersJson() {
    return Json.text(AdminHandler.countersJson(counters.snapshot()));
  }

  /** Stops the servers and closes open connections (hanging requests included). Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        LOG.info("Twikit sandbox on port {} stopped", port);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        LOG.warn("Twikit sandbox on port {} did not stop cleanly: {}", port, e.toString());
      }
    }
  }

  private static Set<Operation> opSet(Operation... ops) {
    return ops.length == 0 ? Set.of() : EnumSet.copyOf(Arrays.asList(ops));
  }

  @Override
  public String toString() {
    return "TwikitSandbox[" + apiUrl() + ", " + config + "]";
  }
}
