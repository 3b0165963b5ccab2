package dev.twikitorders.sandbox;

import dev.twikitorders.sandbox.admin.AdminHandler;
import dev.twikitorders.sandbox.api.ApiHandler;
import dev.twikitorders.sandbox.api.Operation;
import dev.twikitorders.sandbox.auth.ApiAuthenticator;
import dev.twikitorders.sandbox.auth.AuthorizationEndpoint;
import dev.twikitorders.sandbox.auth.ClientRegistry;
import dev.twikitorders.sandbox.auth.GrantStore;
import dev.twikitorders.sandbox.auth.MetadataEndpoint;
import dev.twikitorders.sandbox.auth.RegistrationEndpoint;
import dev.twikitorders.sandbox.auth.ServerUrls;
import dev.twikitorders.sandbox.auth.TokenEndpoint;
import dev.twikitorders.sandbox.auth.TokenService;
import dev.twikitorders.sandbox.counters.CounterRecorder;
import dev.twikitorders.sandbox.counters.Counters;
import dev.twikitorders.sandbox.counters.ServiceTimes;
import dev.twikitorders.sandbox.data.ConfigurationStore;
import dev.twikitorders.sandbox.data.Json;
import dev.twikitorders.sandbox.data.Rendered;
import dev.twikitorders.sandbox.data.SeedConfiguration;
import dev.twikitorders.sandbox.faults.Admission;
import dev.twikitorders.sandbox.faults.FaultController;
import dev.twikitorders.sandbox.faults.Faults;
import dev.twikitorders.sandbox.faults.MetadataMode;
import dev.twikitorders.sandbox.sink.SinkHandler;
import dev.twikitorders.sandbox.sink.SinkRecording;
import dev.twikitorders.sandbox.sink.SinkRejectRule;
import dev.twikitorders.sandbox.sink.SinkStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * A running local stand-in for the Twikit REST API and its OAuth 2.0 authorization server (token,
 * authorization, registration and metadata endpoints), for tests and local runs. Start one per test
 * class (or per test) on a free port:
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
 * server per loop, HTTP/1.1 and h2c; with TLS, HTTPS only, HTTP/1.1 and h2 by ALPN, optionally
 * requiring client certificates); injected latency uses timers, never a blocked thread.
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
  private final GrantStore grants;
  private final SinkStore sinks;
  private final AtomicBoolean closed = new AtomicBoolean();

  private TwikitSandbox(
      SandboxConfig config,
      Vertx vertx,
      int port,
      ConfigurationStore store,
      FaultController faults,
      CounterRecorder counters,
      TokenService tokens,
      GrantStore grants,
      SinkStore sinks) {
    this.sinks = sinks;
    this.config = config;
    this.vertx = vertx;
    this.port = port;
    this.store = store;
    this.faults = faults;
    this.counters = counters;
    this.tokens = tokens;
    this.grants = grants;
  }

  /**
   * Starts a sandbox and returns once it accepts connections.
   *
   * @throws IllegalArgumentException when a TLS file cannot be read (the message names the setting
   *     and the file)
   * @throws IllegalStateException when it cannot listen (e.g. the port is taken, or the TLS
   *     material is invalid)
   */
  public static TwikitSandbox start(SandboxConfig config) {
    HttpServerOptions serverOptions = serverOptions(config);
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
      CounterRecorder counters = new CounterRecorder();
      FaultController faults =
          new FaultController(
              Faults.builder()
                  .latency(config.latency())
                  .latencySpread(config.latencySpread())
                  .capacity(config.capacity())
                  .rateLimit(config.rateLimit())
                  .build(),
              new Admission(counters, System::nanoTime));
      Clock clock = Clock.systemUTC();
      TokenService tokens = new TokenService(clock);
      GrantStore grants = new GrantStore(clock, config::refreshTokenTtl);
      ClientRegistry clients =
          new ClientRegistry(config.clientId(), config.clientSecret(), config.scopes());
      ServerUrls urls = new ServerUrls(config.host(), config.tls());
      ApiAuthenticator authenticator =
          new ApiAuthenticator(
              tokens,
              grants,
              config.apiKey().orElse(null),
              config.staticHeaders(),
              config.scopes());
      Handler<HttpServerRequest> api =
          new ApiHandler(vertx, store, authenticator, faults, counters);
      SinkStore sinks = new SinkStore(config.sinkMaxItems(), clock);
      Handler<HttpServerRequest> sink =
          new SinkHandler(vertx, sinks, authenticator, faults, counters);
      Handler<HttpServerRequest> token =
          new TokenEndpoint(clients, grants, tokens, faults, counters, config::tokenTtl, urls);
      Handler<HttpServerRequest> authorize =
          new AuthorizationEndpoint(
              clients, grants, faults, counters, config.testUser(), config.approvalPage());
      Handler<HttpServerRequest> register =
          new RegistrationEndpoint(
              clients,
              config.scopes(),
              config.registrationToken().orElse(null),
              counters,
              clock,
              urls);
      Handler<HttpServerRequest> metadata = new MetadataEndpoint(urls, faults, config.scopes());
      Handler<HttpServerRequest> admin =
          new AdminHandler(
              store,
              faults,
              counters,
              config::tokenTtl,
              () -> {
                tokens.revokeAll();
                grants.revokeAll();
              },
              sinks);
      Handler<HttpServerRequest> dispatcher =
          req -> {
            String path = req.path();
            if (path.startsWith(AdminHandler.PREFIX)) {
              admin.handle(req);
            } else if (SinkHandler.handles(path)) {
              sink.handle(req);
            } else if (path.startsWith("/oauth2/") || path.startsWith("/.well-known/")) {
              switch (path) {
                case ServerUrls.TOKEN_PATH -> token.handle(req);
                case ServerUrls.AUTHORIZE_PATH -> authorize.handle(req);
                case ServerUrls.REGISTER_PATH -> register.handle(req);
                default -> {
                  if (MetadataEndpoint.handles(path)) {
                    metadata.handle(req);
                  } else {
                    api.handle(req);
                  }
                }
              }
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
                HttpServerVerticle v = new HttpServerVerticle(serverOptions, dispatcher);
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
          new TwikitSandbox(config, vertx, port, store, faults, counters, tokens, grants, sinks);
      urls.bind(sandbox.apiUrl());
      LOG.info("Twikit sandbox listening on {} ({})", sandbox.apiUrl(), config);
      return sandbox;
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  /** Host, port, HTTP/2 and TLS options; reads the PEM files (clear errors naming them). */
  private static HttpServerOptions serverOptions(SandboxConfig config) {
    // A negative port asks Vert.x for one random port shared by the servers with that value.
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(config.host())
            .setPort(config.port() == 0 ? -1 : config.port())
            .setTcpNoDelay(true)
            .setCompressionSupported(false)
            .setReuseAddress(true);
    if (!config.tls()) {
      return options.setHttp2ClearTextEnabled(true);
    }
    options
        .setHttp2ClearTextEnabled(false)
        .setSsl(true)
        .setUseAlpn(true)
        .setKeyCertOptions(
            new PemKeyCertOptions()
                .setCertValue(read(config.certFile().orElseThrow(), "certFile (--tls-cert)"))
                .setKeyValue(read(config.keyFile().orElseThrow(), "keyFile (--tls-key)")));
    config
        .clientCaFile()
        .ifPresent(
            ca ->
                options
                    .setTrustOptions(
                        new PemTrustOptions().addCertValue(read(ca, "clientCaFile (--client-ca)")))
                    .setClientAuth(ClientAuth.REQUIRED));
    return options;
  }

  private static Buffer read(Path file, String setting) {
    try {
      byte[] pem = Files.readAllBytes(file);
      if (pem.length == 0) {
        throw new IllegalArgumentException(setting + " file is empty: " + file);
      }
      return Buffer.buffer(pem);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read " + setting + " file " + file + ": " + e.getClass().getSimpleName(), e);
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

  /**
   * Base URL of the API, e.g. {@code http://127.0.0.1:8089} (no trailing slash); {@code https} when
   * TLS is on.
   */
  public URI apiUrl() {
    return URI.create(
        (config.tls() ? "https://" : "http://") + hostForUrl(config.host()) + ":" + port);
  }

  /** The token endpoint, e.g. {@code http://127.0.0.1:8089/oauth2/token}. */
  public URI tokenUrl() {
    return URI.create(apiUrl() + ServerUrls.TOKEN_PATH);
  }

  /**
   * The authorization server's issuer identifier (RFC 8414): the base URL, equal to {@link
   * #apiUrl()}. Its metadata is at {@link #metadataUrl()}.
   */
  public URI issuerUrl() {
    return apiUrl();
  }

  /** The RFC 8414 metadata document, {@code <issuer>/.well-known/oauth-authorization-server}. */
  public URI metadataUrl() {
    return URI.create(apiUrl() + ServerUrls.OAUTH_METADATA_PATH);
  }

  /** The authorization endpoint, {@code <issuer>/oauth2/authorize}. */
  public URI authorizationUrl() {
    return URI.create(apiUrl() + ServerUrls.AUTHORIZE_PATH);
  }

  /** The dynamic client registration endpoint (RFC 7591), {@code <issuer>/oauth2/register}. */
  public URI registrationUrl() {
    return URI.create(apiUrl() + ServerUrls.REGISTER_PATH);
  }

  /** The admin API, e.g. {@code http://127.0.0.1:8089/_sandbox/}. */
  public URI adminUrl() {
    return URI.create(apiUrl() + AdminHandler.PREFIX + "/");
  }

  /** The default delivery sink, {@code <api>/sink}. */
  public URI sinkUrl() {
    return URI.create(apiUrl() + SinkHandler.PATH);
  }

  /**
   * The delivery sink {@code name}, {@code <api>/sink/<name>}.
   *
   * @throws IllegalArgumentException when the name is not 1 to 100 of {@code A-Z a-z 0-9 . _ ~ -}
   */
  public URI sinkUrl(String name) {
    return URI.create(apiUrl() + SinkHandler.PATH + "/" + SinkStore.checkName(name));
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

  /**
   * Serve at most {@code capacity} API requests at once (0 = unlimited), for requests arriving from
   * now on: each holds a slot for its latency, more wait in a FIFO queue (already queued requests
   * keep waiting; a raise grants them at once). {@link #resetFaults()} returns to {@link
   * SandboxConfig#capacity()}.
   *
   * @throws IllegalArgumentException when negative
   */
  public void setCapacity(int capacity) {
    updateFaults(f -> f.capacity(capacity));
  }

  /**
   * Admit at most {@code requestsPerSecond} API requests per second (token bucket, burst {@code
   * max(1, R/10)}, starting full; beyond, 429 with {@code Retry-After}); 0 turns it off. {@link
   * #resetFaults()} returns to {@link SandboxConfig#rateLimit()}.
   *
   * @throws IllegalArgumentException when negative, NaN or infinite
   */
  public void setRateLimit(double requestsPerSecond) {
    updateFaults(f -> f.rateLimit(requestsPerSecond));
  }

  /** API requests holding a capacity slot now (in their latency). */
  public int inService() {
    return faults.admission().inService();
  }

  /** API requests waiting for a capacity slot now. */
  public int queued() {
    return faults.admission().queued();
  }

  /** Lifetime of tokens issued from now on ({@code Duration.ZERO}: already expired when issued). */
  public void setTokenTtl(Duration ttl) {
    updateFaults(f -> f.tokenTtl(ttl));
  }

  /** Starts or ends a token endpoint outage (503 {@code temporarily_unavailable}). */
  public void tokenOutage(boolean outage) {
    updateFaults(f -> f.tokenOutage(outage));
  }

  /**
   * Which discovery documents are served (see {@link MetadataMode}); {@link #resetFaults()} ends
   * it.
   */
  public void setMetadataMode(MetadataMode mode) {
    updateFaults(f -> f.metadata(mode));
  }

  /**
   * The PKCE methods the authorization endpoint accepts and the metadata advertises, e.g. {@code
   * "plain"} or {@code "S256", "plain"} (default {@code S256}); {@link #resetFaults()} ends it.
   */
  public void setPkceMethods(String... methods) {
    updateFaults(f -> f.pkceMethods(methods));
  }

  /**
   * Back to the start-up faults (latency, capacity and rate limit of the {@link SandboxConfig});
   * clears {@code failNext} and {@code hangNext}.
   */
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

  // ---- delivery sink ----

  /**
   * A snapshot of the sink {@code name} ({@code "default"} for {@code POST /sink}): every held item
   * in arrival order, the counts and {@link SinkRecording#countByKey()}. A sink that received
   * nothing is empty.
   */
  public SinkRecording sink(String name) {
    return sinks.snapshot(name, 0, Integer.MAX_VALUE, true);
  }

  /** Forgets what the sink {@code name} recorded (its reject rule stays). */
  public void clearSink(String name) {
    sinks.clear(name);
  }

  /**
   * From now on the sink {@code name} refuses (400 {@code invalid_record}) items with these
   * idempotency keys, in addition to its earlier rule.
   */
  public SinkRejectRule rejectSinkKeys(String name, String... idempotencyKeys) {
    return sinks.addRejects(name, Set.of(idempotencyKeys), List.of());
  }

  /**
   * From now on the sink {@code name} refuses items whose record's top-level {@code field} equals
   * {@code equals} (see {@link SinkRejectRule.FieldMatch}), in addition to its earlier rule.
   */
  public SinkRejectRule rejectSinkField(String name, String field, String equals) {
    return sinks.addRejects(name, Set.of(), List.of(new SinkRejectRule.FieldMatch(field, equals)));
  }

  /** Removes the reject rule of the sink {@code name}. */
  public void clearSinkRejects(String name) {
    sinks.clearRejects(name);
  }

  // ---- tokens ----

  /**
   * Mints an access token without the token endpoint (not counted as issued), e.g. an expired one
   * ({@code Duration.ZERO}) or one lacking a scope. No scopes given = none.
   */
  public String mintToken(Duration ttl, String... scopes) {
    return tokens.issue(config.clientId(), Set.of(scopes), ttl).token();
  }

  /**
   * Revokes every token issued so far: access tokens (of every grant, and minted ones), refresh
   * tokens and unused authorization codes. Registered clients stay.
   */
  public void revokeAllTokens() {
    tokens.revokeAll();
    grants.revokeAll();
  }

  // ---- counters ----

  /** A snapshot of the counters. */
  public Counters counters() {
    return counters.snapshot();
  }

  /**
   * How long the API took for the requests it served so far (arrival to answer: the wait for a
   * capacity slot plus the latency), for the operations the faults apply to; {@link
   * ServiceTimes#since} of two snapshots gives a window.
   */
  public ServiceTimes serviceTimes() {
    return faults.admission().serviceTimes();
  }

  /** Sets the counters (and the service times) back to zero. */
  public void resetCounters() {
    counters.reset();
    faults.admission().resetServiceTimes();
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
