package dev.twikitorders.delivery.cli;

import dev.twikitorders.delivery.config.DeliveryConfig;
import dev.twikitorders.settings.Setting;
import dev.twikitorders.settings.SettingsTable;
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
    var out = spec.commandLine().getOut();
    if (markdown) {
      SettingsTable.markdownLines(DeliveryConfig.ALL).forEach(out::println);
      return 0;
    }
    for (Setting s : DeliveryConfig.ALL) {
      out.printf(
          "%-38s %-38s default: %s%n    %s%n",
          s.key(),
          s.env(),
          s.defaultValue() == null ? "(none)" : "'" + s.defaultValue() + "'",
          s.description());
    }
    out.println();
    out.println("Kafka client settings pass through: kafka.<setting> in files and --set,");
    out.println(
        "KAFKA_<SETTING> in the environment (KAFKA_SECURITY_PROTOCOL -> security.protocol);");
    out.println("kafka.consumer.* and kafka.producer.* reach only the consumer or the producer.");
    return 0;
  }
}
