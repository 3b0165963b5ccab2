package dev.twikitorders.enricher.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.twikitorders.enricher.stats.PipelineStats;
import dev.twikitorders.schemas.ErrorType;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Serves {@code GET /metrics} (Prometheus text format: pipeline counters, Twikit client meters,
 * Kafka Streams metrics) and {@code GET /health} (200 while Kafka Streams runs or rebalances, 503
 * otherwise) on {@code metrics.port}. No secret is ever a meter name, tag or value.
 *
 * <p>Thread-safe.
 */
final class MetricsServer implements AutoCloseable {
  private final HttpServer server;
  private final KafkaStreamsMetrics streamsMetrics;

  private MetricsServer(HttpServer server, KafkaStreamsMetrics streamsMetrics) {
    this.server = server;
    this.streamsMetrics = streamsMetrics;
  }

  static PrometheusMeterRegistry registry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  static MetricsServer start(
      int port, PrometheusMeterRegistry registry, KafkaStreams streams, PipelineStats stats) {
    FunctionCounter.builder("order_enricher.events.read", stats, PipelineStats::eventsRead)
        .description("input records read")
        .register(registry);
    FunctionCounter.builder("order_enricher.lines.enriched", stats, PipelineStats::linesEnriched)
        .description("configured lines enriched (PLACED)")
        .register(registry);
    FunctionCounter.builder("order_enricher.lines.cancelled", stats, PipelineStats::linesCancelled)
        .register(registry);
    Gauge.builder("order_enricher.events.pending", stats, PipelineStats::pendingEvents)
        .description("events admitted and not yet emitted")
        .register(registry);
    FunctionCounter.builder("order_enricher.events.restored", stats, PipelineStats::restoredEvents)
        .description("pending events re-issued after a restore")
        .register(registry);
    for (ErrorType type : ErrorType.values()) {
      FunctionCounter.builder(
              "order_enricher.dead.letters", stats, s -> s.deadLetters().getOrDefault(type, 0L))
          .tag("error_type", type.name())
          .register(registry);
    }
    KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(registry);
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
      server.setExecutor(
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "metrics-http");
                t.setDaemon(true);
                return t;
              }));
      server.createContext(
          "/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4", registry.scrape()));
      server.createContext(
          "/health",
          ex -> {
            KafkaStreams.State state = streams.state();
            boolean up =
                state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
            respond(ex, up ? 200 : 503, "text/plain", state.name() + "\n");
          });
      server.start();
      return new MetricsServer(server, streamsMetrics);
    } catch (IOException e) {
      streamsMetrics.close();
      throw new UncheckedIOException("cannot serve metrics on port " + port, e);
    }
  }

  private static void respond(HttpExchange ex, int status, String type, String body)
      throws IOException {
    try (ex) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", type);
      ex.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    streamsMetrics.close();
  }
}
