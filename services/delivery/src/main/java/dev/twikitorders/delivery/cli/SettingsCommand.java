package dev.twikitorders.delivery.cli;

import dev.twikitorders.delivery.config.DeliveryConfig;
import dev.twikitorders.settings.cli.SettingsPrinter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints every setting with its environment variable and default. */
@Command(
    name = "settings",
    mixinStandardHelpOptions = true,
    description = "Lists every setting: property key, environment variable, default and meaning.")
final class SettingsCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--markdown", description = "Print a Markdown table (as in the README).")
  boolean markdown;

  @Override
  public Integer call() {
    SettingsPrinter.print(
        spec.commandLine().getOut(),
        DeliveryConfig.CATALOG,
        markdown,
        "Kafka client settings pass through: kafka.<setting> in files and --set,",
        "KAFKA_<SETTING> in the environment (KAFKA_SECURITY_PROTOCOL -> security.protocol);",
        "kafka.consumer.* and kafka.producer.* reach only the consumer or the producer.");
    return 0;
  }
}
