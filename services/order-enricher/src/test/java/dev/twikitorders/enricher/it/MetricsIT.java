package dev.twikitorders.enricher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twikitorders.enricher.app.EnricherApp;
import dev.twikitorders.ops.MetricsSettings;
import dev.twikitorders.testfixtures.compose.ComposeFile;
import dev.twikitorders.testfixtures.compose.MetricQueries;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code metrics.port}: /health/live, /health/ready and /health follow Kafka Streams, /metrics
 * counts the work and never shows secrets.
 */
class MetricsIT {
  private static ItStack stack;

  @BeforeAll
  static void start() {
    stack = ItStack.start(Duration.ofMillis(5), Duration.ZERO);
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  private static double counter(String scrape, String name) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*})? ([0-9.E+-]+)$")
            .matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  @Test
  void healthAndMetricsReflectThePipeline(@TempDir Path stateDir) throws Exception {
    int port = freePort();
    PipelineRun run = stack.newRun("metrics");
    try (EnricherApp app =
        EnricherApp.start(
            run.config(stateDir, Map.of(MetricsSettings.PORT.key(), String.valueOf(port))))) {
      // each in turn: a follow-up rebalance may briefly take readiness away again
      for (String path : List.of("/health/ready", "/health", "/health/live")) {
        await()
            .atMost(Duration.ofMinutes(2))
            .untilAsserted(
                () -> {
                  HttpResponse<String> health = get(port, path);
                  assertThat(health.statusCode()).as(path).isEqualTo(200);
                  assertThat(health.body()).as(path).isEqualTo("RUNNING\n");
                });
      }

      var items = TestOrders.configuredOnly("metrics", 20, 7);
      TestOrders.produce(stack.bootstrapServers(), stack.registry(), run.input(), items);
      await()
          .atMost(Duration.ofMinutes(2))
          .until(
              () -> {
                String body = get(port, "/metrics").body();
                // lines are counted when they are emitted, after their calls complete
                return counter(body, "order_enricher_events_read_total") >= items.size()
                    && counter(body, "order_enricher_lines_enriched_total") > 0;
              });

      // the consumer lag per partition appears once Micrometer's Kafka binder looks for new
      // client metrics again (every 60 s) after the partitions were assigned
      await()
          .atMost(Duration.ofMinutes(3))
          .until(
              () ->
                  get(port, "/metrics")
                      .body()
                      .contains("kafka_consumer_fetch_manager_records_lag{"));

      String scrape = get(port, "/metrics").body();
      Files.writeString(Path.of("target", "metrics-it-scrape.txt"), scrape);

      // the status page's data comes from the same meters (docs/status-page.md)
      JsonNode status = new ObjectMapper().readTree(get(port, "/status.json").body());
      assertThat(status.path("service").asText()).isEqualTo("order-enricher");
      assertThat(status.path("state").asText()).isEqualTo("RUNNING");
      List<String> titles = new java.util.ArrayList<>();
      status.path("sections").forEach(s -> titles.add(s.path("title").asText()));
      assertThat(titles)
          .containsExactly(
              "State",
              "Rates (last 10 minutes)",
              "Totals since start",
              "Backlog",
              "Dead letters",
              "Twikit",
              "End to end (event time to output)");
      long linesOnPage = -1;
      for (JsonNode fact : status.path("sections").get(2).path("facts")) {
        if (fact.path("label").asText().equals("lines enriched")) {
          linesOnPage = Long.parseLong(fact.path("value").asText());
        }
      }
      // read after the scrape, from the same counter: never fewer
      assertThat(linesOnPage)
          .isGreaterThanOrEqualTo((long) counter(scrape, "order_enricher_lines_enriched_total"));
      assertThat(status.toString()).doesNotContain(stack.clientSecret()).doesNotContain("eyJ");
      assertThat(get(port, "/").body()).contains("status.json");
      assertThat(counter(scrape, "order_enricher_lines_enriched_total")).isPositive();
      assertThat(scrape).contains("twikit_client_requests").contains("kafka_stream");
      assertThat(scrape).doesNotContain(stack.clientSecret()).doesNotContain("eyJ");

      // the meters the operators' questions need (issue 14)
      assertThat(scrape)
          .containsPattern("(?m)^order_enricher_outputs_total\\{output=\"erp\"} [1-9]");
      assertThat(scrape)
          .contains("order_enricher_outputs_total{output=\"dead_letter\"}")
          .containsPattern("(?m)^order_enricher_end_to_end_latency_seconds_count [1-9]")
          .contains("order_enricher_end_to_end_latency_seconds_bucket{le=")
          .contains("twikit_client_requests_seconds_bucket{")
          .containsPattern(
              "(?m)^kafka_consumer_fetch_manager_records_lag\\{[^}]*partition=\"\\d+\"")
          .containsPattern("(?m)^twikit_client_token_expires_in_seconds\\{[^}]*} [1-9]")
          .contains("twikit_client_rate_limited_total{")
          .contains("twikit_client_inflight{")
          .contains("twikit_client_concurrency_limit{")
          .contains("twikit_client_rate_limit{")
          .contains("twikit_client_attempts_seconds_bucket{")
          .contains("twikit_client_breaker_state{")
          .contains("jvm_memory_used_bytes{")
          .contains("jvm_threads_live_threads ")
          .contains("jvm_classes_loaded_classes ")
          .contains("process_cpu_usage ")
          .contains("process_uptime_seconds ");

      // every metric the Grafana dashboards and the Prometheus rules use exists here (the
      // delivery service's are checked by its DeliveryMetricsTest)
      Set<String> scraped = MetricQueries.sampleNames(scrape);
      Path root = ComposeFile.repoRoot();
      Map<String, Set<String>> used = new TreeMap<>();
      for (MetricQueries.Rule r :
          MetricQueries.rules(root.resolve("compose/prometheus/alerts.yml"))) {
        used.put("rule " + r.alert(), MetricQueries.metricNames(r.expr()));
      }
      for (Path dashboard : MetricQueries.dashboards(root.resolve("compose/grafana/dashboards"))) {
        for (MetricQueries.PanelQuery q : MetricQueries.dashboardQueries(dashboard)) {
          used.merge(
              dashboard.getFileName() + " panel " + q.panel(),
              MetricQueries.metricNames(q.expr()),
              (a, b) -> {
                Set<String> all = new TreeSet<>(a);
                all.addAll(b);
                return all;
              });
        }
      }
      assertThat(used).isNotEmpty();
      used.forEach(
          (where, names) ->
              assertThat(names)
                  .as("metrics of %s", where)
                  .filteredOn(n -> !n.startsWith("order_delivery_"))
                  .allSatisfy(n -> assertThat(scraped).as("%s uses %s", where, n).contains(n)));
    }
  }
}
