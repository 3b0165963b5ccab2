package dev.twikitorders.enricher.cli;

import dev.twikitorders.enricher.config.Settings;
import dev.twikitorders.settings.cli.SettingsPrinter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** Prints every setting with its environment variable and default. */
@Command(
    name = "settings",
    mixinStandardHelpOptions = true,
    description = "Lists every setting: property key, environment variable, default and meaning.")
final class SettingsCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Option(
      names = "--markdown",
      description = "Print a Markdown table (as in the README).")
  boolean markdown;

  @Override
  public Integer call() {
    SettingsPrinter.print(
        spec.commandLine().getOut(),
        Settings.CATALOG,
        markdown,
        "Kafka client and Streams settings pass through: kafka.<setting> in files and --set,",
        "KAFKA_<SETTING> in the environment (KAFKA_SECURITY_PROTOCOL -> security.protocol).");
    return 0;
  }
}
