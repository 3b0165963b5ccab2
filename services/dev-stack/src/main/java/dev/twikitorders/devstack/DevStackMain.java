package dev.twikitorders.devstack;

import dev.twikitorders.enricher.cli.Main;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code dev-stack.jar}: the pipeline on an embedded stack (a real KRaft broker, a
 * real Confluent-compatible schema registry and the Twikit sandbox, on free loopback ports), for
 * trying it out and for development. Never for production: the production artifact is {@code
 * order-enricher.jar}.
 */
@Command(
    name = "dev-stack",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "The order pipeline on an embedded stack (Kafka broker, schema registry, Twikit sandbox on free loopback ports), for trying it out and for development. Not for production: deploy order-enricher.jar against your own Kafka, registry and Twikit.",
    subcommands = {DemoCommand.class, StackCommand.class, CommandLine.HelpCommand.class})
public final class DevStackMain implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(Main.execute(new DevStackMain(), args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
