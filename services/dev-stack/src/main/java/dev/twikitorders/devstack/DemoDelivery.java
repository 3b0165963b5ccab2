package dev.twikitorders.devstack;

import dev.twikitorders.auth.AuthScheme;
import dev.twikitorders.connections.KafkaConnection;
import dev.twikitorders.connections.RegistrySettings;
import dev.twikitorders.delivery.app.DeliveryApp;
import dev.twikitorders.delivery.config.DeliveryConfig;
import dev.twikitorders.delivery.config.DeliverySettings;
import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.sandbox.sink.SinkRecording;
import dev.twikitorders.settings.ConfigSources;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * The demo's {@code --deliver} step: runs the delivery service in-process ({@link DeliveryApp})
 * from the pipeline's ERP topic to the sandbox's sink {@code /sink/erp}, authenticated with the
 * pipeline's client credentials, until the sink holds the idempotency key of every ERP record the
 * tally read (or the timeout, or the service failed), then stops it.
 *
 * <p>Not thread-safe; one run per instance of the embedded stack (the sink is cleared first).
 */
final class DemoDelivery {
  /** The sandbox sink the demo delivers to. */
  static final String SINK = "erp";

  private static final String ORIGIN = "demo --deliver";
  private static final long POLL_NANOS = Duration.ofMillis(100).toNanos();

  private DemoDelivery() {}

  /**
   * What the sink received.
   *
   * @param onTopic distinct idempotency keys of the ERP records on the topic
   * @param delivered of those, the keys the sink recorded
   * @param distinctKeys distinct keys the sink recorded (all of them, expected or not)
   * @param duplicates items the sink recorded again under a key it already had
   * @param deadLetters records the delivery service dead-lettered
   * @param elapsed from the start of the service to the last key (or to giving up)
   * @param failure why the service failed, or null
   */
  record Result(
      long onTopic,
      long delivered,
      long distinctKeys,
      long duplicates,
      long deadLetters,
      Duration elapsed,
      Throwable failure) {
    /** Every ERP record's key reached the sink and nothing was dead-lettered. */
    boolean complete() {
      return delivered == onTopic && deadLetters == 0 && failure == null;
    }
  }

  /** The delivery service's configuration over the embedded stack's addresses. */
  static DeliveryConfig config(EnricherConfig pipeline, TwikitSandbox sandbox) {
    ConfigSources sources = new ConfigSources(DeliveryConfig.CATALOG);
    sources
        .set(KafkaConnection.BOOTSTRAP_SERVERS.key(), pipeline.kafka().bootstrapServers(), ORIGIN)
        .set(RegistrySettings.URL.key(), pipeline.registry().url(), ORIGIN)
        .set(DeliverySettings.TOPIC.key(), pipeline.topics().erp(), ORIGIN)
        .set(DeliverySettings.URL.key(), sandbox.sinkUrl(SINK).toString(), ORIGIN)
        .set(
            DeliverySettings.AUTH.scheme().key(),
            AuthScheme.CLIENT_CREDENTIALS.settingValue(),
            ORIGIN)
        .set(DeliverySettings.AUTH.tokenUrl().key(), sandbox.tokenUrl().toString(), ORIGIN)
        .set(DeliverySettings.AUTH.clientId().key(), pipeline.twikit().clientId(), ORIGIN)
        .set(
            DeliverySettings.AUTH.clientSecret().key(),
            pipeline.twikit().clientSecret().revealAsString(),
            ORIGIN);
    return DeliveryConfig.from(sources);
  }

  /**
   * Delivers the ERP topic until the sink holds every key of {@code expectedKeys}; prints progress
   * to {@code progress}.
   */
  static Result run(
      EnricherConfig pipeline,
      TwikitSandbox sandbox,
      Set<String> expectedKeys,
      Duration timeout,
      PrintWriter progress) {
    sandbox.clearSink(SINK);
    long started = System.nanoTime();
    long deadline = started + timeout.toNanos();
    try (DeliveryApp app = DeliveryApp.start(config(pipeline, sandbox))) {
      long lastPrint = 0;
      SinkRecording sink = sandbox.sink(SINK);
      long delivered = deliveredOf(sink, expectedKeys);
      while (delivered < expectedKeys.size()
          && app.failure() == null
          && System.nanoTime() < deadline) {
        LockSupport.parkNanos(POLL_NANOS);
        sink = sandbox.sink(SINK);
        delivered = deliveredOf(sink, expectedKeys);
        if (System.nanoTime() - lastPrint > 500_000_000L) {
          progress.printf(
              "\r  delivery: %d/%d ERP records at the sink, %d dead letters   ",
              delivered, expectedKeys.size(), app.metrics().deadLettered());
          progress.flush();
          lastPrint = System.nanoTime();
        }
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
      progress.println();
      // a duplicate would arrive with the last records: read the sink once more before stopping
      sink = sandbox.sink(SINK);
      return new Result(
          expectedKeys.size(),
          deliveredOf(sink, expectedKeys),
          sink.distinctKeys(),
          sink.duplicates(),
          app.metrics().deadLettered(),
          elapsed,
          app.failure());
    }
  }

  private static long deliveredOf(SinkRecording sink, Set<String> expectedKeys) {
    Set<String> seen = new HashSet<>(sink.countByKey().keySet());
    seen.retainAll(expectedKeys);
    return seen.size();
  }

  /** The summary lines of a delivery run. */
  static void print(PrintWriter out, String topic, String sinkUrl, Result r) {
    out.println();
    out.printf("Delivery (%s -> %s, client_credentials)%n", topic, sinkUrl);
    out.printf("  records on the topic:   %d%n", r.onTopic());
    out.printf(
        "  delivered to the sink:  %d of them (distinct keys at the sink %d, duplicates %d)%n",
        r.delivered(), r.distinctKeys(), r.duplicates());
    out.printf("  dead letters:           %d%n", r.deadLetters());
    if (r.complete()) {
      out.printf("Every ERP record delivered in %.1f s.%n", r.elapsed().toMillis() / 1000.0);
    } else if (r.failure() != null) {
      out.printf("DELIVERY FAILED: %s%n", r.failure().getMessage());
    } else {
      out.printf(
          "DELIVERY INCOMPLETE: %d ERP records missing at the sink, %d dead letters, after %.1f s.%n",
          r.onTopic() - r.delivered(), r.deadLetters(), r.elapsed().toMillis() / 1000.0);
    }
    out.flush();
  }
}
