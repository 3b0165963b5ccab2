package dev.twikitorders.enricher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.twikitorders.auth.oauth.RegisteredClient;
import dev.twikitorders.auth.store.FileRefreshTokenStore;
import dev.twikitorders.auth.store.StoredTokens;
import dev.twikitorders.auth.tls.TlsSettings;
import dev.twikitorders.auth.tls.TrustMaterial;
import dev.twikitorders.connections.RegistrySettings;
import dev.twikitorders.enricher.config.Settings;
import dev.twikitorders.enricher.config.StartupSettings;
import dev.twikitorders.enricher.config.TwikitSettings;
import dev.twikitorders.enricher.it.ExpectedOutputs.OutputKey;
import dev.twikitorders.enricher.it.ExpectedOutputs.Role;
import dev.twikitorders.enricher.it.TestOrders.Item;
import dev.twikitorders.enricher.it.TestOrders.Produced;
import dev.twikitorders.localstack.EmbeddedSchemaRegistry;
import dev.twikitorders.localstack.LocalStack;
import dev.twikitorders.registry.RegistryConfig;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.SchemaRegistryClients;
import dev.twikitorders.sandbox.SandboxConfig;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.sandbox.counters.Counters;
import dev.twikitorders.settings.TlsSettingGroup;
import dev.twikitorders.testpki.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application ({@code java -jar order-enricher.jar}) over HTTPS only: the schema
 * registry serves HTTPS (trusted through {@code SCHEMA_REGISTRY_SSL_TRUSTSTORE_*}, a PEM file of
 * the test CA), and the Twikit sandbox serves HTTPS and requires a client certificate (mutual TLS),
 * which the application presents from {@code TWIKIT_SSL_KEYSTORE_*} (a PEM chain and an encrypted
 * PKCS#8 key whose password is in a file) while trusting a PKCS12 trust store. Every Twikit
 * authentication scheme runs end to end:
 *
 * <ul>
 *   <li>{@code client_credentials} with the token endpoint found by RFC 8414 discovery from {@code
 *       TWIKIT_ISSUER_URL} (no {@code TWIKIT_TOKEN_URL});
 *   <li>{@code api_key} from a file, and a wrong key stopping {@code run} at start (exit 2);
 *   <li>{@code static_headers} from a file ({@code TWN-InstanceKey}, {@code TWN-Authentication});
 *   <li>{@code auth register} (RFC 7591) writing an owner-only client file that {@code run} then
 *       uses through {@code TWIKIT_CLIENT_FILE};
 *   <li>{@code auth login} (authorization code with PKCE; the test acts as the browser, presenting
 *       the client certificate) writing an owner-only refresh-token store that {@code run} uses
 *       with {@code refresh_token}, rotating it on every refresh (3 s access tokens); and a login
 *       whose redirect carries a forged {@code state}, refused without a store.
 * </ul>
 *
 * <p>Each pipeline run produces orders whose lines all need the API and requires exactly the
 * expected outputs. Every child runs with {@code LOG_LEVEL=DEBUG}; its stdout and stderr must hold
 * no secret of the class (client secrets, API keys, header values, key password, the tokens of the
 * store) and no JWT ({@code eyJ...eyJ...}).
 *
 * <p>One LocalStack (embedded broker, HTTPS registry, HTTPS sandbox) for the class; each test uses
 * its own topics and application id ({@link PipelineRun#unique}). Child output goes to {@code
 * target/it-logs/}; every child is killed in {@link #stopAll()}.
 */
class HttpsAuthIT {
  private static final Duration LONG = Duration.ofMinutes(3);
  private static final String CLIENT_ID = "https-it-client";
  private static final String CLIENT_SECRET = "https-it-SECRET-" + UUID.randomUUID();
  private static final String API_KEY = "https-it-APIKEY-" + UUID.randomUUID();
  private static final String INSTANCE_HEADER = "TWN-InstanceKey";
  private static final String INSTANCE_KEY = "https-it-INSTANCE-" + UUID.randomUUID();
  private static final String AUTHENTICATION_HEADER = "TWN-Authentication";
  private static final String AUTHENTICATION = "https-it-AUTHN-" + UUID.randomUUID();
  private static final String OWNER_ONLY = "rw-------";
  private static final List<Process> CHILDREN = new ArrayList<>();

  /**
   * Values no child may ever print, by a name for failure messages; grows as tests learn registered
   * secrets and tokens.
   */
  private static final Map<String, String> SECRETS = new LinkedHashMap<>();

  @TempDir static Path shared;

  private static TestPki pki;
  private static LocalStack stack;
  private static TwikitSandbox sandbox;
  private static SchemaRegistryClient registry;
  private static Path jar;
  private static Path logs;

  @TempDir Path tmp;

  @BeforeAll
  static void startStack() throws Exception {
    jar =
        Path.of(System.getProperty("order-enricher.jar", "target/order-enricher.jar"))
            .toAbsolutePath();
    assertThat(jar).as("the packaged application (run the ITs with mvn verify)").isRegularFile();
    logs = Path.of(System.getProperty("it.logs.dir", "target/it-logs")).toAbsolutePath();
    Files.createDirectories(logs);
    pki = TestPki.create(shared.resolve("pki"));
    remember("the client secret", CLIENT_SECRET);
    remember("the API key", API_KEY);
    remember("the " + INSTANCE_HEADER + " value", INSTANCE_KEY);
    remember("the " + AUTHENTICATION_HEADER + " value", AUTHENTICATION);
    remember("the key and store password", pki.password());
    stack =
        LocalStack.builder()
            .schemaRegistry(
                EmbeddedSchemaRegistry.builder()
                    .https(pki.serverCertPem(), pki.serverKeyPem(), pki.caCertPem()))
            .service(
                TwikitSandbox.class,
                () ->
                    TwikitSandbox.start(
                        SandboxConfig.builder()
                            .port(0)
                            .clientId(CLIENT_ID)
                            .clientSecret(CLIENT_SECRET)
                            .latency(Duration.ofMillis(5))
                            .tls(pki.serverCertPem(), pki.serverKeyPem())
                            .clientCaFile(pki.caCertPem())
                            .apiKey(API_KEY)
                            .staticHeader(INSTANCE_HEADER, INSTANCE_KEY)
                            .staticHeader(AUTHENTICATION_HEADER, AUTHENTICATION)
                            .build()))
            .start();
    sandbox = stack.service(TwikitSandbox.class);
    assertThat(stack.schemaRegistryUrl()).startsWith("https://");
    assertThat(sandbox.apiUrl().getScheme()).isEqualTo("https");
    URI status = URI.create(sandbox.apiUrl() + "/status");
    assertThat(browse(status, true).statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> browse(status, false))
        .as("the sandbox requires a client certificate")
        .isInstanceOf(IOException.class);
    registry =
        SchemaRegistryClients.create(
            Map.of(
                RegistryConfig.SCHEMA_REGISTRY_URL,
                stack.schemaRegistryUrl(),
                RegistryConfig.TLS,
                TlsSettings.trusting(TrustMaterial.pem(pki.caCertPem()))));
  }

  @AfterAll
  static void stopAll() throws InterruptedException {
    synchronized (CHILDREN) {
      for (Process p : CHILDREN) {
        p.destroyForcibly();
      }
      for (Process p : CHILDREN) {
        p.waitFor(30, TimeUnit.SECONDS);
      }
    }
    try {
      if (registry != null) {
        registry.close();
      }
    } finally {
      if (stack != null) {
        stack.close();
      }
    }
  }

  @BeforeEach
  void resetSandbox() {
    sandbox.reset();
  }

  @Test
  void clientCredentialsWithTheTokenEndpointFoundByDiscovery() throws Exception {
    PipelineRun run = PipelineRun.unique("https-cc", infra());
    Map<String, String> settings = tlsSettings();
    settings.put(TwikitSettings.TOKEN_URL.key(), null);
    settings.put(TwikitSettings.ISSUER_URL.key(), sandbox.issuerUrl().toString());

    enrichesEveryLine(run, settings);

    assertThat(sandbox.counters().tokensIssued())
        .as("tokens from the discovered token endpoint")
        .isPositive();
    assertNoSecretInOutput(run);
  }

  @Test
  void apiKeyFromAFileAndAWrongKeyStopsTheStartWithoutShowingIt() throws Exception {
    PipelineRun run = PipelineRun.unique("https-apikey", infra());
    Map<String, String> settings = staticScheme("api_key");
    settings.put(TwikitSettings.API_KEY_FILE.key(), write("api-key", API_KEY + "\n").toString());

    enrichesEveryLine(run, settings);
    assertThat(sandbox.counters().tokensIssued()).as("no OAuth token requested").isZero();
    assertNoSecretInOutput(run);

    String wrong = "wrong-APIKEY-" + UUID.randomUUID();
    remember("the wrong API key", wrong);
    PipelineRun refused = PipelineRun.unique("https-apikey-wrong", infra());
    Map<String, String> wrongSettings = staticScheme("api_key");
    wrongSettings.put(
        TwikitSettings.API_KEY_FILE.key(), write("wrong-api-key", wrong + "\n").toString());
    // refused credentials are a configuration error: no retry, whatever the start-up budget
    wrongSettings.put(StartupSettings.TIMEOUT.key(), "600000");

    int code = exitCode(startChild(refused, wrongSettings));

    String err = log(refused, "run.err");
    assertThat(code).as("exit code; stderr:\n%s", tail(err)).isEqualTo(2);
    assertThat(err.lines().filter(l -> l.startsWith("Configuration error: ")))
        .as("the application's own message")
        .singleElement()
        .asString()
        .contains("Twikit")
        .contains("HTTP 401")
        .contains("API key");
    assertThat(err).doesNotContain("Waiting for");
    assertNoSecretInOutput(refused);
  }

  @Test
  void staticHeadersFromAFile() throws Exception {
    PipelineRun run = PipelineRun.unique("https-headers", infra());
    Map<String, String> settings = staticScheme("static_headers");
    Path headers =
        write(
            "headers",
            "# Twikit instance credentials\n"
                + INSTANCE_HEADER
                + ": "
                + INSTANCE_KEY
                + "\n\n"
                + AUTHENTICATION_HEADER
                + ": "
                + AUTHENTICATION
                + "\n");
    settings.put(TwikitSettings.HEADERS_FILE.key(), headers.toString());

    enrichesEveryLine(run, settings);

    assertThat(sandbox.counters().tokensIssued()).as("no OAuth token requested").isZero();
    assertNoSecretInOutput(run);
  }

  @Test
  void authRegisterWritesAnOwnerOnlyClientFileThatRunUses() throws Exception {
    PipelineRun run = PipelineRun.unique("https-register", infra());
    Path clientFile = tmp.resolve("registered-client.json");
    Map<String, String> settings = tlsSettings();
    settings.put(TwikitSettings.CLIENT_ID.key(), null);
    settings.put(TwikitSettings.CLIENT_SECRET.key(), null);

    int code =
        exitCode(
            startChild(
                run,
                settings,
                "register",
                List.of(
                    "auth",
                    "register",
                    "--issuer",
                    sandbox.issuerUrl().toString(),
                    "--output",
                    clientFile.toString())));

    String out = log(run, "register.out");
    assertThat(code).as("exit code; stderr:\n%s", tail(log(run, "register.err"))).isZero();
    assertThat(clientFile).isRegularFile();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(clientFile)))
        .isEqualTo(OWNER_ONLY);
    RegisteredClient registered = RegisteredClient.readFrom(clientFile);
    assertThat(registered.clientSecret()).as("a confidential client").isNotNull();
    String registeredSecret = registered.clientSecret().revealAsString();
    remember("the registered client's secret", registeredSecret);
    assertThat(registered.clientId()).isNotEqualTo(CLIENT_ID);
    assertThat(out).contains(registered.clientId()).doesNotContain(registeredSecret);
    assertThat(sandbox.counters().registrations()).isEqualTo(1);

    settings.put(TwikitSettings.CLIENT_FILE.key(), clientFile.toString());
    enrichesEveryLine(run, settings);

    assertThat(sandbox.counters().tokensIssued())
        .as("tokens for the registered client")
        .isPositive();
    assertNoSecretInOutput(run);
  }

  @Test
  void authLoginStoresRotatingTokensThatRunUsesWithTheRefreshTokenScheme() throws Exception {
    // access tokens of 3 s (the login's too): the run has to refresh, rotating the stored token
    sandbox.setTokenTtl(Duration.ofSeconds(3));
    PipelineRun run = PipelineRun.unique("https-login", infra());
    Path store = tmp.resolve("tokens.json");
    Map<String, String> settings = tlsSettings();
    settings.put(TwikitSettings.TOKEN_URL.key(), null);
    settings.put(TwikitSettings.ISSUER_URL.key(), sandbox.issuerUrl().toString());

    Process login = startLogin(run, settings, "login", store);
    URI authorization = awaitAuthorizationUrl(login, run, "login");
    assertThat(authorization.toString()).startsWith(sandbox.authorizationUrl().toString());
    URI callback = authorize(authorization);
    HttpResponse<String> page = browse(callback);
    int code = exitCode(login);

    assertThat(code).as("exit code; stderr:\n%s", tail(log(run, "login.err"))).isZero();
    assertThat(page.statusCode()).as("the login's page for the browser").isEqualTo(200);
    assertThat(store).isRegularFile();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store)))
        .isEqualTo(OWNER_ONLY);
    String storedAtLogin = Files.readString(store, StandardCharsets.UTF_8);
    StoredTokens loggedIn = new FileRefreshTokenStore(store).read();
    remember("the login's", loggedIn);
    assertThat(loggedIn.clientId()).isEqualTo(CLIENT_ID);
    Counters afterLogin = sandbox.counters();
    assertThat(afterLogin.codeExchanges()).isEqualTo(1);

    settings.put(TwikitSettings.AUTH_SCHEME.key(), "refresh_token");
    settings.put(TwikitSettings.REFRESH_TOKEN_FILE.key(), store.toString());
    enrichesEveryLine(run, settings);

    Counters afterRun = sandbox.counters();
    assertThat(afterRun.refreshes())
        .as("refresh token grants during the run")
        .isGreaterThan(afterLogin.refreshes());
    assertThat(afterRun.refreshReuseDetected()).as("no rotated token presented twice").isZero();
    StoredTokens rotated = new FileRefreshTokenStore(store).read();
    remember("the rotated", rotated);
    assertThat(Files.readString(store, StandardCharsets.UTF_8)).isNotEqualTo(storedAtLogin);
    assertThat(rotated.refreshToken().revealAsString())
        .as("the store holds the rotated refresh token")
        .isNotEqualTo(loggedIn.refreshToken().revealAsString());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store)))
        .isEqualTo(OWNER_ONLY);
    assertNoSecretInOutput(run);
  }

  @Test
  void aLoginRedirectWithAForgedStateIsRefusedAndStoresNothing() throws Exception {
    PipelineRun run = PipelineRun.unique("https-login-state", infra());
    Path store = tmp.resolve("never-written.json");
    Map<String, String> settings = tlsSettings();
    settings.put(TwikitSettings.TOKEN_URL.key(), null);
    settings.put(TwikitSettings.ISSUER_URL.key(), sandbox.issuerUrl().toString());

    Process login = startLogin(run, settings, "login", store);
    URI callback = authorize(awaitAuthorizationUrl(login, run, "login"));
    String query = callback.getRawQuery();
    assertThat(query).contains("state=");
    URI forged =
        URI.create(
            callback.toString().substring(0, callback.toString().indexOf('?') + 1)
                + query.replaceAll("(^|&)state=[^&]*", "$1state=forged-" + UUID.randomUUID()));
    HttpResponse<String> page = browse(forged);
    int code = exitCode(login);

    String err = log(run, "login.err");
    assertThat(code).as("exit code; stderr:\n%s", tail(err)).isEqualTo(1);
    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(lastLine(err)).startsWith("Error: ").contains("state");
    assertThat(store).doesNotExist();
    assertThat(sandbox.counters().codeExchanges()).as("the code was not exchanged").isZero();
    assertNoSecretInOutput(run);
  }

  // ---- scenario helpers ----

  /**
   * Starts {@code run} with {@code settings}, produces orders whose lines all need the Twikit API
   * (once the application has created its topics), requires exactly the expected ERP and
   * fulfillment outputs (no dead letter), then stops it with SIGTERM.
   */
  private void enrichesEveryLine(PipelineRun run, Map<String, String> settings) throws Exception {
    Process p = startChild(run, settings);
    awaitRunning(p, run);

    List<Item> items = TestOrders.configuredOnly(run.name(), 12, 47);
    List<Produced> produced =
        TestOrders.produce(stack.bootstrapServers(), registry, run.input(), items);
    Map<OutputKey, Long> expected = ExpectedOutputs.of(produced);
    assertThat(expected.keySet())
        .as("every line has an ERP and a fulfillment output, no dead letter")
        .extracting(OutputKey::role)
        .containsOnly(Role.ERP, Role.FULFILLMENT);
    try (OutputReader reader = new OutputReader(stack.bootstrapServers(), registry, run)) {
      PipelineAssertions.awaitExactOutputs(reader, expected, run, LONG);
      PipelineAssertions.assertHeadersAndSources(reader.records(), produced);
    }

    p.destroy();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("stopped with SIGTERM").isTrue();
    assertThat(p.exitValue())
        .as("exit code after SIGTERM; stderr:\n%s", tail(log(run, "run.err")))
        .isEqualTo(143);
  }

  /**
   * The TLS settings of both HTTPS links: the registry trusted through a PEM file of the test CA;
   * Twikit trusted through a PKCS12 trust store, with the client certificate as a PEM chain and an
   * encrypted PKCS#8 key whose password is in a file.
   */
  private static Map<String, String> tlsSettings() {
    Map<String, String> s = new LinkedHashMap<>();
    TlsSettingGroup registryTls = RegistrySettings.TLS;
    s.put(registryTls.truststoreType().key(), "PEM");
    s.put(registryTls.truststoreLocation().key(), pki.caCertPem().toString());
    TlsSettingGroup twikitTls = TwikitSettings.TLS;
    s.put(twikitTls.truststoreType().key(), "PKCS12");
    s.put(twikitTls.truststoreLocation().key(), pki.trustStore().toString());
    s.put(twikitTls.truststorePasswordFile().key(), pki.passwordFile().toString());
    s.put(twikitTls.keystoreType().key(), "PEM");
    s.put(twikitTls.keystoreLocation().key(), pki.clientCertPem().toString());
    s.put(twikitTls.keystoreKeyLocation().key(), pki.clientEncryptedKeyPem().toString());
    s.put(twikitTls.keyPasswordFile().key(), pki.passwordFile().toString());
    return s;
  }

  /** {@link #tlsSettings()} with a non-OAuth {@code scheme}: no token URL, client id or secret. */
  private static Map<String, String> staticScheme(String scheme) {
    Map<String, String> s = tlsSettings();
    s.put(TwikitSettings.AUTH_SCHEME.key(), scheme);
    s.put(TwikitSettings.TOKEN_URL.key(), null);
    s.put(TwikitSettings.CLIENT_ID.key(), null);
    s.put(TwikitSettings.CLIENT_SECRET.key(), null);
    return s;
  }

  private static PipelineRun.Infrastructure infra() {
    return new PipelineRun.Infrastructure(
        stack.bootstrapServers(),
        stack.schemaRegistryUrl(),
        sandbox.apiUrl().toString(),
        sandbox.tokenUrl().toString(),
        CLIENT_ID,
        CLIENT_SECRET);
  }

  /** A file of the test's temporary directory holding {@code content}. */
  private Path write(String name, String content) throws IOException {
    return Files.writeString(tmp.resolve(name), content, StandardCharsets.UTF_8);
  }

  private static void remember(String name, String secret) {
    synchronized (SECRETS) {
      SECRETS.put(name, secret);
    }
  }

  /** The refresh and access tokens of a store, as secrets named {@code which} ... token. */
  private static void remember(String which, StoredTokens tokens) {
    remember(which + " refresh token", tokens.refreshToken().revealAsString());
    if (tokens.accessToken() != null) {
      remember(which + " access token", tokens.accessToken().revealAsString());
    }
  }

  /**
   * Every child of {@code run} (stdout and stderr of each): no known secret, no JWT. The settings'
   * own names may show, their values not.
   */
  private static void assertNoSecretInOutput(PipelineRun run) throws IOException {
    List<Path> files;
    try (Stream<Path> all = Files.list(logs)) {
      files = all.filter(f -> f.getFileName().toString().startsWith(run.name() + ".")).toList();
    }
    assertThat(files).as("the logs of " + run).isNotEmpty();
    Map<String, String> secrets;
    synchronized (SECRETS) {
      secrets = Map.copyOf(SECRETS);
    }
    for (Path f : files) {
      String text = Files.readString(f, StandardCharsets.UTF_8);
      // a JWT: two base64url JSON parts and a dot (random states and challenges have no dot)
      assertThat(text)
          .as("%s holds no JWT", f.getFileName())
          .doesNotContainPattern("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.");
      secrets.forEach(
          (name, secret) ->
              assertThat(text.contains(secret)).as("%s holds %s", f.getFileName(), name).isFalse());
    }
  }

  // ---- the browser ----

  /** Starts {@code auth login --store store} (120 s for the browser). */
  private Process startLogin(
      PipelineRun run, Map<String, String> settings, String label, Path store) throws IOException {
    return startChild(
        run,
        settings,
        label,
        List.of("auth", "login", "--store", store.toString(), "--timeout-s", "120"));
  }

  /** The authorization URL the login prints on stdout, once it has printed it. */
  private static URI awaitAuthorizationUrl(Process login, PipelineRun run, String label) {
    String prefix = sandbox.authorizationUrl().toString();
    String line =
        await(run + " authorization URL")
            .atMost(LONG)
            .until(
                () -> {
                  if (!login.isAlive()) {
                    throw new IllegalStateException(
                        "the login exited with "
                            + login.exitValue()
                            + ":\n"
                            + tail(log(run, label + ".err")));
                  }
                  return log(run, label + ".out")
                      .lines()
                      .map(String::strip)
                      .filter(l -> l.startsWith(prefix + "?"))
                      .findFirst()
                      .orElse(null);
                },
                l -> l != null);
    return URI.create(line);
  }

  /**
   * GETs the authorization URL as the browser does (trusting the test CA, presenting the client
   * certificate the sandbox requires) and returns the redirect it answers: the login's loopback
   * callback with code and state.
   */
  private static URI authorize(URI authorization) throws Exception {
    HttpResponse<String> r = browse(authorization);
    assertThat(r.statusCode()).as("the authorization endpoint approves at once").isEqualTo(302);
    URI location = URI.create(r.headers().firstValue("Location").orElseThrow());
    assertThat(location.getScheme()).isEqualTo("http");
    assertThat(location.getHost()).isEqualTo("127.0.0.1");
    assertThat(location.getRawQuery()).contains("code=").contains("state=");
    return location;
  }

  /** One GET without following redirects, presenting the client certificate. */
  private static HttpResponse<String> browse(URI uri) throws Exception {
    return browse(uri, true);
  }

  /** One GET without following redirects, trusting the test CA. */
  private static HttpResponse<String> browse(URI uri, boolean withClientCertificate)
      throws Exception {
    HttpClient browser =
        HttpClient.newBuilder()
            .sslContext(pki.clientContext(withClientCertificate))
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    try (browser) {
      return browser.send(
          HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  // ---- children ----

  private Process startChild(PipelineRun run, Map<String, String> settings) throws IOException {
    return startChild(run, settings, "run", List.of("run"));
  }

  /**
   * Runs {@code java -jar order-enricher.jar <args>} with the test's settings as environment
   * variables (a null value leaves the setting unset), no other setting from this JVM's
   * environment, and {@code LOG_LEVEL=DEBUG}; its output goes to {@code <run>.<label>.out/err.log}.
   */
  private Process startChild(
      PipelineRun run, Map<String, String> settings, String label, List<String> args)
      throws IOException {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command =
        new ArrayList<>(List.of(java, "-Xmx384m", "-XX:+UseSerialGC", "-jar", jar.toString()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.keySet()
        .removeIf(
            k ->
                k.startsWith("KAFKA_")
                    || k.equals("LOG_LEVEL")
                    || Settings.ALL.stream().anyMatch(s -> s.env().equals(k)));
    run.environment(tmp.resolve("state"), settings)
        .forEach(
            (k, v) -> {
              if (v != null) {
                env.put(k, v);
              }
            });
    env.put("LOG_LEVEL", "DEBUG");
    pb.redirectOutput(logFile(run, label + ".out").toFile());
    pb.redirectError(logFile(run, label + ".err").toFile());
    Process p = pb.start();
    synchronized (CHILDREN) {
      CHILDREN.add(p);
    }
    return p;
  }

  /** Waits until the child has passed its start-up checks and started Kafka Streams. */
  private static void awaitRunning(Process p, PipelineRun run) {
    await(run + " running")
        .atMost(LONG)
        .until(
            () -> {
              if (!p.isAlive()) {
                throw new IllegalStateException(
                    run + " exited with " + p.exitValue() + ":\n" + tail(log(run, "run.err")));
              }
              return log(run, "run.out").contains("Running.");
            });
  }

  private static int exitCode(Process p) throws InterruptedException {
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("the child exited").isTrue();
    return p.exitValue();
  }

  private static Path logFile(PipelineRun run, String stream) {
    return logs.resolve(run.name() + "." + stream + ".log");
  }

  private static String log(PipelineRun run, String stream) {
    try {
      return Files.readString(logFile(run, stream), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1];
  }

  private static String tail(String text) {
    String[] lines = text.split("\n");
    return String.join(
        "\n", Arrays.copyOfRange(lines, Math.max(0, lines.length - 40), lines.length));
  }
}
