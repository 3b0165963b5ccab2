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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * prints a secret (client secret, API key, static header values, registration token), also not in
 * error messages about their files.
 *
 * <p>Not thread-safe (one instance per parse).
 */
@Command(
    name = "twikit-sandbox",
    mixinStandardHelpOptions = true,
    version = "twikit-sandbox 0.1",
    sortOptions = false,
    showDefaultValues = true,
    description =
        "Local stand-in for the Twikit REST API and its OAuth 2.0 authorization server "
            + "(token, authorization, registration and metadata endpoints).")
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

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description =
          "Server certificate chain (PEM, leaf first). With --tls-key: serve HTTPS only "
              + "(HTTP/1.1 and h2 by ALPN); every printed URL is https.")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "Private key of --tls-cert (PEM, unencrypted PKCS#8).")
  Path tlsKey;

  @Option(
      names = "--client-ca",
      paramLabel = "FILE",
      description =
          "CA certificates (PEM): require a client certificate signed by one (mutual TLS). "
              + "Needs --tls-cert.")
  Path clientCa;

  @Option(
      names = "--api-key-file",
      paramLabel = "FILE",
      description =
          "File holding an API key (content, trimmed) the API also accepts as "
              + "'Authorization: Bearer <key>', with every scope. Never printed.")
  Path apiKeyFile;

  @Option(
      names = "--static-headers-file",
      paramLabel = "FILE",
      description =
          "File of 'Name: value' lines (blank lines and # comments ignored): the API also "
              + "accepts requests carrying every listed header with exactly its value, with every "
              + "scope. Values never printed.")
  Path staticHeadersFile;

  @Option(
      names = "--registration-token-file",
      paramLabel = "FILE",
      description =
          "File holding the token POST /oauth2/register requires as 'Authorization: Bearer "
              + "<token>'. Default: open registration. Never printed.")
  Path registrationTokenFile;

  @Option(
      names = "--test-user",
      paramLabel = "NAME",
      description = "The user the authorization endpoint approves for (sub of its tokens).")
  String testUser = "demo-user";

  @Option(
      names = "--approval-page",
      description =
          "The authorization endpoint serves an Approve / Deny HTML page instead of approving "
              + "at once.")
  boolean approvalPage;

  @Option(
      names = "--refresh-token-ttl-s",
      description = "Lifetime of refresh tokens, in seconds (each rotation starts a new one).")
  long refreshTokenTtlSeconds = Duration.ofDays(30).toSeconds();

  @Option(
      names = "--sink-max-items",
      paramLabel = "N",
      description =
          "Items each sink (POST /sink[/<name>]) keeps; beyond, the oldest are dropped "
              + "(still counted).")
  int sinkMaxItems = SandboxConfig.DEFAULT_SINK_MAX_ITEMS;

  @Option(
      names = "--capacity",
      paramLabel = "N",
      description =
          "API requests served at once; each holds a slot for its latency, more wait in a FIFO "
              + "queue (an M/D/N server). 0 = unlimited.")
  int capacity;

  @Option(
      names = "--rate-limit",
      paramLabel = "R",
      description =
          "API requests per second admitted (token bucket, burst max(1, R/10)); beyond, 429 "
              + "with Retry-After at once. 0 = off.")
  double rateLimit;

  private final CountDownLatch stopped = new CountDownLatch(1);

  /** Builds the configuration from the flags (and the secret's environment variable). */
  public SandboxConfig config() {
    if (clientSecret != null && clientSecretFile != null) {
      throw new ParameterException(
          spec.commandLine(), "give either --client-secret or --client-secret-file, not both");
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new ParameterException(spec.commandLine(), "give --tls-cert and --tls-key together");
    }
    if (clientCa != null && tlsCert == null) {
      throw new ParameterException(
          spec.commandLine(), "--client-ca needs --tls-cert and --tls-key");
    }
    if (capacity < 0) {
      throw new ParameterException(spec.commandLine(), "--capacity must be >= 0, got " + capacity);
    }
    if (!(rateLimit >= 0) || Double.isInfinite(rateLimit)) {
      throw new ParameterException(
          spec.commandLine(),
          "--rate-limit must be >= 0 (requests per second, finite), got " + rateLimit);
    }
    requireReadable(tlsCert, "--tls-cert");
    requireReadable(tlsKey, "--tls-key");
    requireReadable(clientCa, "--client-ca");
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
            .strict(strict)
            .certFile(tlsCert)
            .keyFile(tlsKey)
            .clientCaFile(clientCa)
            .testUser(testUser)
            .approvalPage(approvalPage)
            .refreshTokenTtl(Duration.ofSeconds(refreshTokenTtlSeconds))
            .sinkMaxItems(sinkMaxItems)
            .capacity(capacity)
            .rateLimit(rateLimit);
    if (apiKeyFile != null) {
      b.apiKey(readSecret(apiKeyFile, "--api-key-file"));
    }
    if (registrationTokenFile != null) {
      b.registrationToken(readSecret(registrationTokenFile, "--registration-token-file"));
    }
    if (staticHeadersFile != null) {
      b.staticHeaders(readStaticHeaders());
    }
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

  private void requireReadable(Path file, String flag) {
    if (file != null && !Files.isReadable(file)) {
      throw new ParameterException(spec.commandLine(), "cannot read " + flag + " " + file);
    }
  }

  private String readSecretFile() {
    return readSecret(clientSecretFile, "--client-secret-file");
  }

  /** The file's content, stripped; errors name the flag and file, never the content. */
  private String readSecret(Path file, String flag) {
    String secret;
    try {
      secret = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new ParameterException(
          spec.commandLine(),
          "cannot read " + flag + " " + file + ": " + e.getClass().getSimpleName());
    }
    if (secret.isEmpty()) {
      throw new ParameterException(spec.commandLine(), flag + " " + file + " is empty");
    }
    return secret;
  }

  /**
   * Parses {@code Name: value} lines; errors name the file, line number and header name, never a
   * value.
   */
  private Map<String, String> readStaticHeaders() {
    String flag = "--static-headers-file " + staticHeadersFile;
    List<String> lines;
    try {
      lines = Files.readAllLines(staticHeadersFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ParameterException(
          spec.commandLine(), "cannot read " + flag + ": " + e.getClass().getSimpleName());
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new ParameterException(
            spec.commandLine(), flag + " line " + (i + 1) + ": expected 'Name: value'");
      }
      String name = line.substring(0, colon).strip();
      String value = line.substring(colon + 1).strip();
      if (headers.keySet().stream().anyMatch(name::equalsIgnoreCase)) {
        throw new ParameterException(
            spec.commandLine(), flag + " line " + (i + 1) + ": header " + name + " given twice");
      }
      headers.put(name, value);
    }
    if (headers.isEmpty()) {
      throw new ParameterException(spec.commandLine(), flag + " lists no header");
    }
    return headers;
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
    out.println("Authorization endpoint: " + sandbox.authorizationUrl());
    out.println(
        "Registration endpoint: "
            + sandbox.registrationUrl()
            + (config.registrationToken().isPresent() ? " (registration token required)" : ""));
    out.println("Metadata: " + sandbox.metadataUrl());
    out.println("Admin: " + sandbox.adminUrl());
    out.println("Sink: " + sandbox.sinkUrl() + " (also " + sandbox.sinkUrl() + "/<name>)");
    if (config.tls()) {
      out.println(
          "TLS: on" + (config.clientCaFile().isPresent() ? ", client certificate required" : ""));
    }
    List<String> credentials = new ArrayList<>(List.of("bearer JWT"));
    config.apiKey().ifPresent(k -> credentials.add("API key"));
    if (!config.staticHeaders().isEmpty()) {
      credentials.add("static headers " + config.staticHeaders().keySet());
    }
    out.println(
        "API credentials: "
            + String.join(", ", credentials)
            + " (values not shown); test user: "
            + config.testUser()
            + (config.approvalPage() ? " (approval page)" : ""));
    out.println(
        "Client id: "
            + config.clientId()
            + " (secret not shown), scopes: "
            + String.join(" ", new java.util.TreeSet<>(config.scopes())));
    if (config.capacity() > 0 || config.rateLimit() > 0) {
      out.println(
          "Capacity: "
              + (config.capacity() == 0 ? "unlimited" : config.capacity() + " requests at once")
              + ", rate limit: "
              + (config.rateLimit() == 0 ? "off" : config.rateLimit() + " requests/s"));
    }
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
