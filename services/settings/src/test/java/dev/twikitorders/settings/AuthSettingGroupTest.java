package dev.twikitorders.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.auth.AuthScheme;
import dev.twikitorders.auth.AuthSettings;
import dev.twikitorders.auth.ClientAuthMethod;
import dev.twikitorders.auth.Credentials;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.oauth.RegisteredClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Any service's auth settings group: keys under its prefix, typed values, errors naming them. */
class AuthSettingGroupTest {
  static final AuthSettingGroup AUTH =
      AuthSettingGroup.of(
          "delivery",
          "the customer's endpoint",
          AuthScheme.API_KEY,
          null,
          ClientAuthMethod.CLIENT_SECRET_BASIC);
  static final Setting ALLOW_INSECURE =
      new Setting("delivery.allow.insecure.http", "false", false, "Allow http://.");
  static final SettingsCatalog CATALOG =
      SettingsCatalog.of(
          Stream.concat(AUTH.settings().stream(), Stream.of(ALLOW_INSECURE)).toList());

  @TempDir Path dir;

  private static AuthSettingValues read(Map<String, String> env) {
    return AUTH.read(new ConfigSources(CATALOG).environment(env).settingValues(), ALLOW_INSECURE);
  }

  @Test
  void theGroupHasFourteenSettingsUnderItsPrefixWithItsDefaults() {
    assertThat(AUTH.prefix()).isEqualTo("delivery");
    assertThat(AUTH.settings())
        .extracting(Setting::key)
        .containsExactly(
            "delivery.auth.scheme",
            "delivery.token.url",
            "delivery.issuer.url",
            "delivery.client.id",
            "delivery.client.secret",
            "delivery.client.secret.file",
            "delivery.client.file",
            "delivery.scope",
            "delivery.auth.method",
            "delivery.api.key",
            "delivery.api.key.file",
            "delivery.auth.headers",
            "delivery.auth.headers.file",
            "delivery.refresh.token.file");
    assertThat(AUTH.settings())
        .filteredOn(Setting::secret)
        .extracting(Setting::key)
        .containsExactly("delivery.client.secret", "delivery.api.key", "delivery.auth.headers");
    assertThat(AUTH.scheme().defaultValue()).isEqualTo("api_key");
    assertThat(AUTH.authMethod().defaultValue()).isEqualTo("client_secret_basic");
    assertThat(AUTH.scope().defaultValue()).isNull();
    assertThat(AUTH.scheme().description()).contains("the customer's endpoint");
    assertThat(AUTH.clientSecretFile().description()).contains("delivery.client.secret");
    assertThat(AUTH.tokenUrl().description()).contains("delivery.issuer.url");
    assertThat(AUTH.settings())
        .allSatisfy(s -> assertThat(s.description()).doesNotContain("twikit"));

    AuthSettingValues values = read(Map.of());
    assertThat(values.scheme()).isEqualTo(AuthScheme.API_KEY);
    assertThat(values.authMethod()).isEqualTo(ClientAuthMethod.CLIENT_SECRET_BASIC);
    assertThat(values.scope()).isEmpty();
  }

  @Test
  void everySchemesMissingSettingIsNamedWithItsEnvironmentVariable() {
    assertThatThrownBy(() -> read(Map.of("DELIVERY_AUTH_SCHEME", "client_credentials")).auth())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("delivery.token.url")
        .hasMessageContaining("DELIVERY_TOKEN_URL")
        .hasMessageContaining("DELIVERY_ISSUER_URL");
    assertThatThrownBy(
            () ->
                read(Map.of(
                        "DELIVERY_AUTH_SCHEME", "client_credentials",
                        "DELIVERY_TOKEN_URL", "https://idp.example/token"))
                    .auth())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("delivery.client.id")
        .hasMessageContaining("DELIVERY_CLIENT_ID");
    assertThatThrownBy(
            () ->
                read(Map.of(
                        "DELIVERY_AUTH_SCHEME", "client_credentials",
                        "DELIVERY_TOKEN_URL", "https://idp.example/token",
                        "DELIVERY_CLIENT_ID", "shop"))
                    .auth())
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "missing setting delivery.client.secret (scheme client_credentials): put it in a file"
                + " and set DELIVERY_CLIENT_SECRET_FILE, or set DELIVERY_CLIENT_SECRET");
    assertThatThrownBy(
            () ->
                read(Map.of(
                        "DELIVERY_AUTH_SCHEME", "refresh_token",
                        "DELIVERY_ISSUER_URL", "https://idp.example",
                        "DELIVERY_CLIENT_ID", "shop"))
                    .auth())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("delivery.refresh.token.file")
        .hasMessageContaining("DELIVERY_REFRESH_TOKEN_FILE");
    assertThatThrownBy(() -> read(Map.of()).auth())
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "missing setting delivery.api.key (scheme api_key): put the key in a file and set"
                + " DELIVERY_API_KEY_FILE, or set DELIVERY_API_KEY");
    assertThatThrownBy(() -> read(Map.of("DELIVERY_AUTH_SCHEME", "static_headers")).auth())
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "missing setting delivery.auth.headers (scheme static_headers): put `Name: value`"
                + " lines in a file and set DELIVERY_AUTH_HEADERS_FILE, or set"
                + " DELIVERY_AUTH_HEADERS");
    assertThat(read(Map.of("DELIVERY_AUTH_SCHEME", "none")).auth())
        .isInstanceOf(AuthSettings.None.class);
  }

  @Test
  void eachSchemeIsBuiltFromItsSettings() throws Exception {
    Path secretFile = Files.writeString(dir.resolve("secret"), "file-secret-4711\n");
    var cc =
        (AuthSettings.ClientCredentials)
            read(Map.of(
                    "DELIVERY_AUTH_SCHEME", "client_credentials",
                    "DELIVERY_TOKEN_URL", "https://idp.example/token",
                    "DELIVERY_CLIENT_ID", "shop",
                    "DELIVERY_CLIENT_SECRET", "env-secret-0815",
                    "DELIVERY_CLIENT_SECRET_FILE", secretFile.toString(),
                    "DELIVERY_SCOPE", " orders.write "))
                .auth();
    assertThat(cc.clientId()).isEqualTo("shop");
    assertThat(cc.clientSecret().revealAsString()).isEqualTo("file-secret-4711");
    assertThat(cc.method()).isEqualTo(ClientAuthMethod.CLIENT_SECRET_BASIC);
    assertThat(cc.scope()).isEqualTo("orders.write");
    assertThat(cc.endpoint().tokenUrl())
        .hasValueSatisfying(u -> assertThat(u).hasHost("idp.example"));

    var rt =
        (AuthSettings.RefreshToken)
            read(Map.of(
                    "DELIVERY_AUTH_SCHEME", "refresh_token",
                    "DELIVERY_ISSUER_URL", "https://idp.example",
                    "DELIVERY_CLIENT_ID", "shop",
                    "DELIVERY_REFRESH_TOKEN_FILE", dir.resolve("rt.json").toString()))
                .auth();
    assertThat(rt.endpoint().issuer()).isPresent();
    assertThat(rt.store()).isEqualTo(dir.resolve("rt.json"));

    Path keyFile = Files.writeString(dir.resolve("key"), "key-from-file-2222\n");
    var key =
        (AuthSettings.ApiKey)
            read(Map.of(
                    "DELIVERY_API_KEY",
                    "key-from-env-1111",
                    "DELIVERY_API_KEY_FILE",
                    keyFile.toString()))
                .auth();
    assertThat(key.key().revealAsString()).isEqualTo("key-from-file-2222");

    Path headersFile =
        Files.writeString(
            dir.resolve("headers"), "# customer\nX-Customer-Key: header-secret-3333\n");
    var headers =
        (AuthSettings.StaticHeaders)
            read(Map.of(
                    "DELIVERY_AUTH_SCHEME",
                    "static_headers",
                    "DELIVERY_AUTH_HEADERS_FILE",
                    headersFile.toString()))
                .auth();
    assertThat(headers.headers())
        .extracting(Credentials.Header::name)
        .containsExactly("X-Customer-Key");
  }

  @Test
  void theClientFileSuppliesIdAndSecretAndAConflictNamesBoth() {
    Path file = dir.resolve("client.json");
    new RegisteredClient("registered-7", Secret.of("reg-secret-9876"), null, "{}").writeTo(file);
    AuthSettingValues values =
        read(
            Map.of(
                "DELIVERY_AUTH_SCHEME", "client_credentials",
                "DELIVERY_TOKEN_URL", "https://idp.example/token",
                "DELIVERY_CLIENT_FILE", file.toString()));
    var cc = (AuthSettings.ClientCredentials) values.auth();
    assertThat(cc.clientId()).isEqualTo("registered-7");
    assertThat(cc.clientSecret().revealAsString()).isEqualTo("reg-secret-9876");
    assertThat(values.toString()).doesNotContain("reg-secret-9876");

    assertThatThrownBy(
            () ->
                read(
                    Map.of(
                        "DELIVERY_CLIENT_ID",
                        "someone-else",
                        "DELIVERY_CLIENT_FILE",
                        file.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("delivery.client.file")
        .hasMessageContaining("registered-7")
        .hasMessageContaining("someone-else");
    assertThatThrownBy(
            () -> read(Map.of("DELIVERY_CLIENT_FILE", dir.resolve("absent.json").toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("delivery.client.file")
        .hasMessageContaining("absent.json");
  }

  @Test
  void noSecretReachesToStringOrAnError() throws Exception {
    Path headersFile =
        Files.writeString(dir.resolve("headers"), "X-Customer-Key: header-secret-3333\n");
    Map<String, String> env = new HashMap<>();
    env.put("DELIVERY_CLIENT_SECRET", "client-secret-5555");
    env.put("DELIVERY_API_KEY", "api-key-6666");
    env.put("DELIVERY_AUTH_HEADERS_FILE", headersFile.toString());
    AuthSettingValues values = read(env);
    assertThat(values.toString())
        .contains("delivery", "X-Customer-Key")
        .doesNotContain("client-secret-5555", "api-key-6666", "header-secret-3333");
    assertThat(values.auth().toString()).doesNotContain("api-key-6666");

    assertThatThrownBy(
            () -> read(Map.of("DELIVERY_AUTH_HEADERS", "X-Key: inline-7777\nbroken-8888")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("delivery.auth.headers")
        .hasMessageNotContaining("inline-7777")
        .hasMessageNotContaining("broken-8888");
    for (Setting secret : List.of(AUTH.clientSecret(), AUTH.apiKey(), AUTH.headers())) {
      assertThatThrownBy(() -> new ConfigSources(CATALOG).flag(secret.key(), "s3cr3t-9", "--set"))
          .isInstanceOf(ConfigException.class)
          .hasMessageNotContaining("s3cr3t-9");
    }
  }

  @Test
  void plainHttpToANonLoopbackHostIsRefusedUnlessAllowed() {
    assertThatThrownBy(() -> read(Map.of("DELIVERY_TOKEN_URL", "http://idp.example/token")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("delivery.token.url")
        .hasMessageContaining("DELIVERY_ALLOW_INSECURE_HTTP");
    assertThatThrownBy(() -> read(Map.of("DELIVERY_ISSUER_URL", "http://idp.example")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("delivery.issuer.url");
    assertThat(
            read(Map.of(
                    "DELIVERY_TOKEN_URL", "http://idp.example/token",
                    "DELIVERY_ALLOW_INSECURE_HTTP", "true"))
                .tokenUrl())
        .hasHost("idp.example");
    assertThat(read(Map.of("DELIVERY_TOKEN_URL", "http://127.0.0.1:8089/token")).tokenUrl())
        .hasHost("127.0.0.1");
  }

  @Test
  void theTwikitDefaultsGiveTheEnrichersKeysAndDefaults() {
    AuthSettingGroup twikit =
        AuthSettingGroup.of(
            "twikit",
            "the Twikit API",
            AuthScheme.CLIENT_CREDENTIALS,
            "configurations/configurations.read",
            ClientAuthMethod.CLIENT_SECRET_POST);
    assertThat(twikit.scheme().key()).isEqualTo("twikit.auth.scheme");
    assertThat(twikit.scheme().defaultValue()).isEqualTo("client_credentials");
    assertThat(twikit.authMethod().defaultValue()).isEqualTo("client_secret_post");
    assertThat(twikit.scope().defaultValue()).isEqualTo("configurations/configurations.read");
    assertThat(twikit.refreshTokenFile().key()).isEqualTo("twikit.refresh.token.file");
  }
}
