package dev.twikitorders.devstack;

import dev.twikitorders.enricher.app.EnricherApp;
import dev.twikitorders.enricher.cli.ConfigOptions;
import dev.twikitorders.enricher.config.EnricherConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The pipeline on the embedded stack, kept running until stopped: for poking at it by hand (produce
 * to its broker, change the sandbox's faults through its admin API, read the outputs).
 */
@Command(
    name = "stack",
    mixinStandardHelpOptions = true,
    description =
        "Starts the embedded stack (Kafka broker, schema registry, Twikit sandbox; each only where the configuration does not point at a real one) and the pipeline, prints their addresses and runs until stopped (SIGTERM or Ctrl-C). Exit codes: 1 the pipeline failed, 2 configuration error.")
final class StackCommand implements Callable<Integer> {
  @Mixin ConfigOptions options = new ConfigOptions();
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--sandbox-latency-ms",
      paramLabel = "MS",
      defaultValue = "50",
      description = "API latency of the embedded Twikit sandbox (default: ${DEFAULT-VALUE}).")
  long sandboxLatencyMs;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    EmbeddedInfrastructure infra =
        EmbeddedInfrastructure.start(
            options.sources(System.getenv()), Duration.ofMillis(sandboxLatencyMs));
    EnricherConfig config = infra.config();
    out.println(
        "Embedded stack: Kafka "
            + config.kafka().bootstrapServers()
            + ", schema registry "
            + config.registry().url()
            + ", Twikit API "
            + config.twikit().apiUrl());
    out.flush();
    EnricherApp app;
    try {
      app = EnricherApp.start(config);
    } catch (RuntimeException e) {
      infra.close();
      throw e;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  app.close();
                  infra.close();
                },
                "dev-stack-shutdown"));
    out.println(
        "Running. Input "
            + config.topics().orderEvents()
            + "; outputs "
            + config.topics().erp()
            + ", "
            + config.topics().fulfillment()
            + ", "
            + config.topics().deadLetters()
            + ". Stop with Ctrl-C.");
    out.flush();
    app.awaitStop();
    return app.fatalError() != null ? 1 : 0;
  }
}
