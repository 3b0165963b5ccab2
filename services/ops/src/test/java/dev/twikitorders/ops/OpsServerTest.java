package dev.twikitorders.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The endpoint over real HTTP on loopback. */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // a guard against a hang, not a timing assertion
class OpsServerTest {

  /** A health whose verdicts the test sets. */
  private static final class StubHealth implements Health {
    volatile Verdict live = Verdict.up("LIVE\n");
    volatile Verdict ready = Verdict.up("READY\n");
    volatile RuntimeException failure;

    @Override
    public Verdict live() {
      return live;
    }

    @Override
    public Verdict ready() {
      if (failure != null) {
        throw failure;
      }
      return ready;
    }
  }

  private final StubHealth health = new StubHealth();
  private final AtomicBoolean released = new AtomicBoolean();
  private PrometheusMeterRegistry registry;
  private OpsServer server;
  private HttpClient http;

  @BeforeEach
  void start() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Counter.builder("test.requests").register(registry).increment(3);
    server =
        OpsServer.serve(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            registry,
            health,
            () -> released.set(true));
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterEach
  void stop() {
    http.close();
    server.close();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send("GET", path);
  }

  @Test
  void verdictsMapToStatuses() {
    assertThat(Verdict.up("OK\n")).isEqualTo(new Verdict(true, "OK\n"));
    assertThat(Verdict.up("OK\n").status()).isEqualTo(200);
    assertThat(Verdict.down("NO\n")).isEqualTo(new Verdict(false, "NO\n"));
    assertThat(Verdict.down("NO\n").status()).isEqualTo(503);
    assertThatThrownBy(() -> Verdict.up(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void bindsTheGivenAddressOnAnEphemeralPort() {
    assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
    assertThat(server.address().getPort()).isPositive();
  }

  @Test
  void anAddressInUseIsRefused() {
    assertThatThrownBy(() -> OpsServer.serve(server.address(), registry, health))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("cannot serve metrics on");
  }

  @Test
  void servesMetrics() throws Exception {
    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(metrics.body()).contains("test_requests_total 3.0");
  }

  @Test
  void servesLivenessAndReadinessWithTheirStatusesAndBodies() throws Exception {
    assertThat(get("/health/live").body()).isEqualTo("LIVE\n");
    for (String path : List.of("/health/ready", "/health")) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.body()).as(path).isEqualTo("READY\n");
      assertThat(r.headers().firstValue("Content-Type"))
          .as(path)
          .hasValue("text/plain; charset=utf-8");
    }

    health.ready = Verdict.down("STARTING\n");
    for (String path : List.of("/health/ready", "/health")) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(503);
      assertThat(r.body()).as(path).isEqualTo("STARTING\n");
    }
    assertThat(get("/health/live").statusCode()).isEqualTo(200);

    health.live = Verdict.down("DEAD\n");
    HttpResponse<String> dead = get("/health/live");
    assertThat(dead.statusCode()).isEqualTo(503);
    assertThat(dead.body()).isEqualTo("DEAD\n");
  }

  @Test
  void aFailingDecisionIsABare500() throws Exception {
    health.failure = new IllegalStateException("detail for the log only");
    HttpResponse<String> r = get("/health");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).isEqualTo("internal error\n");
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  void headIsServedWithoutABodyButWithItsLength() throws Exception {
    HttpResponse<String> r = send("HEAD", "/health/ready");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(r.headers().firstValue("Content-Length")).hasValue("6");
    health.ready = Verdict.down("NOT READY\n");
    assertThat(send("HEAD", "/health").statusCode()).isEqualTo(503);
    HttpResponse<String> metrics = send("HEAD", "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "PUT", "DELETE", "OPTIONS"})
  void otherMethodsAreNotAllowed(String method) throws Exception {
    for (String path : List.of("/metrics", "/health", "/health/live", "/health/ready")) {
      HttpResponse<String> r = send(method, path);
      assertThat(r.statusCode()).as("%s %s", method, path).isEqualTo(405);
      assertThat(r.headers().firstValue("Allow")).as("%s %s", method, path).hasValue("GET, HEAD");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"/", "/health/", "/health/other", "/health/live/x", "/healthz", "/metrics/x"})
  void unknownPathsAreNotFound(String path) throws Exception {
    HttpResponse<String> r = get(path);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("not found\n");
  }

  @Test
  void answersLivenessWhileAScrapeIsBlocked() throws Exception {
    CountDownLatch scraping = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Thread> scraper = new AtomicReference<>();
    Gauge.builder(
            "test.blocking",
            () -> {
              scraper.compareAndSet(null, Thread.currentThread());
              scraping.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return 1;
            })
        .register(registry);
    CompletableFuture<HttpResponse<String>> metrics;
    try {
      metrics =
          http.sendAsync(
              HttpRequest.newBuilder(uri("/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      scraping.await();

      // the one scrape holds a serving thread; another one answers the probe
      HttpResponse<String> live = get("/health/live");
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(metrics).isNotDone();
    } finally {
      release.countDown();
    }
    HttpResponse<String> scraped = metrics.get();
    assertThat(scraped.statusCode()).isEqualTo(200);
    assertThat(scraped.body()).contains("test_blocking 1.0");
    Thread thread = scraper.get();
    assertThat(thread.getName()).matches("metrics-http-[1-" + OpsServer.THREADS + "]");
    assertThat(thread.isDaemon()).isTrue();

    server.close();
    thread.join();
    assertThat(thread.isAlive()).isFalse();
  }

  @Test
  void closeStopsServingAndReleasesWhatItWasGiven() throws Exception {
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    assertThat(released).isFalse();
    server.close();
    assertThat(released).isTrue();
    assertThatThrownBy(() -> get("/health/live")).isInstanceOf(IOException.class);
    server.close(); // idempotent
  }
}
