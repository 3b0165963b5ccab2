package dev.twikitorders.auth.oauth;

import static dev.twikitorders.auth.Tests.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.client.ClientMetadata;
import dev.twikitorders.auth.AuthEvents;
import dev.twikitorders.auth.AuthException;
import dev.twikitorders.auth.AuthException.Kind;
import dev.twikitorders.auth.AuthSettings;
import dev.twikitorders.auth.Authenticator;
import dev.twikitorders.auth.Authenticators;
import dev.twikitorders.auth.ClientAuthMethod;
import dev.twikitorders.auth.SandboxSupport;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.Tests;
import dev.twikitorders.auth.TokenEndpoint;
import dev.twikitorders.auth.http.JdkAuthHttp;
import dev.twikitorders.auth.store.SecureFiles;
import dev.twikitorders.sandbox.TwikitSandbox;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dynamic client registration (RFC 7591) against the sandbox, and the registration file. */
class ClientRegistrarTest {

  private static final String REGISTRATION_TOKEN = "initial-access-token-9d1f";

  private static TwikitSandbox sb;
  private static TwikitSandbox guarded;
  private JdkAuthHttp http;

  @BeforeAll
  static void startSandboxes() {
    sb = SandboxSupport.start();
    guarded = SandboxSupport.start(b -> b.registrationToken(REGISTRATION_TOKEN));
  }

  @AfterAll
  static void stopSandboxes() {
    sb.close();
    guarded.close();
  }

  @BeforeEach
  void reset() {
    sb.reset();
    http = SandboxSupport.https();
  }

  @AfterEach
  void closeHttp() {
    http.close();
  }

  /** Metadata of a loopback client with {@code authMethod} and {@code grants}. */
  static ClientMetadata metadata(String authMethod, List<String> grants) {
    ClientMetadata m = new ClientMetadata();
    m.setName("order-pipeline test");
    m.setRedirectionURI(URI.create("http://127.0.0.1/callback"));
    m.setGrantTypes(Set.copyOf(grants.stream().map(ClientRegistrarTest::parseGrant).toList()));
    m.setTokenEndpointAuthMethod(ClientAuthenticationMethod.parse(authMethod));
    return m;
  }

  private static GrantType parseGrant(String g) {
    try {
      return GrantType.parse(g);
    } catch (com.nimbusds.oauth2.sdk.ParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void registersAClientThatCanThenGetTokens(@TempDir Path dir) throws Exception {
    RegisteredClient client =
        ClientRegistrar.register(
                sb.registrationUrl(),
                metadata("client_secret_basic", List.of("client_credentials")),
                null,
                http)
            .join();
    assertThat(client.clientId()).isNotBlank();
    assertThat(client.clientSecret()).isNotNull();
    assertThat(client.secretExpiresAt()).isNull(); // client_secret_expires_at 0: never
    assertThat(client.metadataJson())
        .contains("\"client_name\":\"order-pipeline test\"", "client_credentials")
        .doesNotContain("client_secret\"");
    String secret = client.clientSecret().revealAsString();
    assertThat(client.toString()).contains(client.clientId()).doesNotContain(secret);
    assertThat(sb.counters().registrations()).isEqualTo(1);

    Path file = dir.resolve("client.json");
    client.writeTo(file);
    if (SecureFiles.isPosix(file)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
    }
    RegisteredClient read = RegisteredClient.readFrom(file);
    assertThat(read.clientId()).isEqualTo(client.clientId());
    assertThat(read.clientSecret()).isEqualTo(client.clientSecret());
    AuthException exists = catchAuth(() -> client.writeTo(file));
    assertThat(exists.getMessage()).contains(file.toString(), "exists").doesNotContain(secret);
    client.writeTo(file, true);

    ScheduledExecutorService scheduler = Tests.scheduler();
    try (Authenticator auth =
        Authenticators.create(
            new AuthSettings.ClientCredentials(
                TokenEndpoint.at(sb.tokenUrl()),
                read.clientId(),
                read.clientSecret(),
                ClientAuthMethod.CLIENT_SECRET_BASIC,
                null),
            http,
            scheduler,
            AuthEvents.NOOP,
            Clock.systemUTC())) {
      assertThat(auth.credentials().join().headers()).hasSize(1);
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void aRefusalNamesTheErrorCode() {
    ClientMetadata bad = metadata("client_secret_basic", List.of("authorization_code"));
    bad.setRedirectionURI(URI.create("http://evil.example/callback")); // http, not loopback
    AuthException e = failure(ClientRegistrar.register(sb.registrationUrl(), bad, null, http));
    assertThat(e.kind()).isEqualTo(Kind.CREDENTIALS_REJECTED);
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.code()).contains("invalid_redirect_uri");
    assertThat(e.getMessage()).contains("invalid_redirect_uri", sb.registrationUrl().toString());
  }

  @Test
  void aGuardedEndpointWantsTheInitialAccessTokenAndNoMessageShowsIt() {
    ClientMetadata m = metadata("client_secret_post", List.of("client_credentials"));
    AuthException e = failure(ClientRegistrar.register(guarded.registrationUrl(), m, null, http));
    assertThat(e.kind()).isEqualTo(Kind.CREDENTIALS_REJECTED);
    assertThat(e.code()).contains("invalid_token");
    AuthException wrong =
        failure(
            ClientRegistrar.register(
                guarded.registrationUrl(), m, Secret.of("not-" + REGISTRATION_TOKEN), http));
    assertThat(Tests.messages(wrong)).doesNotContain(REGISTRATION_TOKEN);
    RegisteredClient ok =
        ClientRegistrar.register(guarded.registrationUrl(), m, Secret.of(REGISTRATION_TOKEN), http)
            .join();
    assertThat(ok.clientId()).isNotBlank();
    assertThat(ok.toString()).doesNotContain(REGISTRATION_TOKEN);
  }

  @Test
  void aMissingOrBrokenRegistrationFileIsNamed(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("nope.json");
    assertThatThrownBy(() -> RegisteredClient.readFrom(missing))
        .isInstanceOf(AuthException.class)
        .hasMessageContaining(missing.toString());
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"client_id\": \"x\", \"client_secret\": sec-ret-leak}");
    assertThatThrownBy(() -> RegisteredClient.readFrom(broken))
        .hasMessageContaining(broken.toString())
        .hasMessageNotContaining("leak");
  }

  private static AuthException catchAuth(Runnable r) {
    try {
      r.run();
    } catch (AuthException e) {
      return e;
    }
    throw new AssertionError("expected an AuthException");
  }
}
