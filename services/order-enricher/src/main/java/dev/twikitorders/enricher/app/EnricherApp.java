package dev.twikitorders.enricher.app;

import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.enricher.enrichment.OrderEnricher;
import dev.twikitorders.enricher.flow.InputGate;
import dev.twikitorders.enricher.flow.SystemPauses;
import dev.twikitorders.enricher.records.PipelineTopics;
import dev.twikitorders.enricher.stats.PipelineStats;
import dev.twikitorders.enricher.topology.EnricherTopology;
import dev.twikitorders.ops.MetricsSettings;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.SchemaRegistryException;
import dev.twikitorders.settings.ConfigException;
import dev.twikitorders.twikit.TwikitApi;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the running pipeline by hand: Twikit client, schema registry, topics, topology and Kafka
 * Streams. Checks every dependency before consuming (fail fast, naming the setting).
 *
 * <p>Thread-safe: {@link #close()} may be called from a shutdown hook.
 */
public final class EnricherApp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EnricherApp.class);

  private final EnricherConfig config;
  private final TwikitApi twikit;
  private final OrderEnricher enricher;
  private final SchemaRegistryClient registry;
  private final StreamsInstance instance;
  private final KafkaStreams streams;
  private final PipelineStats stats;
  private final SystemPauses pauses;
  private final FailureSummary summary;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile MetricsServer metrics;
  private final AtomicReference<Throwable> fatal = new AtomicReference<>();
  private final java.util.concurrent.atomic.AtomicInteger consecutiveInfraFailures =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile long lastInfraFailureNanos = System.nanoTime();

  private EnricherApp(
      EnricherConfig config,
      TwikitApi twikit,
      OrderEnricher enricher,
      SchemaRegistryClient registry,
      StreamsInstance instance,
      KafkaStreams streams,
      PipelineStats stats,
      SystemPauses pauses) {
    this.config = config;
    this.twikit = twikit;
    this.enricher = enricher;
    this.registry = registry;
    this.instance = instance;
    this.streams = streams;
    this.stats = stats;
    this.pauses = pauses;
    this.summary = new FailureSummary(stats, pauses, Clock.systemUTC());
  }

  /**
   * Checks Kafka, the registry and Twikit (reachability and credentials), creates missing topics
   * when allowed, and starts the Kafka Streams application. A dependency that does not answer is
   * retried with backoff for {@code startup.timeout.ms} (one log line per wait).
   *
   * @throws ConfigException when a setting is wrong: a bad value, credentials refused, a missing
   *     topic
   * @throws DependencyUnavailableException when a dependency stayed unreachable for {@code
   *     startup.timeout.ms}
   */
  public static EnricherApp start(EnricherConfig config) {
    config.requireExternal();
    Wiring wiring = Wiring.of(config);
    PipelineStats stats = new PipelineStats();
    SystemPauses pauses = SystemPauses.create();
    InputGate gate = new InputGate(pauses);
    var meters = config.metrics().enabled() ? MetricsServer.registry() : null;
    StartupRetry retry =
        new StartupRetry(
            config.startup().timeout(),
            StartupRetry.Clock.SYSTEM,
            () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble(),
            LOG::warn);
    TwikitApi twikit = wiring.twikitClient(meters);
    SchemaRegistryClient registry = null;
    OrderEnricher enricher = null;
    StreamsInstance instance = null;
    KafkaStreams streams = null;
    try {
      retry.until(Preflight.kafka(config), timeout -> Preflight.checkKafka(config, timeout));
      SchemaRegistryClient reg = wiring.registryClient();
      registry = reg;
      retry.until(Preflight.registry(config), timeout -> Preflight.checkRegistry(config, reg));
      retry.until(
          Preflight.twikit(config), timeout -> Preflight.checkTwikit(config, twikit, timeout));
      retry.until(Preflight.kafka(config), timeout -> Preflight.ensureTopics(config, timeout));

      instance = StreamsInstance.of(config.kafka());
      LOG.info(
          "Group instance id {} (threads {}-<n>), state directory {}{}",
          instance.groupInstanceId(),
          instance.groupInstanceId(),
          instance.stateDir() == null ? "(Kafka Streams default)" : instance.stateDir(),
          instance.derived() ? " (slot of this host)" : "");
      enricher = wiring.enricher(twikit, pauses, stats);
      PipelineTopics topics = wiring.topics(registry);
      var topology =
          EnricherTopology.build(
              topics,
              wiring.eventDecoder(registry),
              enricher,
              wiring.processingSettings(
                  OutputLimits.maxOutputBytes(config, wiring.maxRequestSize())),
              gate,
              stats,
              Clock.systemUTC());
      streams =
          new KafkaStreams(
              topology,
              wiring.streamsProperties(topics, instance),
              wiring.clientSupplier(instance, gate));
      EnricherApp app =
          new EnricherApp(config, twikit, enricher, registry, instance, streams, stats, pauses);
      streams.setUncaughtExceptionHandler(app::onUncaught);
      streams.setStateListener(app::onStateChange);
      if (meters != null) {
        app.metrics = startMetrics(config, meters, streams, stats, pauses);
        LOG.info(
            "Metrics and health on {} port {}: /metrics, /health/live, /health/ready",
            app.metrics.address().getHostString(),
            app.metrics.address().getPort());
      }
      streams.start();
      app.summary.start();
      LOG.info(
          "Order enricher started: {} -> {}, {}, {} (mode {}, application.id {})",
          config.topics().orderEvents(),
          config.topics().erp(),
          config.topics().fulfillment(),
          config.topics().deadLetters(),
          config.enrichment().mode(),
          config.kafka().applicationId());
      return app;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeAll(streams, enricher, registry, twikit, instance);
      throw new ConfigException("interrupted while waiting for the pipeline's dependencies");
    } catch (RuntimeException e) {
      closeAll(streams, enricher, registry, twikit, instance);
      throw e;
    }
  }

  private static void closeAll(
      KafkaStreams streams,
      OrderEnricher enricher,
      SchemaRegistryClient registry,
      TwikitApi twikit,
      StreamsInstance instance) {
    if (streams != null) {
      streams.close(Duration.ofSeconds(10));
    }
    Closeables.closeQuietly(enricher, LOG);
    Closeables.closeQuietly(registry, LOG);
    Closeables.closeQuietly(twikit, LOG);
    Closeables.closeQuietly(instance, LOG);
  }

  private static MetricsServer startMetrics(
      EnricherConfig config,
      PrometheusMeterRegistry meters,
      KafkaStreams streams,
      PipelineStats stats,
      SystemPauses pauses) {
    var address = new InetSocketAddress(config.metrics().bindAddress(), config.metrics().port());
    try {
      return MetricsServer.start(address, meters, streams, stats, pauses, config);
    } catch (UncheckedIOException e) {
      throw new ConfigException(
          "cannot serve metrics on "
              + config.metrics().bindAddress()
              + " port "
              + config.metrics().port()
              + " (settings "
              + MetricsSettings.BIND_ADDRESS.key()
              + " and "
              + MetricsSettings.PORT.key()
              + "): "
              + e.getCause());
    }
  }

  private StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse onUncaught(Throwable e) {
    if (isTransientInfrastructure(e)) {
      // e.g. the schema registry is down: nothing was committed, the records are read again by a
      // new
      // thread; back off so that an outage does not spin
      long now = System.nanoTime();
      if (now - lastInfraFailureNanos > java.util.concurrent.TimeUnit.MINUTES.toNanos(5)) {
        consecutiveInfraFailures.set(0);
      }
      lastInfraFailureNanos = now;
      int n = consecutiveInfraFailures.incrementAndGet();
      long backoffMs = Math.min(30_000L, 500L << Math.min(n, 6));
      LOG.error(
          "Stream thread failed on unavailable infrastructure ({}); replacing it in {} ms (failure {} in a row)",
          e.toString(),
          backoffMs,
          n);
      try {
        Thread.sleep(backoffMs); // on the dying stream thread: delays the replacement, nothing else
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    }
    LOG.error("Stream thread failed; stopping this instance so that it restarts cleanly", e);
    fatal.compareAndSet(null, e);
    return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
  }

  /** Whether {@code e} comes from infrastructure that may come back (registry, broker timeouts). */
  static boolean isTransientInfrastructure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SchemaRegistryException sre) {
        return sre.isRetriable() || sre.httpStatus() == 0;
      }
      if (t instanceof org.apache.kafka.common.errors.RetriableException) {
        return true;
      }
    }
    return false;
  }

  private void onStateChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
    LOG.info("Kafka Streams state {} -> {}", oldState, newState);
    if (newState == KafkaStreams.State.NOT_RUNNING || newState == KafkaStreams.State.ERROR) {
      stopped.countDown();
    }
  }

  public KafkaStreams streams() {
    return streams;
  }

  public PipelineStats stats() {
    return stats;
  }

  /** What pauses the pipeline now, if anything. */
  public SystemPauses pauses() {
    return pauses;
  }

  public EnricherConfig config() {
    return config;
  }

  /** Blocks until Kafka Streams stops (after {@link #close()} or a fatal error). */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /** Waits up to {@code timeout} for the RUNNING state. */
  public boolean awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (streams.state() == KafkaStreams.State.RUNNING) {
        return true;
      }
      if (stopped.await(20, TimeUnit.MILLISECONDS)) {
        return false;
      }
    }
    return streams.state() == KafkaStreams.State.RUNNING;
  }

  /** The error that stopped the pipeline, if one did. */
  public Throwable fatalError() {
    return fatal.get();
  }

  @Override
  public void close() {
    // leave the group: a restarted or remaining instance takes the partitions over at once instead
    // of
    // waiting out session.timeout.ms
    streams.close(
        CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(30)));
    Closeables.closeQuietly(summary, LOG);
    Closeables.closeQuietly(metrics, LOG);
    Closeables.closeQuietly(enricher, LOG);
    Closeables.closeQuietly(twikit, LOG);
    Closeables.closeQuietly(registry, LOG);
    Closeables.closeQuietly(instance, LOG);
    stopped.countDown();
  }
}
