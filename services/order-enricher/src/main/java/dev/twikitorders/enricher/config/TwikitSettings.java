package dev.twikitorders.enricher.config;

import dev.twikitorders.auth.ClientAuthMethod;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.twikit.HttpProtocol;
import dev.twikitorders.twikit.TwikitPaths;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The Twikit REST API, its OAuth 2.0 token endpoint (client credentials, RFC 6749 section 4.4) and
 * how the client calls them. Holds the client's own types ({@link ClientAuthMethod}, {@link
 * HttpProtocol}, {@link TwikitPaths}, {@link Secret}), validated once here.
 *
 * @param apiUrl null when not set
 * @param tokenUrl null when not set
 * @param clientId null when not set
 * @param clientSecret from {@code twikit.client.secret.file} when set, else {@code
 *     twikit.client.secret}; null when neither is set
 * @param scope space-separated; empty requests none
 * @param retryDeadline zero: retry through an outage forever
 * @param maxResponseBytes largest Twikit response body accepted
 */
public record TwikitSettings(
    URI apiUrl,
    URI tokenUrl,
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
    TwikitPaths paths) {
  public static final Setting API_URL =
      new Setting("twikit.api.url", null, false, "Base URL of the Twikit REST API.");
  public static final Setting TOKEN_URL =
      new Setting(
          "twikit.token.url", null, false, "OAuth 2.0 token endpoint (client credentials).");
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

  static final List<Setting> SETTINGS =
      List.of(
          API_URL,
          TOKEN_URL,
          CLIENT_ID,
          CLIENT_SECRET,
          CLIENT_SECRET_FILE,
          SCOPE,
          AUTH_METHOD,
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
          PATH_UPDATE_MANY);

  static TwikitSettings read(SettingValues v) {
    Secret fromFile = v.secretFile(CLIENT_SECRET_FILE);
    TwikitPaths paths = TwikitPaths.defaults();
    paths = path(v, paths, PATH_STATUS, TwikitPaths::withStatus);
    paths = path(v, paths, PATH_COMPATIBILITY, TwikitPaths::withCompatibility);
    paths = path(v, paths, PATH_SUMMARY, TwikitPaths::withSummary);
    paths = path(v, paths, PATH_FILTERED, TwikitPaths::withFiltered);
    paths = path(v, paths, PATH_UPDATE_MANY, TwikitPaths::withUpdateMany);
    return new TwikitSettings(
        v.url(API_URL),
        v.url(TOKEN_URL),
        v.string(CLIENT_ID),
        fromFile != null ? fromFile : v.secret(CLIENT_SECRET),
        v.stringOrEmpty(SCOPE).strip(),
        v.enumValue(AUTH_METHOD, ClientAuthMethod.class),
        v.integer(MAX_IN_FLIGHT, 1, 100_000),
        v.millis(CONNECT_TIMEOUT, 1),
        v.millis(RESPONSE_TIMEOUT, 1),
        v.enumValue(HTTP_VERSION, HttpProtocol.class),
        v.millis(RETRY_DEADLINE, 0),
        v.integer(MAX_RESPONSE_BYTES, 1024, 1 << 30),
        paths);
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
        + ", tokenUrl="
        + tokenUrl
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
        + "]";
  }
}
