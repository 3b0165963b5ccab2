package dev.twikitorders.delivery.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.capacity.ConcurrencySettings;
import dev.twikitorders.delivery.DeliveryCapacity;
import dev.twikitorders.schemas.ErrorType;
import dev.twikitorders.testfixtures.compose.ComposeFile;
import dev.twikitorders.testfixtures.compose.MetricQueries;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The delivery service's registry as {@code DeliveryApp} builds it ({@link DeliveryMetrics} and the
 * JVM binders) has every {@code order_delivery_*}, {@code jvm_*} and {@code process_*} name the
 * Grafana dashboards and the Prometheus rules under {@code compose/} use.
 */
class DeliveryMetricsTest {

  private static final java.util.concurrent.ScheduledExecutorService SCHEDULER =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "metrics-test");
            t.setDaemon(true);
            return t;
          });

  private static String scrape() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    DeliveryMetrics metrics = new DeliveryMetrics(registry);
    metrics.capacity(DeliveryCapacity.create(ConcurrencySettings.fixed(7), 25, SCHEDULER));
    try (JvmGcMetrics gc = DeliveryMetrics.bindJvm(registry)) {
      metrics.accepted(3);
      metrics.deadLettered(
          new DeadLetterWriter.Failure(ErrorType.DELIVERY_REJECTED, "refused", 400, "", 1, null),
          "order-1",
          "line-1",
          null,
          "event-1:line-1");
      return registry.scrape();
    } finally {
      registry.close();
    }
  }

  @Test
  void countsAndJvmMetersAreScraped() {
    String scrape = scrape();
    assertThat(scrape)
        .containsPattern("(?m)^order_delivery_records_delivered_total 3")
        .containsPattern(
            "(?m)^order_delivery_dead_letters_total\\{error_type=\"DELIVERY_REJECTED\"} 1")
        .contains("jvm_memory_used_bytes{")
        .contains("jvm_threads_live_threads ")
        .contains("process_cpu_usage ")
        .contains("process_uptime_seconds ");
  }

  @Test
  void theCapacityMetersShowTheLimitTheRequestsInFlightAndTheRate() {
    String scrape = scrape();
    assertThat(scrape)
        .containsPattern("(?m)^order_delivery_concurrency_limit 7")
        .containsPattern("(?m)^order_delivery_requests_in_flight 0")
        .containsPattern("(?m)^order_delivery_rate_limit 25");
  }

  @Test
  void withoutCapacityTheMetersExistAndShowZero() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    DeliveryMetrics metrics = new DeliveryMetrics(registry);
    assertThat(metrics.concurrencyLimit()).isZero();
    assertThat(registry.scrape())
        .containsPattern("(?m)^order_delivery_concurrency_limit 0")
        .containsPattern("(?m)^order_delivery_requests_in_flight 0")
        .containsPattern("(?m)^order_delivery_rate_limit 0");
    registry.close();
  }

  @Test
  void everyDeliveryMetricOfTheDashboardsAndRulesExists() {
    Set<String> scraped = MetricQueries.sampleNames(scrape());
    Path root = ComposeFile.repoRoot();
    List<String> used = new ArrayList<>();
    for (MetricQueries.Rule r :
        MetricQueries.rules(root.resolve("compose/prometheus/alerts.yml"))) {
      used.addAll(MetricQueries.metricNames(r.expr()));
    }
    for (Path dashboard : MetricQueries.dashboards(root.resolve("compose/grafana/dashboards"))) {
      for (MetricQueries.PanelQuery q : MetricQueries.dashboardQueries(dashboard)) {
        used.addAll(MetricQueries.metricNames(q.expr()));
      }
    }
    List<String> ours =
        used.stream()
            .filter(
                n ->
                    n.startsWith("order_delivery_")
                        || n.startsWith("jvm_")
                        || n.startsWith("process_"))
            .distinct()
            .toList();
    assertThat(ours)
        .as("delivery and JVM metrics used")
        .anyMatch(n -> n.startsWith("order_delivery_"));
    assertThat(ours).allSatisfy(n -> assertThat(scraped).as("used: %s", n).contains(n));
  }
}
