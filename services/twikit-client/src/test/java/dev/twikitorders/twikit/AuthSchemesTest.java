package dev.twikitorders.twikit;

import static dev.twikitorders.twikit.SandboxSupport.CLIENT_ID;
import static dev.twikitorders.twikit.SandboxSupport.CLIENT_SECRET;
import static dev.twikitorders.twikit.SandboxSupport.config;
import static dev.twikitorders.twikit.SandboxSupport.knownId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.twikitorders.auth.AuthSettings;
import dev.twikitorders.auth.ClientAuthMethod;
import dev.twikitorders.auth.Credentials;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.TokenEndpoint;
import dev.twikitorders.auth.http.JdkAuthHttp;
import dev.twikitorders.auth.oauth.PkceLogin;
import dev.twikitorders.auth.store.FileRefreshTokenStore;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.sandbox.api.Operation;
import dev.twikitorders.twikit.TwikitException.Kind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every scheme of the auth module through the client, against a sandbox that accepts them all: API
 * key, static headers, refresh token with rotation (from a real PKCE login), client credentials
 * with the token endpoint discovered from the issuer; and how the auth layer's failures read as
 * {@link TwikitException}s.
 */
class AuthSchemesTest {

  static final String API_KEY = "twenty-key-2f9c77";
  static final String INSTANCE_KEY = "instance-key-5e1d";
  static final String AUTHENTICATION = "authentication-value-a0b3";

  private static TwikitSandbox sb;

  @TempDir Path dir;

  @BeforeAll
  static void startSandbox() {
    sb = start();
  }

  @AfterAll
  static void stopSandbox() {
    sb.close();
  }

  @BeforeEach
  void reset() {
    sb.reset();
  }

  /** A sandbox that also accepts {@link #API_KEY} and the two static headers. */
  static TwikitSandbox start() {
    return TwikitSandbox.start(
        dev.twikitorders.sandbox.SandboxConfig.builder()
            .port(0)
            .clientId(CLIENT_ID)
            .clientSecret(CLIENT_SECRET)
            .latency(Duration.ZERO)
            .tokenTtl(Duration.ofHours(1))
            .apiKey(API_KEY)
            .staticHeader("TWN-InstanceKey", INSTANCE_KEY)
            .staticHeader("TWN-Authentication", AUTHENTICATION)
            .build());
  }

  /** Logs in to {@code sb} (PKCE, the sandbox's test user approves) and stores the tokens. */
  static Path login(TwikitSandbox sb, Path file) {
    try (JdkAuthHttp http =
            new JdkAuthHttp(null, Duration.ofSeconds(2), Duration.ofSeconds(10), 100_000);
        HttpClient browser =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.ALWAYS).build();
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
        FileRefreshTokenStore store = new FileRefreshTokenStore(file)) {
      HttpResponse<String> page =
          browser.send(
              HttpRequest.newBuilder(login.authorizationUrl()).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      store.save(login.result().join(), sb.tokenUrl(), CLIENT_ID);
      return file;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static AuthSettings.StaticHeaders headers(String instanceKey, String authentication) {
    return new AuthSettings.StaticHeaders(
        List.of(
            new Credentials.Header("TWN-InstanceKey", Secret.of(instanceKey)),
            new Credentials.Header("TWN-Authentication", Secret.of(authentication))));
  }

  static TwikitClientConfig.Builder with(TwikitSandbox sb, AuthSettings auth) {
    return config(sb).tokenUrl((URI) null).clientId(null).clientSecret(null).auth(auth);
  }

  private static TwikitException failure(Runnable call) {
    return TwikitException.unwrap(catchThrowable(call::run)).orElseThrow();
  }

  @Test
  void apiKeyAndStaticHeadersPassWithoutAnyTokenRequest() {
    for (AuthSettings auth :
        List.of(
            new AuthSettings.ApiKey(Secret.of(API_KEY)), headers(INSTANCE_KEY, AUTHENTICATION))) {
      try (TwikitApi api = TwikitClient.create(with(sb, auth).build())) {
        assertThat(api.summary(knownId()).join()).isNotNull();
        assertThat(api.toString()).doesNotContain(API_KEY, INSTANCE_KEY, AUTHENTICATION);
      }
    }
    assertThat(sb.counters().tokensIssued()).isZero();
    assertThat(sb.counters().requests(Operation.SUMMARY, 200)).isEqualTo(2);
  }

  @Test
  void refusedStaticCredentialsAreCredentialsRejectedAfterOneAttempt() {
    for (AuthSettings auth :
        List.of(
            new AuthSettings.ApiKey(Secret.of("not-the-key")),
            headers(INSTANCE_KEY, "not-the-value"))) {
      try (TwikitApi api = TwikitClient.create(with(sb, auth).build())) {
        TwikitException e = failure(() -> api.summary(knownId()).join());
        assertThat(e.kind()).isEqualTo(Kind.CREDENTIALS_REJECTED);
        assertThat(e.isTransient()).isFalse();
        assertThat(e.attempts()).isEqualTo(1);
        assertThat(e.getMessage()).contains("check the configured values");
      }
    }
    assertThat(sb.counters().requests(Operation.SUMMARY, 401)).isEqualTo(2);
  }

  @Test
  void refreshTokenSchemeUsesTheLoginAndRefreshesWithRotation() {
    Path store = login(sb, dir.resolve("refresh.json"));
    MutableClock clock = MutableClock.ticking();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    var auth =
        new AuthSettings.RefreshToken(
            TokenEndpoint.discover(sb.issuerUrl()),
            CLIENT_ID,
            Secret.of(CLIENT_SECRET),
            ClientAuthMethod.CLIENT_SECRET_BASIC,
            store);
    try (TwikitApi api =
        TwikitClient.create(with(sb, auth).clock(clock).meterRegistry(registry).build())) {
      assertThat(api.summary(knownId()).join()).isNotNull();
      assertThat(sb.counters().refreshes()).isZero();
      clock.advance(Duration.ofHours(2));
      assertThat(api.summary(knownId()).join()).isNotNull();
      assertThat(sb.counters().refreshes()).isEqualTo(1);
      assertThat(
              registry
                  .get("twikit.client.token.requests")
                  .tag("outcome", "success")
                  .counter()
                  .count())
          .isEqualTo(1);
    }
  }

  @Test
  void aMissingLoginIsCredentialsRejectedTellingTheOperatorWhatToRun() {
    Path missing = dir.resolve("none.json");
    var auth =
        new AuthSettings.RefreshToken(
            TokenEndpoint.at(sb.tokenUrl()),
            CLIENT_ID,
            Secret.of(CLIENT_SECRET),
            ClientAuthMethod.CLIENT_SECRET_BASIC,
            missing);
    try (TwikitApi api = TwikitClient.create(with(sb, auth).build())) {
      TwikitException e = failure(() -> api.summary(knownId()).join());
      assertThat(e.kind()).isEqualTo(Kind.CREDENTIALS_REJECTED);
      assertThat(e.kind().isSystemic()).isTrue();
      assertThat(e.attempts()).isZero();
      assertThat(e.retryAfter()).isPresent();
      assertThat(e.getMessage()).contains("auth login", missing.toString());
    }
  }

  @Test
  void issuerUrlShorthandDiscoversTheTokenEndpoint() {
    TwikitClientConfig c = config(sb).tokenUrl((URI) null).issuerUrl(sb.issuerUrl()).build();
    assertThat(c.auth())
        .isInstanceOfSatisfying(
            AuthSettings.ClientCredentials.class,
            cc -> assertThat(cc.endpoint()).isEqualTo(TokenEndpoint.discover(sb.issuerUrl())));
    try (TwikitApi api = TwikitClient.create(c)) {
      assertThat(api.summary(knownId()).join()).isNotNull();
      assertThat(api.toString()).contains(sb.tokenUrl().toString());
    }
    assertThat(sb.counters().tokensIssued()).isEqualTo(1);
  }

  @Test
  void aBrokenDiscoveryIsAnInvalidResponseNamingTheField() {
    sb.setMetadataMode(dev.twikitorders.sandbox.faults.MetadataMode.MISSING_TOKEN_ENDPOINT);
    try (TwikitApi api =
        TwikitClient.create(config(sb).tokenUrl((URI) null).issuerUrl(sb.issuerUrl()).build())) {
      TwikitException e = failure(() -> api.summary(knownId()).join());
      assertThat(e.kind()).isEqualTo(Kind.INVALID_RESPONSE);
      assertThat(e.getMessage()).contains("token_endpoint", sb.metadataUrl().toString());
    }
  }

  @Test
  void authAndTheShorthandDoNotMix() {
    assertThatThrownBy(() -> config(sb).auth(new AuthSettings.ApiKey(Secret.of(API_KEY))).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> config(sb).issuerUrl(sb.issuerUrl()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tokenUrl or issuerUrl");
    TwikitClientConfig keyed = with(sb, new AuthSettings.ApiKey(Secret.of(API_KEY))).build();
    assertThat(keyed.clientId()).isNull();
    assertThat(keyed.tokenUrl()).isNull();
    assertThat(keyed.toBuilder().build().toString()).isEqualTo(keyed.toString());
    assertThat(keyed.toString()).contains("ApiKey").doesNotContain(API_KEY);
  }
}
