package dev.twikitorders.enricher.cli;

import dev.twikitorders.enricher.app.EmbeddedInfrastructure;
import dev.twikitorders.enricher.app.EnricherApp;
import dev.twikitorders.enricher.config.EnricherConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the pipeline until stopped (SIGTERM / Ctrl-C). */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the pipeline until stopped (SIGTERM or Ctrl-C): reads order events, enriches them through Twikit,",
      "writes ERP, fulfillment and dead-letter records exactly once.",
      "Without KAFKA_BOOTSTRAP_SERVERS it starts the embedded stack (broker, registry, Twikit sandbox) first.",
      "With --set metrics.port=N it serves /metrics (Prometheus) and /health on that port.",
      "Exit codes: 1 the pipeline failed, 2 configuration error; stopped by SIGTERM/Ctrl-C: 143/130 after a",
      "clean shutdown (the JVM's convention)."
    })
final class RunCommand implements Callable<Integer> {
  @Mixin ConfigOptions options = new ConfigOptions();
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--sandbox-latency-ms",
      paramLabel = "MS",
      defaultValue = "50",
      description =
          "API latency of the embedded Twikit sandbox, when one is started (default: ${DEFAULT-VALUE}).")
  long sandboxLatencyMs;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    EnricherConfig config = options.load(System.getenv());
    EmbeddedInfrastructure infra = null;
    if (config.embeddedKafka()) {
      infra = EmbeddedInfrastructure.start(config, Duration.ofMillis(sandboxLatencyMs));
      config = infra.config();
      out.println(
          "Embedded stack: Kafka "
              + config.bootstrapServers()
              + ", schema registry "
              + config.schemaRegistryUrl()
              + ", Twikit API "
              + config.twikitApiUrl());
      out.flush();
    }
    EmbeddedInfrastructure stack = infra;
    EnricherApp app;
    try {
      app = EnricherApp.start(config);
    } catch (RuntimeException e) {
      if (stack != null) {
        stack.close();
      }
      throw e;
    }
    Thread hook =
        new Thread(
            () -> {
              app.close();
              if (stack != null) {
                stack.close();
              }
            },
            "order-enricher-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println(
        "Running. Input "
            + config.orderEventsTopic()
            + "; outputs "
            + config.erpTopic()
            + ", "
            + config.fulfillmentTopic()
            + ", "
            + config.deadLetterTopic()
            + ". Stop with Ctrl-C.");
    out.flush();
    app.awaitStop();
    if (app.fatalError() != null) {
      return 1;
    }
    return 0;
  }
}
