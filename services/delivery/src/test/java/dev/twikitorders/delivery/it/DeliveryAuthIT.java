package dev.twikitorders.delivery.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twikitorders.auth.ClientAuthMethod;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.http.JdkAuthHttp;
import dev.twikitorders.auth.oauth.PkceLogin;
import dev.twikitorders.auth.store.FileRefreshTokenStore;
import dev.twikitorders.delivery.app.DeliveryApp;
import dev.twikitorders.delivery.config.DeliveryConfig;
import dev.twikitorders.delivery.it.DeliveryProcess.Answer;
import dev.twikitorders.delivery.it.DeliveryProcess.Finished;
import dev.twikitorders.delivery.it.DeliveryStack.Produced;
import dev.twikitorders.delivery.it.DeliveryStack.Run;
import dev.twikitorders.sandbox.SandboxConfig;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.sandbox.api.Operation;
import dev.twikitorders.sandbox.sink.SinkRecording;
import dev.twikitorders.settings.ConfigSources;
import dev.twikitorders.testpki.TestPki;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every authentication scheme of the auth layer against the sandbox's sink, with the service
 * configured only by the README's environment variables: {@code api_key} and {@code static_headers}
 * from files, {@code client_credentials} at the sandbox's token endpoint, {@code refresh_token}
 * with a store obtained by a real PKCE login at the sandbox's authorization endpoint (rotated by
 * the service), and HTTPS with mutual TLS (PEM trust, PEM chain and encrypted PKCS#8 key). Refused
 * credentials: a wrong client secret makes {@code deliver} exit 2 at once; a wrong API key is
 * retried, dead-letters nothing and {@code /health/ready} answers {@code PAUSED
 * DELIVERY_CREDENTIALS_REFUSED}.
 *
 * <p>For speed the service runs in-process ({@link DeliveryApp#start(DeliveryConfig)} on the
 * environment map); the refused client secret runs the packaged jar as a child process.
 */
class DeliveryAuthIT {
  private static final String API_KEY = "auth-api-key-SECRET-9d2c";
  private static final String CLIENT_ID = "delivery-it";
  private static final String CLIENT_SECRET = "auth-client-SECRET-61fa0e";
  private static final String HEADER = "X-Sink-Token";
  private static final String HEADER_VALUE = "auth-header-SECRET-a77b";

  private static DeliveryStack stack;
  private static TwikitSandbox sb;

  @TempDir Path tmp;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeAll
  static void start() {
    stack =
        DeliveryStack.start(
            b ->
                b.apiKey(API_KEY)
                    .staticHeader(HEADER, HEADER_VALUE)
                    .clientId(CLIENT_ID)
                    .clientSecret(CLIENT_SECRET)
                    .tokenTtl(Duration.ofHours(1)));
    sb = stack.sandbox();
  }

  @AfterAll
  static void stopAll() {
    DeliveryProcess.killAll();
    if (stack != null) {
      stack.close();
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    sb.reset();
  }

  private Path file(String name, String content) throws IOException {
    Path f = tmp.resolve(name);
    Files.writeString(f, content);
    return f;
  }

  private DeliveryApp deliver(Map<String, String> env) {
    DeliveryApp app =
        DeliveryApp.start(
            DeliveryConfig.from(new ConfigSources(DeliveryConfig.CATALOG).environment(env)));
    toClose.add(app);
    return app;
  }

  /** Produces, delivers with {@code auth} and checks that every key arrived, in order. */
  private void deliversEverything(String name, Map<String, String> auth) {
    Run run = stack.newRun(name);
    List<Produced> produced = stack.produce(run, 6, 3);
    Map<String, String> extra = new HashMap<>(auth);
    extra.put("DELIVERY_BATCH_MAX_RECORDS", "4");
    deliver(stack.environment(run, extra));
    awaitDelivered(run, produced);
  }

  private static void awaitDelivered(Run run, List<Produced> produced) {
    await("every key at the sink")
        .atMost(DeliveryProcess.LONG)
        .until(() -> sb.sink(run.sink()).distinctKeys() == produced.size());
    await("the group's offsets at the end")
        .atMost(DeliveryProcess.LONG)
        .until(() -> stack.committed(run).equals(stack.endOffsets(run.topic())));
    SinkRecording sink = sb.sink(run.sink());
    Map<String, List<String>> arrived = DeliveryStack.firstArrivalsByOrder(sink.items());
    DeliveryStack.keysByOrder(produced)
        .forEach(
            (order, keys) ->
                assertThat(arrived.get(order)).as(order).containsExactlyElementsOf(keys));
    assertThat(stack.deadLetters(run)).isEmpty();
  }

  @Test
  void apiKeyFromAFile() throws IOException {
    deliversEverything(
        "auth-api-key",
        Map.of(
            "DELIVERY_AUTH_SCHEME",
            "api_key",
            "DELIVERY_API_KEY_FILE",
            file("api-key", API_KEY + "\n").toString()));
  }

  @Test
  void staticHeadersFromAFile() throws IOException {
    deliversEverything(
        "auth-headers",
        Map.of(
            "DELIVERY_AUTH_SCHEME",
            "static_headers",
            "DELIVERY_AUTH_HEADERS_FILE",
            file("headers", "# the sink's header\n" + HEADER + ": " + HEADER_VALUE + "\n")
                .toString()));
  }

  @Test
  void clientCredentialsAtTheTokenEndpoint() throws IOException {
    deliversEverything(
        "auth-client-credentials",
        Map.of(
            "DELIVERY_AUTH_SCHEME",
            "client_credentials",
            "DELIVERY_TOKEN_URL",
            sb.tokenUrl().toString(),
            "DELIVERY_CLIENT_ID",
            CLIENT_ID,
            "DELIVERY_CLIENT_SECRET_FILE",
            file("secret", CLIENT_SECRET + "\n").toString()));
    assertThat(sb.counters().requests(Operation.SINK, 200)).isPositive();
  }

  @Test
  void refreshTokenFromALoginIsRotatedAndUsed() throws Exception {
    // the login's access token is expired at once: the service must refresh (and rotate) first
    sb.setTokenTtl(Duration.ZERO);
    Path store = tmp.resolve("tokens.json");
    try (JdkAuthHttp http =
            new JdkAuthHttp(null, Duration.ofSeconds(2), Duration.ofSeconds(10), 1_000_000);
        PkceLogin login =
            PkceLogin.start(
                new PkceLogin.Request(
                    sb.authorizationUrl(),
                    sb.tokenUrl(),
                    CLIENT_ID,
                    Secret.of(CLIENT_SECRET),
                    ClientAuthMethod.CLIENT_SECRET_BASIC,
                    null,
                    List.of("S256"),
                    0,
                    null),
                http);
        FileRefreshTokenStore tokens = new FileRefreshTokenStore(store);
        HttpClient browser =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()) {
      // the browser: the sandbox's test user approves at once and is sent to the loopback callback
      HttpResponse<String> page =
          browser.send(
              HttpRequest.newBuilder(login.authorizationUrl()).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
      tokens.save(login.result().join(), sb.tokenUrl(), CLIENT_ID);
    }
    sb.setTokenTtl(Duration.ofHours(1));
    String loginRefreshToken = storedRefreshToken(store);

    deliversEverything(
        "auth-refresh-token",
        Map.of(
            "DELIVERY_AUTH_SCHEME", "refresh_token",
            "DELIVERY_TOKEN_URL", sb.tokenUrl().toString(),
            "DELIVERY_CLIENT_ID", CLIENT_ID,
            "DELIVERY_CLIENT_SECRET_FILE", file("secret", CLIENT_SECRET + "\n").toString(),
            "DELIVERY_REFRESH_TOKEN_FILE", store.toString()));
    assertThat(storedRefreshToken(store)).as("rotated and stored").isNotEqualTo(loginRefreshToken);
  }

  private static String storedRefreshToken(Path store) throws IOException {
    return new ObjectMapper().readTree(store.toFile()).get("refresh_token").asText();
  }

  @Test
  void httpsWithMutualTls() throws IOException {
    TestPki pki = TestPki.create(tmp.resolve("pki"));
    try (TwikitSandbox tls =
        TwikitSandbox.start(
            SandboxConfig.builder()
                .port(0)
                .tls(pki.serverCertPem(), pki.serverKeyPem())
                .clientCaFile(pki.caCertPem())
                .apiKey(API_KEY)
                .build())) {
      Run run = stack.newRun("auth-mtls");
      List<Produced> produced = stack.produce(run, 6, 3);
      Map<String, String> env = new HashMap<>();
      env.put("DELIVERY_AUTH_SCHEME", "api_key");
      env.put("DELIVERY_API_KEY_FILE", file("api-key", API_KEY).toString());
      env.put("DELIVERY_SSL_TRUSTSTORE_LOCATION", pki.caCertPem().toString());
      env.put("DELIVERY_SSL_TRUSTSTORE_TYPE", "PEM");
      env.put("DELIVERY_SSL_KEYSTORE_LOCATION", pki.clientCertPem().toString());
      env.put("DELIVERY_SSL_KEYSTORE_TYPE", "PEM");
      env.put("DELIVERY_SSL_KEYSTORE_KEY_LOCATION", pki.clientEncryptedKeyPem().toString());
      env.put("DELIVERY_SSL_KEY_PASSWORD_FILE", pki.passwordFile().toString());
      env = new HashMap<>(stack.environment(run, env));
      env.put("DELIVERY_URL", tls.sinkUrl(run.sink()).toString());
      assertThat(env.get("DELIVERY_URL")).startsWith("https://");
      deliver(env);

      await("every key at the TLS sink")
          .atMost(DeliveryProcess.LONG)
          .until(() -> tls.sink(run.sink()).distinctKeys() == produced.size());
      await("the group's offsets at the end")
          .atMost(DeliveryProcess.LONG)
          .until(() -> stack.committed(run).equals(stack.endOffsets(run.topic())));
      assertThat(tls.sink(run.sink()).countByKey().keySet())
          .containsExactlyInAnyOrderElementsOf(produced.stream().map(Produced::key).toList());
    }
  }

  @Test
  void aWrongClientSecretExits2AtOnce() throws IOException {
    Run run = stack.newRun("auth-wrong-secret");
    String wrong = "wrong-SECRET-0b3e55";
    Finished f =
        DeliveryProcess.run(
            run.name(),
            stack.environment(
                run,
                Map.of(
                    "DELIVERY_AUTH_SCHEME",
                    "client_credentials",
                    "DELIVERY_TOKEN_URL",
                    sb.tokenUrl().toString(),
                    "DELIVERY_CLIENT_ID",
                    CLIENT_ID,
                    "DELIVERY_CLIENT_SECRET_FILE",
                    file("wrong", wrong).toString(),
                    "LOG_LEVEL",
                    "DEBUG")),
            "deliver");
    assertThat(f.exitCode()).as(f.all()).isEqualTo(2);
    assertThat(f.err()).contains("delivery.auth.scheme").contains("refused");
    assertThat(f.all()).doesNotContain(wrong).doesNotContain(CLIENT_SECRET);
    assertThat(sb.sink(run.sink()).total()).isZero();
  }

  @Test
  void aWrongApiKeyIsRetriedNeverDeadLetteredAndReportedByReadiness() throws IOException {
    Run run = stack.newRun("auth-wrong-key");
    List<Produced> produced = stack.produce(run, 3, 2);
    int port = DeliveryProcess.freePort();
    String wrong = "wrong-key-SECRET-57c0";
    deliver(
        stack.environment(
            run,
            Map.of(
                "DELIVERY_AUTH_SCHEME",
                "api_key",
                "DELIVERY_API_KEY_FILE",
                file("wrong-key", wrong).toString(),
                "METRICS_PORT",
                Integer.toString(port),
                "METRICS_BIND_ADDRESS",
                "127.0.0.1",
                // at the stop, the request being retried is abandoned after this, not after 10 s
                "DELIVERY_SHUTDOWN_TIMEOUT_MS",
                "500")));

    await("readiness reports the refused credentials")
        .atMost(DeliveryProcess.LONG)
        .until(
            () -> {
              Answer a = DeliveryProcess.get(port, "/health/ready");
              return a.status() == 503 && a.body().contains("PAUSED DELIVERY_CREDENTIALS_REFUSED");
            });
    await("several refused attempts")
        .atMost(DeliveryProcess.LONG)
        .until(() -> sb.counters().requests(Operation.SINK, 401) >= 6);
    assertThat(DeliveryProcess.get(port, "/health/live").status()).isEqualTo(200);
    String metrics = DeliveryProcess.get(port, "/metrics").body();
    assertThat(DeliveryProcess.sample(metrics, "order_delivery_credentials_refused")).isEqualTo(1);
    assertThat(DeliveryProcess.sample(metrics, "order_delivery_requests_retried_total"))
        .isPositive();
    assertThat(metrics).doesNotContain(wrong);
    String status = DeliveryProcess.get(port, "/status.json").body();
    JsonNode tree = new ObjectMapper().readTree(status);
    assertThat(tree.path("state").asText()).isEqualTo("PAUSED");
    assertThat(tree.path("level").asText()).isEqualTo("BAD");
    assertThat(DeliveryOutageIT.section(tree, "State").path("facts").toString())
        .contains("DELIVERY_CREDENTIALS_REFUSED");
    assertThat(status).doesNotContain(wrong);
    assertThat(sb.sink(run.sink()).total()).isZero();
    assertThat(stack.deadLetters(run)).as("dead letters").isEmpty();
    assertThat(stack.committed(run).values()).allMatch(o -> o == 0L);
    assertThat(produced).isNotEmpty();
  }
}
