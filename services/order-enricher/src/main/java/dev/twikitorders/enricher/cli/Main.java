package dev.twikitorders.enricher.cli;

import dev.twikitorders.auth.AuthException;
import dev.twikitorders.deadletters.DeadLetterUsageException;
import dev.twikitorders.enricher.app.DependencyUnavailableException;
import dev.twikitorders.enricher.replay.ReplayFailedException;
import dev.twikitorders.enricher.replay.ReplayUsageException;
import dev.twikitorders.settings.ConfigException;
import java.io.PrintWriter;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code order-enricher.jar}. */
@Command(
    name = "order-enricher",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Enriches configured order lines from Kafka through the Twikit REST API and publishes ERP"
          + " summaries, fulfillment configurations and dead letters, exactly once.",
      "",
      "Configuration precedence: defaults < --config file < environment variables < command-line"
          + " flags. Every setting, its environment variable and its default: see the README or"
          + " `settings`. To try the pipeline without Kafka, run the demo: bin/demo."
    },
    subcommands = {
      RunCommand.class,
      SettingsCommand.class,
      ReplayCommand.class,
      DlqCommand.class,
      AuthCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  /** Exit code of a dependency that stayed unreachable for {@code startup.timeout.ms}. */
  public static final int EXIT_DEPENDENCY_UNAVAILABLE = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the CLI and returns its exit code (see {@link #execute(Object, String...)}). */
  public static int execute(String... args) {
    return execute(new Main(), args);
  }

  /**
   * Runs a picocli command and returns its exit code; see {@link #commandLine(Object)}. Shared by
   * every jar's entry point.
   */
  public static int execute(Object command, String... args) {
    return commandLine(command).execute(args);
  }

  /**
   * A picocli command line whose exit codes are decided here, the one place: 0 ok; 2 usage or
   * configuration error (picocli's own usage errors, {@link ConfigException}, {@link
   * ReplayUsageException}, {@link DeadLetterUsageException}); 3 a dependency (Kafka, registry,
   * Twikit) stayed unreachable for the start-up timeout ({@link DependencyUnavailableException}); 1
   * failure ({@link ReplayFailedException} and anything unexpected, the latter logged with its
   * stack trace).
   */
  public static CommandLine commandLine(Object command) {
    CommandLine cli = new CommandLine(command);
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          PrintWriter err = cmd.getErr();
          if (e instanceof ConfigException) {
            err.println("Configuration error: " + e.getMessage());
            return 2;
          }
          if (e instanceof DependencyUnavailableException) {
            err.println("Dependency unavailable: " + e.getMessage());
            return EXIT_DEPENDENCY_UNAVAILABLE;
          }
          if (e instanceof ReplayUsageException || e instanceof DeadLetterUsageException) {
            err.println("Error: " + e.getMessage());
            return 2;
          }
          if (e instanceof AuthException || e instanceof AuthCommand.AuthFailedException) {
            err.println("Error: " + e.getMessage());
            return 1;
          }
          if (e instanceof ReplayFailedException) {
            err.println("Error: " + e.getMessage());
            return 1;
          }
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            err.println("Error: interrupted");
            return 1;
          }
          err.println("Error: " + e);
          LoggerFactory.getLogger(Main.class).error("Command failed", e);
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
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"order-enricher " + (v == null ? "development" : v)};
    }
  }
}
