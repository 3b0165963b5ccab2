package dev.twikitorders.delivery.cli;

import dev.twikitorders.delivery.app.DeliveryApp;
import dev.twikitorders.delivery.config.DeliveryConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** Delivers a topic to the endpoint until stopped (SIGTERM / Ctrl-C). */
@Command(
    name = "deliver",
    mixinStandardHelpOptions = true,
    header = "Delivers a topic to a REST endpoint until stopped (SIGTERM or Ctrl-C).",
    description = {
      "Reads DELIVERY_TOPIC (default erp.configuration-summaries) in the consumer group"
          + " DELIVERY_GROUP_ID with read_committed, turns each Avro record into JSON and POSTs it"
          + " to DELIVERY_URL with its Idempotency-Key (one record, or batches of"
          + " DELIVERY_BATCH_MAX_RECORDS), keeping the records of each partition (so of each order)"
          + " in order. Offsets are committed only after the endpoint answered 2xx or the record"
          + " was dead-lettered.",
      "I/O errors, timeouts, 408, 429 (Retry-After honoured) and 5xx are retried forever, or until"
          + " DELIVERY_RETRY_DEADLINE_MS; other 4xx and the deadline send the record to the"
          + " dead-letter topic (default <topic>.delivery-dlq) with the status and the start of"
          + " the answer.",
      "Needs Kafka, a schema registry and the endpoint (KAFKA_BOOTSTRAP_SERVERS,"
          + " SCHEMA_REGISTRY_URL, DELIVERY_URL, DELIVERY_AUTH_SCHEME and its settings). With"
          + " METRICS_PORT=N it serves /metrics, /health/live and /health/ready on that port.",
      "On SIGTERM it stops reading, lets the requests in flight finish for up to"
          + " DELIVERY_SHUTDOWN_TIMEOUT_MS, commits what the endpoint acknowledged and exits."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped (the service ended without error)",
      "1:the service failed while running",
      "2:configuration error: a bad or missing setting, credentials refused, a missing topic",
      "3:Kafka or the endpoint's identity provider did not answer the start-up checks in time",
      "130:stopped by Ctrl-C (SIGINT) after a clean shutdown (the JVM's convention)",
      "143:stopped by SIGTERM after a clean shutdown"
    })
final class DeliverCommand implements Callable<Integer> {
  @Mixin ConfigOptions options = new ConfigOptions();
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    DeliveryConfig config = options.load(System.getenv());
    DeliveryApp app = DeliveryApp.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "delivery-shutdown"));
    out.println(
        "Delivering "
            + config.delivery().topic()
            + " to "
            + config.delivery().url()
            + "; dead letters to "
            + config.delivery().deadLetterTopic()
            + (app.metricsAddress() == null
                ? ""
                : "; metrics and health on port " + app.metricsAddress().getPort())
            + ". Stop with Ctrl-C.");
    out.flush();
    app.awaitStop();
    return app.failure() != null ? 1 : 0;
  }
}
