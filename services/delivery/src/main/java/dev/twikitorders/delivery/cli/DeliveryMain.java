package dev.twikitorders.delivery.cli;

import dev.twikitorders.auth.AuthException;
import dev.twikitorders.delivery.app.DependencyUnavailableException;
import dev.twikitorders.settings.ConfigException;
import java.io.PrintWriter;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code delivery.jar}. */
@Command(
    name = "delivery",
    mixinStandardHelpOptions = true,
    versionProvider = DeliveryMain.Version.class,
    description = {
      "Delivers the order pipeline's output records from Kafka to a REST endpoint (an ERP or CRM"
          + " that does not read Kafka): at least once, with idempotency keys, in order per order.",
      "",
      "Configuration precedence: defaults < --config file < environment variables < command-line"
          + " flags. Every setting, its environment variable and its default: see"
          + " services/delivery/README.md or `settings`."
    },
    subcommands = {
      DeliverCommand.class,
      SettingsCommand.class,
      DlqCommand.class,
      CommandLine.HelpCommand.class
    })
public final class DeliveryMain implements Runnable {
  /** Exit code of a dependency that did not answer the start-up checks. */
  public static final int EXIT_DEPENDENCY_UNAVAILABLE = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the CLI and returns its exit code. */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /**
   * The command line; exit codes are decided here: 0 ok; 2 usage or configuration error (picocli's
   * own usage errors, {@link ConfigException}, {@link
   * dev.twikitorders.deadletters.DeadLetterUsageException}); 3 a dependency did not answer the
   * start-up checks; 1 anything else (logged with its stack trace).
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new DeliveryMain());
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          PrintWriter err = cmd.getErr();
          if (e instanceof ConfigException
              || e instanceof dev.twikitorders.deadletters.DeadLetterUsageException) {
            err.println("Configuration error: " + e.getMessage());
            return 2;
          }
          if (e instanceof DependencyUnavailableException) {
            err.println("Dependency unavailable: " + e.getMessage());
            return EXIT_DEPENDENCY_UNAVAILABLE;
          }
          if (e instanceof AuthException) {
            err.println("Error: " + e.getMessage());
            return 1;
          }
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            err.println("Error: interrupted");
            return 1;
          }
          err.println("Error: " + e);
          LoggerFactory.getLogger(DeliveryMain.class).error("Command failed", e);
          return 1;
        });
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Version from the jar manifest. */
  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = DeliveryMain.class.getPackage().getImplementationVersion();
      return new String[] {"delivery " + (v == null ? "development" : v)};
    }
  }
}
