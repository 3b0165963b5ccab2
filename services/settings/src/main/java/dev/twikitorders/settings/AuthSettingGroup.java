package dev.twikitorders.settings;

import dev.twikitorders.auth.AuthException;
import dev.twikitorders.auth.AuthScheme;
import dev.twikitorders.auth.AuthSettings;
import dev.twikitorders.auth.ClientAuthMethod;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.oauth.RegisteredClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The authentication settings of one outgoing HTTP link, {@code <prefix>.*} (the order enricher's
 * {@code twikit.auth.scheme}, {@code twikit.token.url}, {@code twikit.client.id}, ... for the
 * Twikit API; a delivery service's {@code delivery.*} for a customer's endpoint): the scheme (OAuth
 * 2.0 client credentials or refresh token, an API key, static headers, none) and the settings of
 * each scheme. Secrets come from files (the {@code .file} settings, which win) or the environment;
 * they are {@link Setting#secret() secret} settings, refused on the command line.
 *
 * <p>{@link #read} types and checks the values once (URLs, the client registration file, the
 * headers file) and {@link AuthSettingValues#auth()} builds the {@link AuthSettings} of the chosen
 * scheme, naming the first missing setting and its environment variable.
 *
 * <p>Immutable and thread-safe.
 */
public record AuthSettingGroup(
    String prefix,
    Setting scheme,
    Setting tokenUrl,
    Setting issuerUrl,
    Setting clientId,
    Setting clientSecret,
    Setting clientSecretFile,
    Setting clientFile,
    Setting scope,
    Setting authMethod,
    Setting apiKey,
    Setting apiKeyFile,
    Setting headers,
    Setting headersFile,
    Setting refreshTokenFile) {

  /**
   * The fourteen auth settings of one link under {@code prefix}, their descriptions naming {@code
   * what} it calls (e.g. {@code the Twikit API}). Each application lists {@link #settings()} in its
   * catalog and reads the group with {@link #read}.
   *
   * @param defaultScheme the default of {@code <prefix>.auth.scheme}
   * @param defaultScope the default of {@code <prefix>.scope}; null for none
   * @param defaultMethod the default of {@code <prefix>.auth.method}
   */
  public static AuthSettingGroup of(
      String prefix,
      String what,
      AuthScheme defaultScheme,
      String defaultScope,
      ClientAuthMethod defaultMethod) {
    String p = prefix + ".";
    String tokenUrl = p + "token.url";
    String issuerUrl = p + "issuer.url";
    String clientId = p + "client.id";
    String clientSecret = p + "client.secret";
    String apiKey = p + "api.key";
    String headers = p + "auth.headers";
    String refreshTokenFile = p + "refresh.token.file";
    return new AuthSettingGroup(
        prefix,
        new Setting(
            p + "auth.scheme",
            defaultScheme.settingValue(),
            false,
            "How calls to "
                + what
                + " authenticate: client_credentials (OAuth 2.0), refresh_token (OAuth 2.0 tokens"
                + " from "
                + refreshTokenFile
                + ", rotated on every refresh), api_key (a static key sent as bearer token),"
                + " static_headers (named headers with secret values) or none."),
        new Setting(
            tokenUrl,
            null,
            false,
            "OAuth 2.0 token endpoint (schemes client_credentials and refresh_token); leave empty"
                + " to find it from "
                + issuerUrl
                + "."),
        new Setting(
            issuerUrl,
            null,
            false,
            "OAuth 2.0 issuer: when "
                + tokenUrl
                + " is empty, the token endpoint is read from its metadata (RFC 8414"
                + " `/.well-known/oauth-authorization-server`, then"
                + " `/.well-known/openid-configuration`); also what client registration and login"
                + " discover from."),
        new Setting(clientId, null, false, "OAuth 2.0 client id for " + what + "."),
        new Setting(
            clientSecret,
            null,
            true,
            "OAuth 2.0 client secret (environment only; prefer the _FILE variant)."),
        new Setting(
            clientSecret + ".file",
            null,
            false,
            "File holding the client secret (trailing newline ignored); wins over "
                + clientSecret
                + "."),
        new Setting(
            p + "client.file",
            null,
            false,
            "Client registration file written by `auth register` (JSON, owner read/write only):"
                + " supplies "
                + clientId
                + " and the client secret when those are not set."),
        new Setting(
            p + "scope",
            defaultScope,
            false,
            "Space-separated OAuth scopes to request; empty requests none."),
        new Setting(
            p + "auth.method",
            defaultMethod.name().toLowerCase(Locale.ROOT),
            false,
            "Client authentication at the token endpoint: client_secret_post (client id and secret"
                + " as form fields) or client_secret_basic (HTTP Basic)."),
        new Setting(
            apiKey,
            null,
            true,
            "API key (scheme api_key), sent as `Authorization: Bearer <key>` (environment only;"
                + " prefer the _FILE variant)."),
        new Setting(
            apiKey + ".file",
            null,
            false,
            "File holding the API key (trailing newline ignored); wins over " + apiKey + "."),
        new Setting(
            headers,
            null,
            true,
            "Headers with secret values (scheme static_headers), one `Name: value` per line"
                + " (environment only; prefer the _FILE variant)."),
        new Setting(
            headers + ".file",
            null,
            false,
            "File of `Name: value` lines (scheme static_headers; `#` comments and blank lines"
                + " ignored); wins over "
                + headers
                + "."),
        new Setting(
            refreshTokenFile,
            null,
            false,
            "Refresh-token store (scheme refresh_token): the JSON file `auth login` writes (owner"
                + " read/write only). Every refresh rotates the token and rewrites the file before"
                + " the new access token is used; instances sharing the file (shared volume) refresh"
                + " one at a time under a lock on `<file>.lock`."));
  }

  /** The group's settings, in table order. */
  public List<Setting> settings() {
    return List.of(
        scheme,
        tokenUrl,
        issuerUrl,
        clientId,
        clientSecret,
        clientSecretFile,
        clientFile,
        scope,
        authMethod,
        apiKey,
        apiKeyFile,
        headers,
        headersFile,
        refreshTokenFile);
  }

  /**
   * The typed values: secrets from their files when set (the file wins), else from the environment;
   * the client id and secret from the client registration file when not set otherwise; URLs {@code
   * http://} only for loopback hosts unless {@code allowInsecureSetting} (a boolean setting of the
   * application's catalog, e.g. {@code twikit.allow.insecure.http}) is true. Whether the chosen
   * scheme has what it needs is {@link AuthSettingValues#auth()}'s check.
   *
   * @throws ConfigException naming the setting at fault, never a secret
   */
  public AuthSettingValues read(SettingValues v, Setting allowInsecureSetting) {
    Secret fromFile = v.secretFile(clientSecretFile);
    Secret secret = fromFile != null ? fromFile : v.secret(clientSecret);
    String id = v.string(clientId);
    Path registration = v.path(clientFile);
    if (registration != null) {
      RegisteredClient registered;
      try {
        registered = RegisteredClient.readFrom(registration);
      } catch (AuthException e) {
        throw v.bad(clientFile, e.getMessage());
      }
      if (id == null) {
        id = registered.clientId();
      } else if (!id.equals(registered.clientId())) {
        throw v.bad(
            clientFile,
            "holds client id '"
                + registered.clientId()
                + "', but "
                + clientId.key()
                + " is '"
                + id
                + "': set one of them");
      }
      if (secret == null) {
        secret = registered.clientSecret();
      }
    }
    Secret keyFromFile = v.secretFile(apiKeyFile);
    boolean allowInsecure = v.bool(allowInsecureSetting);
    return new AuthSettingValues(
        this,
        v.enumValue(scheme, AuthScheme.class),
        secureUrl(v, tokenUrl, allowInsecureSetting, allowInsecure),
        secureUrl(v, issuerUrl, allowInsecureSetting, allowInsecure),
        id,
        secret,
        v.stringOrEmpty(scope).strip(),
        v.enumValue(authMethod, ClientAuthMethod.class),
        keyFromFile != null ? keyFromFile : v.secret(apiKey),
        staticHeaders(v),
        v.path(refreshTokenFile));
  }

  /** The URL of {@code s}; http:// only for loopback hosts unless insecure HTTP is allowed. */
  private static URI secureUrl(SettingValues v, Setting s, Setting allow, boolean allowed) {
    URI url = v.url(s);
    v.requireSecureHttp(s, url, allow, allowed);
    return url;
  }

  private AuthSettings.StaticHeaders staticHeaders(SettingValues v) {
    String fileName = v.string(headersFile);
    if (fileName != null) {
      String text;
      try {
        text = Files.readString(Path.of(fileName), StandardCharsets.UTF_8);
      } catch (IOException | java.nio.file.InvalidPathException e) {
        throw v.bad(
            headersFile,
            "names file " + fileName + ", which cannot be read: " + e.getClass().getSimpleName());
      }
      try {
        return AuthSettings.StaticHeaders.parse(text, "file " + fileName);
      } catch (IllegalArgumentException e) {
        throw v.bad(headersFile, e.getMessage());
      }
    }
    Secret inline = v.secret(headers);
    if (inline == null) {
      return null;
    }
    try {
      return AuthSettings.StaticHeaders.parse(inline.revealAsString(), "the value");
    } catch (IllegalArgumentException e) {
      throw v.bad(headers, e.getMessage());
    }
  }
}
