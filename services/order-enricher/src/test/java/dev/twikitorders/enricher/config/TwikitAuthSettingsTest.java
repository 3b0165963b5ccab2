package dev.twikitorders.enricher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.auth.AuthScheme;
import dev.twikitorders.auth.AuthSettings;
import dev.twikitorders.auth.Credentials;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.oauth.RegisteredClient;
import dev.twikitorders.settings.ConfigException;
import dev.twikitorders.settings.ConfigSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Twikit auth scheme settings: each scheme, its missing settings, secrets and plain HTTP. */
class TwikitAuthSettingsTest {
  @TempDir Path dir;

  private static EnricherConfig load(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.putIfAbsent("TWIKIT_API_URL", "https://api.twikit.example");
    return EnricherConfig.from(new ConfigSources(Settings.CATALOG).environment(all));
  }

  @Test
  void clientCredentialsIsTheDefaultAndTakesTheTokenEndpointOrTheIssuer() {
    EnricherConfig c =
        load(
            Map.of(
                "TWIKIT_TOKEN_URL", "https://idp.example/oauth2/token",
                "TWIKIT_CLIENT_ID", "shop",
                "TWIKIT_CLIENT_SECRET", "cc-secret-value"));
    assertThat(c.twikit().authScheme()).isEqualTo(AuthScheme.CLIENT_CREDENTIALS);
    var cc = (AuthSettings.ClientCredentials) c.requireTwikit().twikit().auth();
    assertThat(cc.endpoint().tokenUrl())
        .hasValueSatisfying(u -> assertThat(u).hasHost("idp.example"));
    assertThat(cc.clientSecret().revealAsString()).isEqualTo("cc-secret-value");

    EnricherConfig discovered =
        load(
            Map.of(
                "TWIKIT_ISSUER_URL", "https://idp.example",
                "TWIKIT_CLIENT_ID", "shop",
                "TWIKIT_CLIENT_SECRET", "cc-secret-value"));
    var viaIssuer = (AuthSettings.ClientCredentials) discovered.twikit().auth();
    assertThat(viaIssuer.endpoint().issuer()).isPresent();
    assertThat(viaIssuer.endpoint().tokenUrl()).isEmpty();
  }

  @Test
  void aMissingTokenEndpointNamesBothWaysToGiveIt() {
    EnricherConfig c =
        load(Map.of("TWIKIT_CLIENT_ID", "shop", "TWIKIT_CLIENT_SECRET", "cc-secret-value"));
    assertThatThrownBy(c::requireTwikit)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TWIKIT_TOKEN_URL")
        .hasMessageContaining("TWIKIT_ISSUER_URL");
  }

  @Test
  void apiKeyComesFromItsFileAndNeverShows() throws Exception {
    Path key = Files.writeString(dir.resolve("key"), "twenty-key-0123456789\n");
    EnricherConfig c =
        load(Map.of("TWIKIT_AUTH_SCHEME", "api_key", "TWIKIT_API_KEY_FILE", key.toString()));
    var apiKey = (AuthSettings.ApiKey) c.requireTwikit().twikit().auth();
    assertThat(apiKey.key().revealAsString()).isEqualTo("twenty-key-0123456789");
    assertThat(c.toString() + c.twikit().auth()).doesNotContain("twenty-key-0123456789");

    assertThatThrownBy(() -> load(Map.of("TWIKIT_AUTH_SCHEME", "api_key")).requireTwikit())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TWIKIT_API_KEY_FILE");
  }

  @Test
  void staticHeadersComeFromAFileOfNameValueLines() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("headers"),
            "# Tweakwise backend API\nTWN-InstanceKey: instance-123\n\nTWN-Authentication: auth-456\n");
    EnricherConfig c =
        load(
            Map.of(
                "TWIKIT_AUTH_SCHEME",
                "static_headers",
                "TWIKIT_AUTH_HEADERS_FILE",
                file.toString()));
    var headers = (AuthSettings.StaticHeaders) c.requireTwikit().twikit().auth();
    assertThat(headers.headers())
        .extracting(Credentials.Header::name)
        .containsExactly("TWN-InstanceKey", "TWN-Authentication");
    assertThat(c.toString()).contains("TWN-InstanceKey").doesNotContain("instance-123", "auth-456");
  }

  @Test
  void aBadHeadersFileNamesTheLineButNotTheValue() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("headers"), "TWN-InstanceKey: instance-123\nno-colon-secret\n");
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        "TWIKIT_AUTH_SCHEME",
                        "static_headers",
                        "TWIKIT_AUTH_HEADERS_FILE",
                        file.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("twikit.auth.headers.file")
        .hasMessageContaining("line 2")
        .hasMessageNotContaining("no-colon-secret")
        .hasMessageNotContaining("instance-123");
  }

  @Test
  void refreshTokenNeedsItsStoreAndAClientId() {
    assertThatThrownBy(
            () ->
                load(Map.of(
                        "TWIKIT_AUTH_SCHEME", "refresh_token",
                        "TWIKIT_TOKEN_URL", "https://idp.example/token",
                        "TWIKIT_CLIENT_ID", "shop"))
                    .requireTwikit())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TWIKIT_REFRESH_TOKEN_FILE");
    EnricherConfig c =
        load(
            Map.of(
                "TWIKIT_AUTH_SCHEME", "refresh_token",
                "TWIKIT_TOKEN_URL", "https://idp.example/token",
                "TWIKIT_CLIENT_ID", "shop",
                "TWIKIT_REFRESH_TOKEN_FILE", dir.resolve("rt.json").toString()));
    var rt = (AuthSettings.RefreshToken) c.requireTwikit().twikit().auth();
    assertThat(rt.store()).isEqualTo(dir.resolve("rt.json"));
    assertThat(rt.clientSecret()).isNull();
  }

  @Test
  void plainHttpToANonLoopbackHostIsRefusedUnlessAllowed() {
    assertThatThrownBy(() -> load(Map.of("TWIKIT_TOKEN_URL", "http://idp.example/token")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("twikit.token.url")
        .hasMessageContaining("TWIKIT_ALLOW_INSECURE_HTTP");
    assertThatThrownBy(() -> load(Map.of("TWIKIT_API_URL", "http://10.0.0.8:8080")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("twikit.api.url");
    assertThat(
            load(Map.of(
                    "TWIKIT_TOKEN_URL", "http://idp.example/token",
                    "TWIKIT_ALLOW_INSECURE_HTTP", "true"))
                .twikit()
                .tokenUrl())
        .hasHost("idp.example");
    for (String loopback :
        new String[] {"http://127.0.0.1:8089", "http://localhost:1", "http://[::1]:2"}) {
      assertThat(load(Map.of("TWIKIT_API_URL", loopback)).twikit().apiUrl()).isNotNull();
    }
  }

  @Test
  void anUnknownSchemeListsTheKnownOnes() {
    assertThatThrownBy(() -> load(Map.of("TWIKIT_AUTH_SCHEME", "kerberos")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("client_credentials")
        .hasMessageContaining("static_headers")
        .hasMessageContaining("kerberos");
  }

  @Test
  void theClientFileOfAuthRegisterSuppliesIdAndSecret() {
    Path file = dir.resolve("client.json");
    new RegisteredClient("registered-7", Secret.of("reg-secret-9876"), null, "{}").writeTo(file);
    EnricherConfig c =
        load(
            Map.of(
                "TWIKIT_TOKEN_URL",
                "https://idp.example/token",
                "TWIKIT_CLIENT_FILE",
                file.toString()));
    var cc = (AuthSettings.ClientCredentials) c.requireTwikit().twikit().auth();
    assertThat(cc.clientId()).isEqualTo("registered-7");
    assertThat(cc.clientSecret().revealAsString()).isEqualTo("reg-secret-9876");
    assertThat(c.toString()).doesNotContain("reg-secret-9876");

    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        "TWIKIT_CLIENT_ID", "someone-else", "TWIKIT_CLIENT_FILE", file.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("registered-7")
        .hasMessageContaining("someone-else");
    assertThatThrownBy(
            () -> load(Map.of("TWIKIT_CLIENT_FILE", dir.resolve("absent.json").toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("twikit.client.file")
        .hasMessageContaining("absent.json");
  }
}
