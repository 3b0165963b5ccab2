package dev.twikitorders.enricher.config;

import dev.twikitorders.auth.AuthScheme;
import dev.twikitorders.auth.AuthSettings;
import dev.twikitorders.auth.ClientAuthMethod;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.tls.TlsSettings;
import dev.twikitorders.capacity.ConcurrencySettings;
import dev.twikitorders.settings.AuthSettingGroup;
import dev.twikitorders.settings.AuthSettingValues;
import dev.twikitorders.settings.ConfigException;
import dev.twikitorders.settings.Setting;
import dev.twikitorders.settings.SettingValues;
import dev.twikitorders.settings.TlsSettingGroup;
import dev.twikitorders.twikit.HttpProtocol;
import dev.twikitorders.twikit.TwikitPaths;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The Twikit REST API, its OAuth 2.0 token endpoint (client credentials, RFC 6749 section 4.4) and
 * how the client calls them. Holds the client's own types ({@link ClientAuthMethod}, {@link
 * HttpProtocol}, {@link TwikitPaths}, {@link Secret}), validated once here. The auth settings are
 * the shared {@link AuthSettingGroup} {@link #AUTH} ({@code twikit.auth.scheme}, {@code
 * twikit.token.url}, ...); their values are {@link #authValues()}, also reachable through the
 * accessors {@link #authScheme()}, {@link #clientId()}, ...
 *
 * <p>Immutable and thread-safe; {@link #toString()} never shows a secret.
 *
 * @param apiUrl null when not set
 * @param maxInFlight the ceiling of requests in flight (the limit itself when fixed)
 * @param concurrency adaptive or fixed in-flight limit
 * @param minInFlight the adaptive limit's floor
 * @param maxRequestsPerSecond cap on requests per second; 0 for none
 * @param authValues the values of {@link #AUTH}
 * @param retryDeadline zero: retry through an outage forever
 * @param maxResponseBytes largest Twikit response body accepted
 * @param allowInsecureHttp whether http:// URLs of non-loopback hosts are accepted
 * @param tls trust and key material for the API and the identity provider
 */
public record TwikitSettings(
    URI apiUrl,
    AuthSettingValues authValues,
    int maxInFlight,
    ConcurrencySettings.Mode concurrency,
    int minInFlight,
    double maxRequestsPerSecond,
    Duration connectTimeout,
    Duration responseTimeout,
    HttpProtocol httpProtocol,
    Duration retryDeadline,
    int maxResponseBytes,
    TwikitPaths paths,
    boolean allowInsecureHttp,
    TlsSettings tls) {
  /** The default of {@code twikit.scope}: what the enricher's calls need. */
  public static final String DEFAULT_SCOPE =
      "configurations/configurations.read configurations/configurations.write";

  /**
   * How calls to the Twikit API authenticate: {@code twikit.auth.scheme}, {@code twikit.token.url},
   * ... (default client_credentials with {@link #DEFAULT_SCOPE}, client_secret_post as Twikit
   * documents it).
   */
  public static final AuthSettingGroup AUTH =
      AuthSettingGroup.of(
          "twikit",
          "the Twikit API",
          AuthScheme.CLIENT_CREDENTIALS,
          DEFAULT_SCOPE,
          ClientAuthMethod.CLIENT_SECRET_POST);

  public static final Setting API_URL =
      new Setting("twikit.api.url", null, false, "Base URL of the Twikit REST API.");
  public static final Setting AUTH_SCHEME = AUTH.scheme();
  public static final Setting TOKEN_URL = AUTH.tokenUrl();
  public static final Setting ISSUER_URL = AUTH.issuerUrl();
  public static final Setting CLIENT_ID = AUTH.clientId();
  public static final Setting CLIENT_SECRET = AUTH.clientSecret();
  public static final Setting CLIENT_SECRET_FILE = AUTH.clientSecretFile();
  public static final Setting CLIENT_FILE = AUTH.clientFile();
  public static final Setting SCOPE = AUTH.scope();
  public static final Setting AUTH_METHOD = AUTH.authMethod();
  public static final Setting MAX_IN_FLIGHT =
      new Setting(
          "twikit.max.in.flight",
          "1024",
          false,
          "Most Twikit API requests in flight per instance: the ceiling of the adaptive limit (the"
              + " limit itself with twikit.concurrency=fixed); more wait in the client's queue.");
  public static final Setting CONCURRENCY =
      new Setting(
          "twikit.concurrency",
          "adaptive",
          false,
          "adaptive: the limit of requests in flight follows the API's measured capacity (its"
              + " throughput times its unloaded round trip; cut on timeouts, 429 and 503) between"
              + " twikit.min.in.flight and twikit.max.in.flight; fixed: the limit is"
              + " twikit.max.in.flight.");
  public static final Setting MIN_IN_FLIGHT =
      new Setting(
          "twikit.min.in.flight",
          "8",
          false,
          "Floor of the adaptive limit of requests in flight (at most twikit.max.in.flight).");
  public static final Setting MAX_REQUESTS_PER_SECOND =
      new Setting(
          "twikit.max.requests.per.second",
          "0",
          false,
          "Cap on Twikit API requests per second per instance, retries included (a quota); 0 ="
              + " none. A 429 lowers the rate below it for every call, and it creeps back after.");
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
  public static final Setting API_KEY = AUTH.apiKey();
  public static final Setting API_KEY_FILE = AUTH.apiKeyFile();
  public static final Setting HEADERS = AUTH.headers();
  public static final Setting HEADERS_FILE = AUTH.headersFile();
  public static final Setting REFRESH_TOKEN_FILE = AUTH.refreshTokenFile();
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
      java.util.stream.Stream.of(
              List.of(API_URL),
              AUTH.settings(),
              List.of(
                  ALLOW_INSECURE_HTTP,
                  MAX_IN_FLIGHT,
                  CONCURRENCY,
                  MIN_IN_FLIGHT,
                  MAX_REQUESTS_PER_SECOND,
                  CONNECT_TIMEOUT,
                  RESPONSE_TIMEOUT,
                  HTTP_VERSION,
                  RETRY_DEADLINE,
                  MAX_RESPONSE_BYTES,
                  PATH_STATUS,
                  PATH_COMPATIBILITY,
                  PATH_SUMMARY,
                  PATH_FILTERED,
                  PATH_UPDATE_MANY),
              TLS.settings())
          .flatMap(List::stream)
          .toList();

  static TwikitSettings read(SettingValues v) {
    AuthSettingValues auth = AUTH.read(v, ALLOW_INSECURE_HTTP);
    TwikitPaths paths = TwikitPaths.defaults();
    paths = path(v, paths, PATH_STATUS, TwikitPaths::withStatus);
    paths = path(v, paths, PATH_COMPATIBILITY, TwikitPaths::withCompatibility);
    paths = path(v, paths, PATH_SUMMARY, TwikitPaths::withSummary);
    paths = path(v, paths, PATH_FILTERED, TwikitPaths::withFiltered);
    paths = path(v, paths, PATH_UPDATE_MANY, TwikitPaths::withUpdateMany);
    boolean allowInsecure = v.bool(ALLOW_INSECURE_HTTP);
    URI apiUrl = v.url(API_URL);
    v.requireSecureHttp(API_URL, apiUrl, ALLOW_INSECURE_HTTP, allowInsecure);
    int maxInFlight = v.integer(MAX_IN_FLIGHT, 1, 100_000);
    int minInFlight = v.integer(MIN_IN_FLIGHT, 1, 100_000);
    ConcurrencySettings.Mode mode = v.enumValue(CONCURRENCY, ConcurrencySettings.Mode.class);
    minInFlight = Math.min(minInFlight, maxInFlight); // the floor never above the ceiling
    return new TwikitSettings(
        apiUrl,
        auth,
        maxInFlight,
        mode,
        minInFlight,
        v.decimal(MAX_REQUESTS_PER_SECOND, 0, 1_000_000),
        v.millis(CONNECT_TIMEOUT, 1),
        v.millis(RESPONSE_TIMEOUT, 1),
        v.enumValue(HTTP_VERSION, HttpProtocol.class),
        v.millis(RETRY_DEADLINE, 0),
        v.integer(MAX_RESPONSE_BYTES, 1024, 1 << 30),
        paths,
        allowInsecure,
        TLS.read(v));
  }

  /**
   * How the client authenticates, built from the settings of the chosen scheme.
   *
   * @throws ConfigException naming the first missing setting of the scheme
   */
  public AuthSettings auth() {
    return authValues.auth();
  }

  /** How calls authenticate ({@code twikit.auth.scheme}). */
  public AuthScheme authScheme() {
    return authValues.scheme();
  }

  /** {@code twikit.token.url}; null when not set. */
  public URI tokenUrl() {
    return authValues.tokenUrl();
  }

  /** {@code twikit.issuer.url}; null when not set. */
  public URI issuerUrl() {
    return authValues.issuerUrl();
  }

  /** From {@code twikit.client.id}, else from {@code twikit.client.file}; null when neither. */
  public String clientId() {
    return authValues.clientId();
  }

  /** The client secret from its file, the environment or the client file; null when none. */
  public Secret clientSecret() {
    return authValues.clientSecret();
  }

  /** {@code twikit.scope}, space-separated; empty requests none. */
  public String scope() {
    return authValues.scope();
  }

  /** {@code twikit.auth.method}. */
  public ClientAuthMethod authMethod() {
    return authValues.authMethod();
  }

  /** The API key (scheme api_key); null when not set. */
  public Secret apiKey() {
    return authValues.apiKey();
  }

  /** The headers (scheme static_headers); null when not set. */
  public AuthSettings.StaticHeaders staticHeaders() {
    return authValues.staticHeaders();
  }

  /** The refresh-token store (scheme refresh_token); null when not set. */
  public Path refreshTokenFile() {
    return authValues.refreshTokenFile();
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
        + authScheme().settingValue()
        + ", tokenUrl="
        + tokenUrl()
        + ", issuerUrl="
        + issuerUrl()
        + ", clientId="
        + clientId()
        + ", clientSecret="
        + (clientSecret() == null ? "none" : "****")
        + ", scope="
        + scope()
        + ", authMethod="
        + authMethod()
        + ", maxInFlight="
        + maxInFlight
        + ", concurrency="
        + concurrency.settingValue()
        + ", minInFlight="
        + minInFlight
        + ", maxRequestsPerSecond="
        + maxRequestsPerSecond
        + ", httpProtocol="
        + httpProtocol
        + ", maxResponseBytes="
        + maxResponseBytes
        + ", apiKey="
        + (apiKey() == null ? "none" : "****")
        + ", staticHeaders="
        + staticHeaders()
        + ", refreshTokenFile="
        + refreshTokenFile()
        + ", allowInsecureHttp="
        + allowInsecureHttp
        + ", tls="
        + tls
        + "]";
  }
}
