package dev.twikitorders.enricher.config;

import dev.twikitorders.auth.AuthException;
import dev.twikitorders.auth.AuthScheme;
import dev.twikitorders.auth.AuthSettings;
import dev.twikitorders.auth.ClientAuthMethod;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.TokenEndpoint;
import dev.twikitorders.auth.oauth.RegisteredClient;
import dev.twikitorders.auth.tls.TlsSettings;
import dev.twikitorders.settings.ConfigException;
import dev.twikitorders.settings.Setting;
import dev.twikitorders.settings.SettingValues;
import dev.twikitorders.settings.TlsSettingGroup;
import dev.twikitorders.twikit.HttpProtocol;
import dev.twikitorders.twikit.TwikitPaths;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The Twikit REST API, its OAuth 2.0 token endpoint (client credentials, RFC 6749 section 4.4) and
 * how the client calls them. Holds the client's own types ({@link ClientAuthMethod}, {@link
 * HttpProtocol}, {@link TwikitPaths}, {@link Secret}), validated once here.
 *
 * @param apiUrl null when not set
 * @param authScheme how calls authenticate
 * @param tokenUrl null when not set
 * @param issuerUrl the issuer whose metadata names the token endpoint; null when not set
 * @param clientId null when not set
 * @param clientId from {@code twikit.client.id}, else from {@code twikit.client.file}; null when
 *     neither is set
 * @param clientSecret from {@code twikit.client.secret.file} when set, else {@code
 *     twikit.client.secret}, else from {@code twikit.client.file}; null when none is set
 * @param scope space-separated; empty requests none
 * @param retryDeadline zero: retry through an outage forever
 * @param maxResponseBytes largest Twikit response body accepted
 * @param apiKey the API key (scheme api_key), from the file setting when set; null when not set
 * @param staticHeaders the headers (scheme static_headers); null when not set
 * @param refreshTokenFile the refresh-token store (scheme refresh_token); null when not set
 * @param allowInsecureHttp whether http:// URLs of non-loopback hosts are accepted
 * @param tls trust and key material for the API and the identity provider
 */
public record TwikitSettings(
    URI apiUrl,
    AuthScheme authScheme,
    URI tokenUrl,
    URI issuerUrl,
    String clientId,
    Secret clientSecret,
    String scope,
    ClientAuthMethod authMethod,
    int maxInFlight,
    Duration connectTimeout,
    Duration responseTimeout,
    HttpProtocol httpProtocol,
    Duration retryDeadline,
    int maxResponseBytes,
    TwikitPaths paths,
    Secret apiKey,
    AuthSettings.StaticHeaders staticHeaders,
    Path refreshTokenFile,
    boolean allowInsecureHttp,
    TlsSettings tls) {
  public static final Setting API_URL =
      new Setting("twikit.api.url", null, false, "Base URL of the Twikit REST API.");
  public static final Setting AUTH_SCHEME =
      new Setting(
          "twikit.auth.scheme",
          "client_credentials",
          false,
          "How calls authenticate: client_credentials (OAuth 2.0), refresh_token (OAuth 2.0 tokens"
              + " from `auth login`, rotated on every refresh), api_key (a static key sent as bearer"
              + " token) or static_headers (named headers with secret values).");
  public static final Setting TOKEN_URL =
      new Setting(
          "twikit.token.url",
          null,
          false,
          "OAuth 2.0 token endpoint (schemes client_credentials and refresh_token); leave empty to"
              + " find it from twikit.issuer.url.");
  public static final Setting ISSUER_URL =
      new Setting(
          "twikit.issuer.url",
          null,
          false,
          "OAuth 2.0 issuer: when twikit.token.url is empty, the token endpoint is read from its"
              + " metadata (RFC 8414 `/.well-known/oauth-authorization-server`, then"
              + " `/.well-known/openid-configuration`); also what `auth register` and `auth login`"
              + " discover from.");
  public static final Setting CLIENT_ID =
      new Setting("twikit.client.id", null, false, "OAuth 2.0 client id.");
  public static final Setting CLIENT_SECRET =
      new Setting(
          "twikit.client.secret",
          null,
          true,
          "OAuth 2.0 client secret (environment only; prefer the _FILE variant).");
  public static final Setting CLIENT_SECRET_FILE =
      new Setting(
          "twikit.client.secret.file",
          null,
          false,
          "File holding the client secret (trailing newline ignored); wins over"
              + " twikit.client.secret.");
  public static final Setting CLIENT_FILE =
      new Setting(
          "twikit.client.file",
          null,
          false,
          "Client registration file written by `auth register` (JSON, owner read/write only):"
              + " supplies twikit.client.id and the client secret when those are not set.");
  public static final Setting SCOPE =
      new Setting(
          "twikit.scope",
          "configurations/configurations.read configurations/configurations.write",
          false,
          "Space-separated OAuth scopes to request; empty requests none.");
  public static final Setting AUTH_METHOD =
      new Setting(
          "twikit.auth.method",
          "client_secret_post",
          false,
          "Client authentication at the token endpoint: client_secret_post (client id and secret"
              + " as form fields, as Twikit documents it) or client_secret_basic (HTTP Basic).");
  public static final Setting MAX_IN_FLIGHT =
      new Setting(
          "twikit.max.in.flight",
          "256",
          false,
          "Most Twikit API requests in flight per instance; more wait in the client's queue.");
  public static final Setting CONNECT_TIMEOUT =
      new Setting(
          "twikit.connect.timeout.ms", "5000", false, "TCP/TLS connect timeout of Twikit calls.");
  public static final Setting RESPONSE_TIMEOUT =
      new Setting(
          "twikit.response.timeout.ms",
          "10000",
          false,
          "Response timeout of one Twikit call attempt.");
  public static final Setting HTTP_VERSION =
      new Setting(
          "twikit.http.version",
          "HTTP_1_1",
          false,
          "HTTP_1_1, HTTP_2 (h2c / ALPN) or NEGOTIATE (HTTP/2 where TLS ALPN offers it).");
  public static final Setting RETRY_DEADLINE =
      new Setting(
          "twikit.retry.deadline.ms",
          "0",
          false,
          "How long a line keeps retrying through an API outage before it is dead-lettered as"
              + " RETRIES_EXHAUSTED; 0 = forever (an outage delays, never drops).");
  public static final Setting MAX_RESPONSE_BYTES =
      new Setting(
          "twikit.max.response.bytes",
          "4194304",
          false,
          "Largest Twikit response body accepted, in bytes (API and token endpoint); a larger one"
              + " fails the call as INVALID_RESPONSE without being read into memory.");
  public static final Setting API_KEY =
      new Setting(
          "twikit.api.key",
          null,
          true,
          "API key (scheme api_key), sent as `Authorization: Bearer <key>` (environment only;"
              + " prefer the _FILE variant).");
  public static final Setting API_KEY_FILE =
      new Setting(
          "twikit.api.key.file",
          null,
          false,
          "File holding the API key (trailing newline ignored); wins over twikit.api.key.");
  public static final Setting HEADERS =
      new Setting(
          "twikit.auth.headers",
          null,
          true,
          "Headers with secret values (scheme static_headers), one `Name: value` per line, e.g."
              + " `TWN-InstanceKey: ...` and `TWN-Authentication: ...` (environment only; prefer the"
              + " _FILE variant).");
  public static final Setting HEADERS_FILE =
      new Setting(
          "twikit.auth.headers.file",
          null,
          false,
          "File of `Name: value` lines (scheme static_headers; `#` comments and blank lines"
              + " ignored); wins over twikit.auth.headers.");
  public static final Setting REFRESH_TOKEN_FILE =
      new Setting(
          "twikit.refresh.token.file",
          null,
          false,
          "Refresh-token store (scheme refresh_token): the JSON file `auth login` writes (owner"
              + " read/write only). Every refresh rotates the token and rewrites the file before"
              + " the new access token is used; instances sharing the file (shared volume) refresh"
              + " one at a time under a lock on `<file>.lock`.");
  public static final Setting ALLOW_INSECURE_HTTP =
      new Setting(
          "twikit.allow.insecure.http",
          "false",
          false,
          "Accept http:// URLs for hosts other than loopback (API, token endpoint, issuer)."
              + " Credentials then cross the network unencrypted: for closed test networks only.");
  public static final Setting PATH_STATUS =
      new Setting(
          "twikit.path.status", "/status", false, "Path of the status operation (no token).");
  public static final Setting PATH_COMPATIBILITY =
      new Setting(
          "twikit.path.compatibility",
          "/configurations/{id}/compatibility",
          false,
          "Path of the compatibility check; {id} is the configuration UUID.");
  public static final Setting PATH_SUMMARY =
      new Setting(
          "twikit.path.summary",
          "/configurations/{id}/summary",
          false,
          "Path of the configuration summary.");
  public static final Setting PATH_FILTERED =
      new Setting(
          "twikit.path.filtered",
          "/configurations/{id}/filtered",
          false,
          "Path of the filtered configuration.");
  public static final Setting PATH_UPDATE_MANY =
      new Setting(
          "twikit.path.update.many",
          "/configurations",
          false,
          "Path of the batch update that links configurations to the order.");

  /** The Twikit API and its identity provider: {@code twikit.ssl.*}. */
  public static final TlsSettingGroup TLS =
      TlsSettingGroup.of("twikit", "the Twikit API and identity provider");

  static final List<Setting> SETTINGS =
      java.util.stream.Stream.concat(
              List.of(
                  API_URL,
                  AUTH_SCHEME,
                  TOKEN_URL,
                  ISSUER_URL,
                  CLIENT_ID,
                  CLIENT_SECRET,
                  CLIENT_SECRET_FILE,
                  CLIENT_FILE,
                  SCOPE,
                  AUTH_METHOD,
                  API_KEY,
                  API_KEY_FILE,
                  HEADERS,
                  HEADERS_FILE,
                  REFRESH_TOKEN_FILE,
                  ALLOW_INSECURE_HTTP,
                  MAX_IN_FLIGHT,
                  CONNECT_TIMEOUT,
                  RESPONSE_TIMEOUT,
                  HTTP_VERSION,
                  RETRY_DEADLINE,
                  MAX_RESPONSE_BYTES,
                  PATH_STATUS,
                  PATH_COMPATIBILITY,
                  PATH_SUMMARY,
                  PATH_FILTERED,
                  PATH_UPDATE_MANY)
                  .stream(),
              TLS.settings().stream())
          .toList();

  static TwikitSettings read(SettingValues v) {
    Secret fromFile = v.secretFile(CLIENT_SECRET_FILE);
    Secret secret = fromFile != null ? fromFile : v.secret(CLIENT_SECRET);
    String clientId = v.string(CLIENT_ID);
    Path clientFile = v.path(CLIENT_FILE);
    if (clientFile != null) {
      RegisteredClient registered;
      try {
        registered = RegisteredClient.readFrom(clientFile);
      } catch (AuthException e) {
        throw v.bad(CLIENT_FILE, e.getMessage());
      }
      if (clientId == null) {
        clientId = registered.clientId();
      } else if (!clientId.equals(registered.clientId())) {
        throw v.bad(
            CLIENT_FILE,
            "holds client id '"
                + registered.clientId()
                + "', but "
                + CLIENT_ID.key()
                + " is '"
                + clientId
                + "': set one of them");
      }
      if (secret == null) {
        secret = registered.clientSecret();
      }
    }
    TwikitPaths paths = TwikitPaths.defaults();
    paths = path(v, paths, PATH_STATUS, TwikitPaths::withStatus);
    paths = path(v, paths, PATH_COMPATIBILITY, TwikitPaths::withCompatibility);
    paths = path(v, paths, PATH_SUMMARY, TwikitPaths::withSummary);
    paths = path(v, paths, PATH_FILTERED, TwikitPaths::withFiltered);
    paths = path(v, paths, PATH_UPDATE_MANY, TwikitPaths::withUpdateMany);
    Secret apiKeyFromFile = v.secretFile(API_KEY_FILE);
    boolean allowInsecure = v.bool(ALLOW_INSECURE_HTTP);
    return new TwikitSettings(
        secureUrl(v, API_URL, allowInsecure),
        v.enumValue(AUTH_SCHEME, AuthScheme.class),
        secureUrl(v, TOKEN_URL, allowInsecure),
        secureUrl(v, ISSUER_URL, allowInsecure),
        clientId,
        secret,
        v.stringOrEmpty(SCOPE).strip(),
        v.enumValue(AUTH_METHOD, ClientAuthMethod.class),
        v.integer(MAX_IN_FLIGHT, 1, 100_000),
        v.millis(CONNECT_TIMEOUT, 1),
        v.millis(RESPONSE_TIMEOUT, 1),
        v.enumValue(HTTP_VERSION, HttpProtocol.class),
        v.millis(RETRY_DEADLINE, 0),
        v.integer(MAX_RESPONSE_BYTES, 1024, 1 << 30),
        paths,
        apiKeyFromFile != null ? apiKeyFromFile : v.secret(API_KEY),
        headers(v),
        v.path(REFRESH_TOKEN_FILE),
        allowInsecure,
        TLS.read(v));
  }

  /**
   * How the client authenticates, built from the settings of the chosen scheme.
   *
   * @throws ConfigException naming the first missing setting of the scheme
   */
  public AuthSettings auth() {
    return switch (authScheme) {
      case CLIENT_CREDENTIALS -> {
        TokenEndpoint endpoint = tokenEndpoint();
        Setting.require(clientId, CLIENT_ID);
        if (clientSecret == null) {
          throw new ConfigException(
              "missing setting "
                  + CLIENT_SECRET.key()
                  + " (scheme client_credentials): put it in a file and set "
                  + CLIENT_SECRET_FILE.env()
                  + ", or set "
                  + CLIENT_SECRET.env());
        }
        yield new AuthSettings.ClientCredentials(
            endpoint, clientId, clientSecret, authMethod, scope.isBlank() ? null : scope);
      }
      case REFRESH_TOKEN -> {
        TokenEndpoint endpoint = tokenEndpoint();
        Setting.require(clientId, CLIENT_ID);
        Setting.require(refreshTokenFile, REFRESH_TOKEN_FILE);
        yield new AuthSettings.RefreshToken(
            endpoint, clientId, clientSecret, authMethod, refreshTokenFile);
      }
      case API_KEY -> {
        if (apiKey == null) {
          throw new ConfigException(
              "missing setting "
                  + API_KEY.key()
                  + " (scheme api_key): put the key in a file and set "
                  + API_KEY_FILE.env()
                  + ", or set "
                  + API_KEY.env());
        }
        yield new AuthSettings.ApiKey(apiKey);
      }
      case STATIC_HEADERS -> {
        if (staticHeaders == null) {
          throw new ConfigException(
              "missing setting "
                  + HEADERS.key()
                  + " (scheme static_headers): put `Name: value` lines in a file and set "
                  + HEADERS_FILE.env()
                  + ", or set "
                  + HEADERS.env());
        }
        yield staticHeaders;
      }
      case NONE -> new AuthSettings.None();
    };
  }

  private TokenEndpoint tokenEndpoint() {
    if (tokenUrl != null) {
      return TokenEndpoint.at(tokenUrl);
    }
    if (issuerUrl != null) {
      return TokenEndpoint.discover(issuerUrl);
    }
    throw new ConfigException(
        "missing setting "
            + TOKEN_URL.key()
            + " (scheme "
            + authScheme.settingValue()
            + "): set "
            + TOKEN_URL.env()
            + ", or "
            + ISSUER_URL.env()
            + " to find the token endpoint from the issuer's metadata");
  }

  /** The URL of {@code s}; http:// only for loopback hosts unless insecure HTTP is allowed. */
  private static URI secureUrl(SettingValues v, Setting s, boolean allowInsecure) {
    URI url = v.url(s);
    v.requireSecureHttp(s, url, ALLOW_INSECURE_HTTP, allowInsecure);
    return url;
  }

  private static AuthSettings.StaticHeaders headers(SettingValues v) {
    String fileName = v.string(HEADERS_FILE);
    if (fileName != null) {
      String text;
      try {
        text = Files.readString(Path.of(fileName), java.nio.charset.StandardCharsets.UTF_8);
      } catch (java.io.IOException e) {
        throw v.bad(
            HEADERS_FILE,
            "names file " + fileName + ", which cannot be read: " + e.getClass().getSimpleName());
      }
      try {
        return AuthSettings.StaticHeaders.parse(text, "file " + fileName);
      } catch (IllegalArgumentException e) {
        throw v.bad(HEADERS_FILE, e.getMessage());
      }
    }
    Secret inline = v.secret(HEADERS);
    if (inline == null) {
      return null;
    }
    try {
      return AuthSettings.StaticHeaders.parse(inline.revealAsString(), "the value");
    } catch (IllegalArgumentException e) {
      throw v.bad(HEADERS, e.getMessage());
    }
  }

  /** Sets one path; the client's {@link TwikitPaths} holds the rules, this names the setting. */
  private static TwikitPaths path(
      SettingValues v,
      TwikitPaths paths,
      Setting setting,
      BiFunction<TwikitPaths, String, TwikitPaths> with) {
    try {
      return with.apply(paths, v.required(setting));
    } catch (IllegalArgumentException e) {
      throw v.bad(setting, e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "TwikitSettings[apiUrl="
        + apiUrl
        + ", authScheme="
        + authScheme.settingValue()
        + ", tokenUrl="
        + tokenUrl
        + ", issuerUrl="
        + issuerUrl
        + ", clientId="
        + clientId
        + ", clientSecret="
        + (clientSecret == null ? "none" : "****")
        + ", scope="
        + scope
        + ", authMethod="
        + authMethod
        + ", maxInFlight="
        + maxInFlight
        + ", httpProtocol="
        + httpProtocol
        + ", maxResponseBytes="
        + maxResponseBytes
        + ", apiKey="
        + (apiKey == null ? "none" : "****")
        + ", staticHeaders="
        + staticHeaders
        + ", refreshTokenFile="
        + refreshTokenFile
        + ", allowInsecureHttp="
        + allowInsecureHttp
        + ", tls="
        + tls
        + "]";
  }
}
