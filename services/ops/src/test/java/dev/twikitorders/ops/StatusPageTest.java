package dev.twikitorders.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The status page and {@code /status.json} over real HTTP on loopback, and the rates behind the
 * charts. (The page's rendering in a browser is tested by the applications.)
 */
class StatusPageTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private OpsServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    http.close();
  }

  private static final Health UP =
      new Health() {
        @Override
        public Verdict live() {
          return Verdict.up("RUNNING\n");
        }

        @Override
        public Verdict ready() {
          return Verdict.up("RUNNING\n");
        }
      };

  private HttpResponse<String> get(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  private OpsServer serve(StatusSource status) {
    return OpsServer.serve(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        UP,
        status,
        () -> {});
  }

  @Test
  void servesThePageAndTheReportAsJson() throws Exception {
    StatusReport report =
        new StatusReport(
            "order-enricher",
            "1.2.3",
            "PAUSED",
            StatusReport.Level.WARN,
            Instant.parse("2026-11-29T10:00:00Z"),
            List.of(
                new StatusReport.Section(
                    "State",
                    List.of(
                        StatusReport.Fact.info("application.id", "twikit-order-enricher"),
                        new StatusReport.Fact(
                            "paused because",
                            "TWIKIT_CREDENTIALS_REJECTED",
                            StatusReport.Level.BAD)),
                    List.of(new StatusReport.Series("events read", "/s", 5, List.of(1.0, 2.5))),
                    List.of(
                        new StatusReport.Table(
                            "Dead letters by type",
                            List.of("type", "count"),
                            List.of(List.of("NOT_FOUND", "3")))))));
    server = serve(() -> report);

    HttpResponse<String> page = get("/");
    HttpResponse<String> json = get("/status.json");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
    assertThat(page.body())
        .contains("<meta name=\"viewport\"")
        .contains("status.json")
        .doesNotContain("<script src")
        .doesNotContain("<link")
        .doesNotContain("@import")
        .doesNotContain("url(");
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(json.headers().firstValue("Content-Type")).contains("application/json");
    JsonNode tree = new ObjectMapper().readTree(json.body());
    assertThat(tree.path("service").asText()).isEqualTo("order-enricher");
    assertThat(tree.path("state").asText()).isEqualTo("PAUSED");
    assertThat(tree.path("level").asText()).isEqualTo("WARN");
    assertThat(tree.path("generatedAt").asText()).isEqualTo("2026-11-29T10:00:00Z");
    JsonNode section = tree.path("sections").get(0);
    assertThat(section.path("title").asText()).isEqualTo("State");
    assertThat(section.path("facts").get(1).path("value").asText())
        .isEqualTo("TWIKIT_CREDENTIALS_REJECTED");
    assertThat(section.path("facts").get(1).path("level").asText()).isEqualTo("BAD");
    assertThat(section.path("charts").get(0).path("points").get(1).asDouble()).isEqualTo(2.5);
    assertThat(section.path("tables").get(0).path("rows").get(0).get(1).asText()).isEqualTo("3");
  }

  @Test
  void withoutAStatusSourceThereIsNoPage() throws Exception {
    server = serve(null);

    assertThat(get("/").statusCode()).isEqualTo(404);
    assertThat(get("/status.json").statusCode()).isEqualTo(404);
    assertThat(get("/metrics").statusCode()).isEqualTo(200);
  }

  @Test
  void aFailingSourceGivesABare500() throws Exception {
    server =
        serve(
            () -> {
              throw new IllegalStateException("secret detail");
            });

    HttpResponse<String> json = get("/status.json");

    assertThat(json.statusCode()).isEqualTo(500);
    assertThat(json.body()).doesNotContain("secret detail");
  }

  @Test
  void ratesArePerSecondDifferencesOfEveryCounterOfTheName() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Counter a = Counter.builder("lines").tag("topic", "a").register(registry);
    Counter b = Counter.builder("lines").tag("topic", "b").register(registry);
    io.micrometer.core.instrument.Timer calls =
        io.micrometer.core.instrument.Timer.builder("calls").register(registry);
    try (RateHistory rates = new RateHistory(registry, Duration.ofSeconds(10), 3)) {
      rates
          .track("lines written", "lines")
          .track("nothing", "no.such.meter")
          .track("calls", "calls");
      // the sampler reads first after one step (10 s): drive the readings by hand
      rates.sample();
      a.increment(30);
      b.increment(20);
      for (int i = 0; i < 20; i++) {
        calls.record(Duration.ofMillis(5));
      }
      rates.sample();
      a.increment(100);
      rates.sample();
      rates.sample();

      List<StatusReport.Series> series = rates.series();
      assertThat(series)
          .extracting(StatusReport.Series::label)
          .containsExactly("lines written", "nothing", "calls");
      assertThat(series.get(0).stepSeconds()).isEqualTo(10);
      // four readings give three rates, oldest first
      assertThat(series.get(0).points()).containsExactly(5.0, 10.0, 0.0);
      assertThat(series.get(1).points()).containsExactly(0.0, 0.0, 0.0);
      assertThat(series.get(2).points()).containsExactly(2.0, 0.0, 0.0);
      rates.sample();
      // at most 3 points are kept
      assertThat(rates.series().get(0).points()).containsExactly(10.0, 0.0, 0.0);
    }
  }
}
