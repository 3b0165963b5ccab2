package dev.twikitorders.sandbox.cli;

import dev.twikitorders.sandbox.SandboxConfig;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.sandbox.auth.Scopes;
import dev.twikitorders.sandbox.data.SeedConfiguration;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The command line: parses flags into a {@link SandboxConfig}, starts a {@link TwikitSandbox},
 * prints its URLs and runs until the JVM is asked to stop (SIGTERM, SIGINT), then closes it. Never
 * prints the client secret.
 */
@Command(
    name = "twikit-sandbox",
    mixinStandardHelpOptions = true,
    version = "twikit-sandbox 0.1",
    sortOptions = false,
    showDefaultValues = true,
    description = "Local stand-in for the Twikit REST API and its OAuth 2.0 token endpoint.")
public final class SandboxCommand implements Callable<Integer> {
  /** Environment variable read when --client-secret is not given. */
  public static final String SECRET_ENV = "TWIKIT_SANDBOX_CLIENT_SECRET";

  @Spec private CommandSpec spec;

  @Option(names = "--host", description = "Interface to bind.")
  String host = "127.0.0.1";

  @Option(names = "--port", description = "Port to listen on; 0 = any free port.")
  int port = 8089;

  @Option(names = "--client-id", description = "The client id the token endpoint accepts.")
  String clientId = "demo";

  @Option(
      names = "--client-secret",
      showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
      description =
          "The client secret the token endpoint accepts. Default: the content of "
              + "--client-secret-file, else $"
              + SECRET_ENV
              + ", else the public demo value demo-secret. "
              + "Never printed.")
  String clientSecret;

  // A file keeps the secret off the command line and out of the environment (Docker/Compose
  // secrets are mounted as files under /run/secrets).
  @Option(
      names = "--client-secret-file",
      paramLabel = "FILE",
      description =
          "File holding the client secret (surrounding whitespace and the trailing "
              + "newline are ignored). Not together with --client-secret.")
  Path clientSecretFile;

  @Option(
      names = "--scopes",
      split = ",",
      description = "Scopes the client may get (comma separated).")
  List<String> scopes = List.of(Scopes.READ, Scopes.WRITE);

  @Option(names = "--latency-ms", description = "Fixed latency of every API reply, in ms.")
  long latencyMs;

  @Option(
      names = "--latency-spread-ms",
      description = "Uniform random extra latency (0..spread), in ms.")
  long latencySpreadMs;

  @Option(names = "--token-ttl-s", description = "Lifetime of access tokens, in seconds.")
  long tokenTtlSeconds = 3600;

  @Option(
      names = "--seed-file",
      description =
          "JSON file of configurations to seed "
              + "(an object, an array or {\"configurations\":[...]}).")
  Path seedFile;

  @Option(names = "--strict", description = "Only seeded configurations exist (others are 404).")
  boolean strict;

  @Option(
      names = "--event-loops",
      description = "Event loops, one HTTP server each. Default: the number of processors.")
  Integer eventLoops;

  private final CountDownLatch stopped = new CountDownLatch(1);

  /** Builds the configuration from the flags (and the secret's environment variable). */
  public SandboxConfig config() {
    if (clientSecret != null && clientSecretFile != null) {
      throw new ParameterException(
          spec.commandLine(), "give either --client-secret or --client-secret-file, not both");
    }
    String secret =
        clientSecret != null
            ? clientSecret
            : clientSecretFile != null ? readSecretFile() : System.getenv(SECRET_ENV);
    SandboxConfig.Builder b =
        SandboxConfig.builder()
            .host(host)
            .port(port)
            .clientId(clientId)
            .clientSecret(secret == null || secret.isEmpty() ? "demo-secret" : secret)
            .scopes(scopes)
            .latency(Duration.ofMillis(latencyMs))
            .latencySpread(Duration.ofMillis(latencySpreadMs))
            .tokenTtl(Duration.ofSeconds(tokenTtlSeconds))
            .strict(strict);
    if (eventLoops != null) {
      b.eventLoops(eventLoops);
    }
    if (seedFile != null) {
      try {
        b.seeds(SeedConfiguration.parseJson(Files.readString(seedFile, StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new ParameterException(
            spec.commandLine(), "cannot read --seed-file " + seedFile + ": " + e.getMessage(), e);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(
            spec.commandLine(), "invalid --seed-file " + seedFile + ": " + e.getMessage(), e);
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  private String readSecretFile() {
    String secret;
    try {
      secret = Files.readString(clientSecretFile, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new ParameterException(
          spec.commandLine(),
          "cannot read --client-secret-file "
              + clientSecretFile
              + ": "
              + e.getClass().getSimpleName());
    }
    if (secret.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "--client-secret-file " + clientSecretFile + " is empty");
    }
    return secret;
  }

  @Override
  public Integer call() throws InterruptedException {
    SandboxConfig config = config();
    TwikitSandbox sandbox = TwikitSandbox.start(config);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  sandbox.close();
                  stopped.countDown();
                },
                "twikit-sandbox-shutdown"));
    PrintWriter out = spec.commandLine().getOut();
    out.println("Twikit sandbox API: " + sandbox.apiUrl());
    out.println("Token endpoint: " + sandbox.tokenUrl());
    out.println("Admin: " + sandbox.adminUrl());
    out.println(
        "Client id: "
            + config.clientId()
            + " (secret not shown), scopes: "
            + String.join(" ", new java.util.TreeSet<>(config.scopes())));
    out.println(
        "Configurations: "
            + (config.strict()
                ? "only the " + config.seeds().size() + " seeded"
                : "any UUID (" + config.seeds().size() + " seeded)")
            + ". Stop with Ctrl-C.");
    out.flush();
    stopped.await();
    return 0;
  }
}
