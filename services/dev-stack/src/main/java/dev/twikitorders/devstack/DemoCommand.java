package dev.twikitorders.devstack;

import dev.twikitorders.enricher.app.EnricherApp;
import dev.twikitorders.enricher.app.Wiring;
import dev.twikitorders.enricher.cli.ConfigOptions;
import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.ops.MetricsSettings;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.schemas.OrderEvent;
import dev.twikitorders.settings.ConfigSources;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The end-to-end demo on the embedded stack. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Starts the embedded stack (Kafka broker, schema registry, Twikit sandbox) and the pipeline, produces sample orders (several configured lines, plain products, cancellations and a few bad records), shows progress, then prints sample ERP and fulfillment records and a summary, checks that every line is accounted for, and exits. With --deliver it then runs the delivery service in-process, POSTing the ERP records to the sandbox's sink, and checks that every one arrived. With --keep-running everything keeps running after the summary, with the pipeline's status page on --metrics-port, until Ctrl-C or SIGTERM. Exit code 0 when the outputs are complete and exact (and, with --deliver, every ERP record was delivered), 1 otherwise.")
public final class DemoCommand implements Callable<Integer> {
  @Mixin ConfigOptions options = new ConfigOptions();
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--orders",
      defaultValue = "300",
      description = "Orders to generate (default: ${DEFAULT-VALUE}).")
  int orders;

  @Option(
      names = "--latency-ms",
      defaultValue = "20",
      description = "Twikit sandbox API latency in ms (default: ${DEFAULT-VALUE}).")
  long latencyMs;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Random seed of the sample orders (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--timeout-s",
      defaultValue = "180",
      description =
          "Give up waiting for the outputs after this many seconds (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(
      names = "--deliver",
      description =
          "After the pipeline's outputs are complete, run the delivery service (services/delivery) in-process: it POSTs every ERP record to the sandbox's sink /sink/erp with the pipeline's client credentials; the demo waits until the sink has every record's idempotency key (at most --timeout-s), prints a delivery summary (records on the topic, delivered: distinct keys, duplicates, dead letters) and requires every record delivered for exit code 0.")
  boolean deliver;

  @Option(
      names = "--keep-running",
      description =
          "After the summary, keep the embedded stack and the pipeline (and with --deliver the delivery service) running, print the status page URL, and stop everything on Ctrl-C or SIGTERM.")
  boolean keepRunning;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description =
          "Port of the pipeline's status page, /metrics and /health on 127.0.0.1 (default: a free port).")
  Integer metricsPort;

  /** Released by the shutdown hook of --keep-running; the hook then waits for {@link #closed}. */
  private final java.util.concurrent.CountDownLatch stopRequested =
      new java.util.concurrent.CountDownLatch(1);

  private final java.util.concurrent.CountDownLatch closed =
      new java.util.concurrent.CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    if (orders < 1) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--orders must be at least 1");
    }
    if (metricsPort != null && (metricsPort < 1 || metricsPort > 65_535)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--metrics-port must be between 1 and 65535, was " + metricsPort);
    }
    ConfigSources sources = options.sources(System.getenv());
    // the demo always runs on its own embedded stack, whatever the environment points at
    EmbeddedInfrastructure.ADDRESSES.forEach(setting -> sources.clear(setting.key()));
    // the status page, /metrics and /health on loopback
    int port = metricsPort != null ? metricsPort : freePort();
    sources.set(MetricsSettings.PORT.key(), String.valueOf(port), "--metrics-port");
    sources.set(MetricsSettings.BIND_ADDRESS.key(), "127.0.0.1", "the demo");
    try {
      return run(sources, port);
    } finally {
      closed.countDown();
    }
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * With --keep-running: prints where to look and blocks until Ctrl-C or SIGTERM (the JVM's
   * shutdown hook releases it, then waits for the stack to close).
   */
  private void keepRunning(PrintWriter out, int port) throws InterruptedException {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopRequested.countDown();
                  try {
                    closed.await(60, java.util.concurrent.TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "demo-stop"));
    out.println();
    out.println("Still running (--keep-running): the embedded stack and the pipeline.");
    out.println("  Status page: http://127.0.0.1:" + port + "/");
    out.println("  Metrics:     http://127.0.0.1:" + port + "/metrics");
    out.println("Stop with Ctrl-C (or SIGTERM).");
    out.flush();
    stopRequested.await();
    out.println("Stopping ...");
    out.flush();
  }

  private int run(ConfigSources sources, int port) throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long started = System.nanoTime();
    out.println("Starting the embedded stack: Kafka (KRaft), schema registry, Twikit sandbox ...");
    out.flush();
    try (EmbeddedInfrastructure infra =
        EmbeddedInfrastructure.start(sources, Duration.ofMillis(latencyMs))) {
      EnricherConfig config = infra.config();
      out.printf(
          "  Kafka %s | registry %s | Twikit API %s (%d ms latency)%n",
          config.kafka().bootstrapServers(),
          config.registry().url(),
          config.twikit().apiUrl(),
          latencyMs);
      Wiring wiring = Wiring.of(config);
      try (EnricherApp app = EnricherApp.start(config);
          SchemaRegistryClient registry = wiring.registryClient();
          OutputTally tally =
              new OutputTally(
                  config.kafka().bootstrapServers(),
                  registry,
                  config.topics().erp(),
                  config.topics().fulfillment(),
                  config.topics().deadLetters())) {
        SampleOrders sample = SampleOrders.generate(orders, seed, Instant.now());
        SampleOrders.Expected expected = sample.expected();
        produce(config, wiring.orderEventSerializer(registry), sample);
        out.printf(
            "Produced %d order events to %s (%d configured lines expected in each output, %d dead letters).%n",
            sample.items().size(),
            config.topics().orderEvents(),
            expected.erp(),
            expected.deadLetters());
        out.flush();

        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        long lastPrint = 0;
        while (System.nanoTime() < deadline && !complete(tally, expected)) {
          tally.poll(Duration.ofMillis(200));
          if (System.nanoTime() - lastPrint > 500_000_000L) {
            err.printf(
                "\r  progress: ERP %d/%d, fulfillment %d/%d, dead letters %d/%d, pending %d   ",
                tally.erp(),
                expected.erp(),
                tally.fulfillment(),
                expected.fulfillment(),
                tally.deadLetters(),
                expected.deadLetters(),
                app.stats().pendingEvents());
            err.flush();
            lastPrint = System.nanoTime();
          }
        }
        // anything beyond the expectation would be a duplicate: give it a moment to show up
        tally.poll(Duration.ofMillis(500));
        err.println();
        printSamples(out, tally);
        boolean exact = exact(tally, expected);
        printSummary(
            out,
            sample,
            expected,
            tally,
            app,
            Duration.ofNanos(System.nanoTime() - started),
            exact);
        boolean ok = exact && (!deliver || deliver(out, err, infra, tally));
        if (keepRunning) {
          keepRunning(out, port);
        }
        return ok ? 0 : 1;
      }
    }
  }

  /** The {@code --deliver} step; true when every ERP record reached the sink. */
  private boolean deliver(
      PrintWriter out, PrintWriter err, EmbeddedInfrastructure infra, OutputTally tally) {
    if (infra.sandbox() == null) {
      out.println("--deliver needs the embedded Twikit sandbox (its sink): not delivering.");
      return false;
    }
    EnricherConfig config = infra.config();
    String sinkUrl = infra.sandbox().sinkUrl(DemoDelivery.SINK).toString();
    out.println();
    out.printf("Starting the delivery service: %s -> %s ...%n", config.topics().erp(), sinkUrl);
    out.flush();
    DemoDelivery.Result result =
        DemoDelivery.run(
            config, infra.sandbox(), tally.erpKeys(), Duration.ofSeconds(timeoutSeconds), err);
    DemoDelivery.print(out, config.topics().erp(), sinkUrl, result);
    return result.complete();
  }

  private static boolean complete(OutputTally t, SampleOrders.Expected e) {
    return t.erp() >= e.erp()
        && t.fulfillment() >= e.fulfillment()
        && t.deadLetters() >= e.deadLetters();
  }

  private static boolean exact(OutputTally t, SampleOrders.Expected e) {
    return t.erp() == e.erp()
        && t.fulfillment() == e.fulfillment()
        && t.deadLetters() == e.deadLetters();
  }

  private static void produce(
      EnricherConfig config, Serializer<OrderEvent> serializer, SampleOrders sample) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (SampleOrders.Item item : sample.items()) {
        byte[] value =
            item.event() != null
                ? serializer.serialize(config.topics().orderEvents(), item.event())
                : item.raw();
        producer.send(new ProducerRecord<>(config.topics().orderEvents(), item.key(), value));
      }
      producer.flush();
    }
  }

  private static void printSamples(PrintWriter out, OutputTally tally) {
    out.println();
    out.println("Sample ERP records (erp.configuration-summaries):");
    for (GenericRecord r : tally.erpSamples()) {
      out.printf(
          "  %s line %s %-9s %s x%s %s %s %s | config %s | params %s%n",
          r.get("orderId"),
          r.get("lineId"),
          r.get("status"),
          r.get("sku"),
          r.get("quantity"),
          r.get("productTitle"),
          orDash(r.get("price")),
          orDash(r.get("currency")),
          r.get("configurationId"),
          r.get("parameters"));
    }
    out.println("Sample fulfillment records (fulfillment.configurations):");
    for (GenericRecord r : tally.fulfillmentSamples()) {
      out.printf(
          "  %s line %s %-9s %s x%s | params %s | resources %s%n",
          r.get("orderId"),
          r.get("lineId"),
          r.get("status"),
          r.get("productTitle"),
          r.get("quantity"),
          r.get("parameters"),
          r.get("resources"));
    }
    out.println("Sample dead letters (order-events.dlq):");
    for (GenericRecord r : tally.deadLetterSamples()) {
      out.printf(
          "  %-13s %s/%s@%s order %s line %s: %s%n",
          r.get("errorType"),
          r.get("sourceTopic"),
          r.get("sourcePartition"),
          r.get("sourceOffset"),
          orDash(r.get("orderId")),
          orDash(r.get("lineId")),
          r.get("message"));
    }
  }

  private static Object orDash(Object o) {
    return o == null ? "-" : o;
  }

  private static void printSummary(
      PrintWriter out,
      SampleOrders sample,
      SampleOrders.Expected expected,
      OutputTally tally,
      EnricherApp app,
      Duration elapsed,
      boolean exact) {
    out.println();
    out.println("Summary (outputs read back with isolation.level=read_committed)");
    out.println("+-------------------------------+----------+----------+");
    out.println("| what                          | expected |   actual |");
    out.println("+-------------------------------+----------+----------+");
    row(out, "events produced / read", sample.items().size(), app.stats().eventsRead());
    row(out, "lines enriched (PLACED)", expected.enrichedLines(), tally.erp() - tally.cancelled());
    row(out, "lines cancelled (CANCELLED)", expected.cancelledLines(), tally.cancelled());
    row(out, "ERP records", expected.erp(), tally.erp());
    row(out, "fulfillment records", expected.fulfillment(), tally.fulfillment());
    row(out, "dead letters", expected.deadLetters(), tally.deadLetters());
    for (var e : tally.deadLettersByReason().entrySet()) {
      out.printf("|   %-27s | %8s | %8d |%n", e.getKey(), "", e.getValue());
    }
    out.println("+-------------------------------+----------+----------+");
    out.printf(
        "%s in %.1f s.%n",
        exact ? "All lines accounted for, no duplicates" : "MISMATCH: see the table above",
        elapsed.toMillis() / 1000.0);
    out.flush();
  }

  private static void row(PrintWriter out, String what, long expected, long actual) {
    out.printf("| %-29s | %8d | %8d |%n", what, expected, actual);
  }
}
