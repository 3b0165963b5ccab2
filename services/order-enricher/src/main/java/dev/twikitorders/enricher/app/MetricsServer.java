package dev.twikitorders.enricher.app;

import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.enricher.flow.SystemPauses;
import dev.twikitorders.enricher.records.Outputs;
import dev.twikitorders.enricher.stats.PipelineStats;
import dev.twikitorders.ops.Health;
import dev.twikitorders.ops.JvmMeters;
import dev.twikitorders.ops.OpsServer;
import dev.twikitorders.ops.Verdict;
import dev.twikitorders.schemas.ErrorType;
import dev.twikitorders.twikit.TwikitException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's HTTP endpoint for metrics and health probes, bound to the address it is given
 * ({@code metrics.port}; port 0 there means no endpoint, and {@link #start} is not called).
 *
 * <p>Paths (exact; anything else is 404):
 *
 * <ul>
 *   <li>{@code /metrics}: Prometheus text format 0.0.4 (pipeline counters, outputs by output, the
 *       end-to-end latency histogram, Twikit client meters, Kafka Streams metrics with the consumer
 *       lag per partition, JVM and process meters).
 *   <li>{@code /health/live}: 200 while the Kafka Streams client has not failed or begun to stop,
 *       that is its state is not {@code ERROR}, {@code PENDING_ERROR}, {@code NOT_RUNNING} or
 *       {@code PENDING_SHUTDOWN}, and none of its stream threads reported is {@code DEAD}; 503
 *       otherwise. For a restart probe: while starting or rebalancing the process is live.
 *   <li>{@code /health/ready}: 200 only while the state is {@code RUNNING} and the pipeline is not
 *       paused; 503 otherwise (also while it starts or rebalances). A pipeline paused by a failure
 *       of the whole system ({@link SystemPauses}: credentials refused, 403, invalid responses, the
 *       schema registry refusing) answers {@code PAUSED} and the cause names, for example {@code
 *       PAUSED TWIKIT_FORBIDDEN\n}. For a readiness probe.
 *   <li>{@code /health}: the same as {@code /health/ready}.
 * </ul>
 *
 * <p>Only {@code GET} and {@code HEAD} are served; any other method gets 405 with an {@code Allow}
 * header. A health body is one short line: the Kafka Streams state ({@code RUNNING\n}, {@code
 * REBALANCING\n}, ...), {@code PAUSED} with the pause causes, or {@code STREAM_THREAD_DEAD\n}. No
 * secret is ever in a body, a meter name, a tag or a value, and no error detail is sent (a failing
 * scrape is a bare 500; pause details are in the log).
 *
 * <p>The serving is {@link OpsServer}'s (methods, 404, 405, HEAD, the bounded pool of daemon
 * threads named {@code metrics-http-N}); this class adds the pipeline's meters and its Kafka
 * Streams health decisions. {@link #close()} stops the server, its pool and the Kafka Streams meter
 * binding.
 *
 * <p>Thread-safe.
 */
final class MetricsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

  private static final Set<KafkaStreams.State> NOT_LIVE =
      Set.of(
          KafkaStreams.State.ERROR,
          KafkaStreams.State.PENDING_ERROR,
          KafkaStreams.State.NOT_RUNNING,
          KafkaStreams.State.PENDING_SHUTDOWN);

  private final OpsServer server;

  private MetricsServer(OpsServer server) {
    this.server = server;
  }

  /** What the health endpoints look at; read on every probe, from the serving threads. */
  interface HealthSource {
    KafkaStreams.State state();

    /** Whether the client is paused ({@link KafkaStreams#pause()}). */
    boolean paused();

    /** The names of the causes pausing the pipeline ({@link SystemPauses}), empty when none. */
    default List<String> pauseCauses() {
      return List.of();
    }

    /**
     * The states of the local stream threads ({@code StreamThread.State} names such as {@code
     * RUNNING} or {@code DEAD}).
     */
    List<String> threadStates();

    /**
     * Reads {@code streams}. Kafka Streams leaves {@code DEAD} threads out of {@link
     * KafkaStreams#metadataForLocalThreads()}, so a dead thread only shows once the client state
     * changes; the thread check is kept for the threads it does report.
     */
    static HealthSource of(KafkaStreams streams, SystemPauses pauses) {
      return new HealthSource() {
        @Override
        public KafkaStreams.State state() {
          return streams.state();
        }

        @Override
        public boolean paused() {
          return streams.isPaused();
        }

        @Override
        public List<String> pauseCauses() {
          return pauses.active().keySet().stream().map(Enum::name).toList();
        }

        @Override
        public List<String> threadStates() {
          return streams.metadataForLocalThreads().stream()
              .map(ThreadMetadata::threadState)
              .toList();
        }
      };
    }
  }

  /**
   * Liveness: the client has not failed or begun to stop, and no reported stream thread is dead.
   */
  static Verdict live(KafkaStreams.State state, List<String> threadStates) {
    if (NOT_LIVE.contains(state)) {
      return Verdict.down(state.name() + "\n");
    }
    if (threadStates.contains("DEAD")) {
      return new Verdict(false, "STREAM_THREAD_DEAD\n");
    }
    return new Verdict(true, state.name() + "\n");
  }

  /** Readiness: RUNNING and not paused. */
  static Verdict ready(KafkaStreams.State state, boolean paused) {
    return ready(state, paused, List.of());
  }

  /** Readiness: RUNNING, not paused and no pause cause active. */
  static Verdict ready(KafkaStreams.State state, boolean paused, List<String> pauseCauses) {
    if (!pauseCauses.isEmpty() && state.isRunningOrRebalancing()) {
      return new Verdict(false, "PAUSED " + String.join(" ", pauseCauses) + "\n");
    }
    if (paused && state.isRunningOrRebalancing()) {
      return new Verdict(false, "PAUSED\n");
    }
    return new Verdict(state == KafkaStreams.State.RUNNING && !paused, state.name() + "\n");
  }

  static PrometheusMeterRegistry registry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /**
   * Registers the pipeline and Kafka Streams meters on {@code registry} and serves them and the
   * health of {@code streams} on {@code address}.
   *
   * @param address where to listen; port 0 picks a free port (see {@link #address()})
   * @throws UncheckedIOException when the address cannot be bound
   */
  static MetricsServer start(
      InetSocketAddress address,
      PrometheusMeterRegistry registry,
      KafkaStreams streams,
      PipelineStats stats,
      SystemPauses pauses) {
    return start(address, registry, streams, stats, pauses, null);
  }

  /**
   * As {@link #start(InetSocketAddress, PrometheusMeterRegistry, KafkaStreams, PipelineStats,
   * SystemPauses)}, and with {@code config} also the status page ({@code /} and {@code
   * /status.json}, {@link EnricherStatus}) from the same meters.
   */
  static MetricsServer start(
      InetSocketAddress address,
      PrometheusMeterRegistry registry,
      KafkaStreams streams,
      PipelineStats stats,
      SystemPauses pauses,
      EnricherConfig config) {
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
    Gauge.builder("order_enricher.events.parked", stats, PipelineStats::parkedEvents)
        .description("events admitted but not started: their partition is paused at the source")
        .register(registry);
    Gauge.builder(
            "order_enricher.oldest.pending.age.seconds",
            stats,
            s ->
                s.oldestPendingSince()
                    .map(t -> Duration.between(t, Instant.now()).toMillis() / 1000.0)
                    .orElse(0.0))
        .description("age of the oldest event admitted and not yet emitted")
        .register(registry);
    for (TwikitException.Kind kind : TwikitException.Kind.values()) {
      FunctionCounter.builder(
              "order_enricher.twikit.failed.attempts",
              stats,
              s -> s.failedAttempts().getOrDefault(kind.name(), 0L))
          .description("failed Twikit calls that were retried")
          .tag("kind", kind.name())
          .register(registry);
    }
    for (SystemPauses.Cause cause : SystemPauses.Cause.values()) {
      FunctionCounter.builder("order_enricher.pauses", pauses, p -> p.activations(cause))
          .description("times a failure of the whole system paused the pipeline")
          .tag("cause", cause.name())
          .register(registry);
      Gauge.builder("order_enricher.paused", pauses, p -> p.active().containsKey(cause) ? 1 : 0)
          .description("1 while this cause pauses the pipeline")
          .tag("cause", cause.name())
          .register(registry);
    }
    for (Outputs.Role role : Outputs.Role.values()) {
      FunctionCounter.builder("order_enricher.outputs", stats, s -> s.outputsWritten(role.name()))
          .description("output records forwarded, by output (erp, fulfillment, dead_letter)")
          .tag("output", role.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    Timer endToEnd =
        Timer.builder("order_enricher.end.to.end.latency")
            .description("from an event's occurredAt to the emission of its outputs")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(10))
            .maximumExpectedValue(Duration.ofHours(1))
            .register(registry);
    stats.onEndToEnd(endToEnd::record);
    for (ErrorType type : ErrorType.values()) {
      FunctionCounter.builder(
              "order_enricher.dead.letters", stats, s -> s.deadLetters().getOrDefault(type, 0L))
          .tag("error_type", type.name())
          .register(registry);
    }
    JvmGcMetrics gc = bindJvm(registry);
    KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(registry);
    EnricherStatus status =
        config == null
            ? null
            : new EnricherStatus(
                config, streams, stats, pauses, registry, java.time.Clock.systemUTC());
    AutoCloseable unbind =
        () -> {
          if (status != null) {
            status.close();
          }
          gc.close();
          try {
            streamsMetrics.close();
          } catch (RuntimeException e) {
            LOG.warn("Cannot unbind the Kafka Streams metrics", e);
          }
        };
    try {
      return new MetricsServer(
          OpsServer.serve(
              address, registry, health(HealthSource.of(streams, pauses)), status, unbind));
    } catch (RuntimeException e) {
      if (status != null) {
        status.close();
      }
      gc.close();
      streamsMetrics.close();
      throw e;
    }
  }

  /** {@link JvmMeters#bind}. */
  static JvmGcMetrics bindJvm(MeterRegistry registry) {
    return JvmMeters.bind(registry);
  }

  /**
   * Serves {@code registry} and the health of {@code health} on {@code address}, registering no
   * meter.
   */
  static MetricsServer serve(
      InetSocketAddress address, PrometheusMeterRegistry registry, HealthSource health) {
    return serve(address, registry, health, () -> {});
  }

  private static MetricsServer serve(
      InetSocketAddress address,
      PrometheusMeterRegistry registry,
      HealthSource health,
      AutoCloseable onClose) {
    return new MetricsServer(OpsServer.serve(address, registry, health(health), onClose));
  }

  /** The Kafka Streams health decisions over {@code source}, read on every probe. */
  static Health health(HealthSource source) {
    return new Health() {
      @Override
      public Verdict live() {
        return MetricsServer.live(source.state(), source.threadStates());
      }

      @Override
      public Verdict ready() {
        return MetricsServer.ready(source.state(), source.paused(), source.pauseCauses());
      }
    };
  }

  /** The bound address: with port 0 requested, the port actually chosen. */
  InetSocketAddress address() {
    return server.address();
  }

  /** Stops serving at once (open exchanges are cut), then the pool and the meter binding. */
  @Override
  public void close() {
    server.close();
  }
}
