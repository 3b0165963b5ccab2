package dev.twikitorders.enricher.cli;

import dev.twikitorders.enricher.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code order-enricher.jar}. */
@Command(
    name = "order-enricher",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Enriches configured order lines from Kafka through the Twikit REST API and publishes ERP summaries,",
      "fulfillment configurations and dead letters, exactly once.",
      "",
      "Configuration precedence: defaults < --config file < environment variables < command-line flags.",
      "Every setting, its environment variable and its default: see the README or `settings`."
    },
    subcommands = {
      RunCommand.class,
      SettingsCommand.class,
      ReplayCommand.class,
      DlqCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the CLI and returns its exit code (see {@link #execute(Object, String...)}). */
  public static int execute(String... args) {
    return execute(new Main(), args);
  }

  /**
   * Runs a picocli command and maps what it throws to the exit code: 0 ok, 1 failure, 2 usage or
   * configuration error (picocli's own usage errors are 2 as well). The one place exit codes are
   * decided, shared by every jar's entry point.
   */
  public static int execute(Object command, String... args) {
    CommandLine cli = new CommandLine(command);
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof ConfigException) {
            cmd.getErr().println("Configuration error: " + e.getMessage());
            return 2;
          }
          cmd.getErr().println("Error: " + e);
          org.slf4j.LoggerFactory.getLogger(Main.class).error("Command failed", e);
          return 1;
        });
    return cli.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Version from the jar manifest. */
  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"order-enricher " + (v == null ? "development" : v)};
    }
  }
}
