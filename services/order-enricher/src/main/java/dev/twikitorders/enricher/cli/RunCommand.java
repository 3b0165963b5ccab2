package dev.twikitorders.enricher.cli;

import dev.twikitorders.enricher.app.EnricherApp;
import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.enricher.config.KafkaSettings;
import dev.twikitorders.enricher.config.TopicSettings;
import dev.twikitorders.settings.ConfigException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** Runs the pipeline until stopped (SIGTERM / Ctrl-C). */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    header = "Runs the pipeline until stopped (SIGTERM or Ctrl-C).",
    description = {
      "Reads order events, enriches them through Twikit and writes ERP, fulfillment and dead-letter"
          + " records exactly once.",
      "Needs Kafka, a schema registry and the Twikit API (KAFKA_BOOTSTRAP_SERVERS,"
          + " SCHEMA_REGISTRY_URL, TWIKIT_*); without KAFKA_BOOTSTRAP_SERVERS it exits 2 at once. To"
          + " try it without them, run the demo on the embedded stack: bin/demo.",
      "With METRICS_PORT=N it serves /metrics (Prometheus), /health/live and /health/ready on that"
          + " port (METRICS_BIND_ADDRESS, default 0.0.0.0).",
      "At start it checks Kafka, the registry and Twikit. One that does not answer (connection"
          + " refused, timeout, 5xx, circuit breaker open) is retried with backoff for"
          + " STARTUP_TIMEOUT_MS (default 120000), one log line per wait; a configuration error"
          + " (bad or missing value, credentials refused, missing topic) stops it at once.",
      "Restarts: the instance joins its group as a static member (KAFKA_GROUP_INSTANCE_ID, default"
          + " <host name>-<n> with its own state directory <STATE_DIR>/<n>), so that a restarted"
          + " instance gets its partitions back at once."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped (the pipeline ended without error)",
      "1:the pipeline failed while running",
      "2:configuration error: a bad or missing setting, credentials refused, a missing topic",
      "3:Kafka, the registry or Twikit stayed unreachable for STARTUP_TIMEOUT_MS",
      "130:stopped by Ctrl-C (SIGINT) after a clean shutdown (the JVM's convention)",
      "143:stopped by SIGTERM after a clean shutdown"
    })
public final class RunCommand implements Callable<Integer> {
  /** Why {@code run} refuses to start without Kafka, and what to do instead. */
  static final String NO_KAFKA =
      "missing setting "
          + KafkaSettings.BOOTSTRAP_SERVERS.key()
          + ": set the environment variable "
          + KafkaSettings.BOOTSTRAP_SERVERS.env()
          + " (or --bootstrap-servers, or the key in the --config file) to the Kafka cluster to"
          + " read from. To try the pipeline without Kafka, run the demo on the embedded stack"
          + " instead: bin/demo (java -jar services/dev-stack/target/dev-stack.jar demo).";

  @Mixin ConfigOptions options = new ConfigOptions();
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    EnricherConfig config = options.load(System.getenv());
    if (config.kafka().bootstrapServers() == null) {
      throw new ConfigException(NO_KAFKA);
    }
    EnricherApp app = EnricherApp.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "order-enricher-shutdown"));
    return runUntilStopped(app, out);
  }

  /**
   * Says where the running pipeline reads and writes, then blocks until Kafka Streams stops.
   *
   * @return the exit code: 0 stopped, 1 failed
   */
  public static int runUntilStopped(EnricherApp app, PrintWriter out) throws InterruptedException {
    TopicSettings topics = app.config().topics();
    out.println(
        "Running. Input "
            + topics.orderEvents()
            + "; outputs "
            + topics.erp()
            + ", "
            + topics.fulfillment()
            + ", "
            + topics.deadLetters()
            + ". Stop with Ctrl-C.");
    out.flush();
    app.awaitStop();
    return app.fatalError() != null ? 1 : 0;
  }
}
