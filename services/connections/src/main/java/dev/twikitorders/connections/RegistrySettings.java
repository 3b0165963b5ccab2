package dev.twikitorders.connections;

import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.tls.TlsSettings;
import dev.twikitorders.registry.RegistryConfig;
import dev.twikitorders.settings.ConfigException;
import dev.twikitorders.settings.Setting;
import dev.twikitorders.settings.SettingValues;
import dev.twikitorders.settings.TlsSettingGroup;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Confluent-compatible schema registry: {@code schema.registry.url}, its credentials, response
 * limit, plain-HTTP permission and TLS ({@code schema.registry.ssl.*}). Each application lists
 * {@link #SETTINGS} in its catalog, reads them with {@link #read} and checks with {@link
 * #require()} when it needs the registry.
 *
 * <p>Immutable and thread-safe; {@link #toString()} never shows the credentials.
 *
 * @param url null when not set; {@code mock://<scope>} for an in-memory registry
 * @param basicAuth {@code user:password} for HTTP Basic, or null
 * @param maxResponseBytes the largest registry response body accepted
 * @param allowInsecureHttp whether http:// URLs of non-loopback hosts are accepted
 * @param tls trust and key material for HTTPS
 */
public record RegistrySettings(
    String url,
    Secret basicAuth,
    int maxResponseBytes,
    boolean allowInsecureHttp,
    TlsSettings tls) {
  public static final Setting URL =
      new Setting(
          "schema.registry.url",
          null,
          false,
          "Confluent-compatible schema registry URL(s), comma separated; `mock://<scope>` for an"
              + " in-memory one.");
  public static final Setting BASIC_AUTH =
      new Setting(
          "schema.registry.basic.auth.user.info",
          null,
          true,
          "`user:password` for the schema registry (HTTP Basic).");

  public static final Setting MAX_RESPONSE_BYTES =
      new Setting(
          "schema.registry.max.response.bytes",
          "4194304",
          false,
          "Largest schema registry response body accepted, in bytes; a larger one fails the call"
              + " (an outage, not bad data).");

  public static final Setting ALLOW_INSECURE_HTTP =
      new Setting(
          "schema.registry.allow.insecure.http",
          "false",
          false,
          "Accept http:// registry URLs for hosts other than loopback. Credentials and schemas then"
              + " cross the network unencrypted: for closed networks only.");

  /** The schema registry: {@code schema.registry.ssl.*}. */
  public static final TlsSettingGroup TLS =
      TlsSettingGroup.of("schema.registry", "the schema registry");

  /** The registry's settings, in the order of the settings table. */
  public static final List<Setting> SETTINGS =
      java.util.stream.Stream.concat(
              java.util.stream.Stream.of(URL, BASIC_AUTH, MAX_RESPONSE_BYTES, ALLOW_INSECURE_HTTP),
              TLS.settings().stream())
          .toList();

  /**
   * The typed settings; an unset URL is allowed here ({@link #require()} refuses it).
   *
   * @throws ConfigException naming the setting at fault, never the credentials
   */
  public static RegistrySettings read(SettingValues v) {
    boolean allowInsecure = v.bool(ALLOW_INSECURE_HTTP);
    String url = v.string(URL);
    if (url != null && !allowInsecure) {
      for (String one : url.split(",")) {
        checkHttp(v, one.strip());
      }
    }
    return new RegistrySettings(
        url,
        v.secret(BASIC_AUTH),
        v.integer(MAX_RESPONSE_BYTES, 1, Integer.MAX_VALUE - 8),
        allowInsecure,
        TLS.read(v));
  }

  /**
   * This, when the registry's URL is set.
   *
   * @throws ConfigException naming {@code schema.registry.url} and its variable when unset
   */
  public RegistrySettings require() {
    Setting.require(url, URL);
    return this;
  }

  private static void checkHttp(SettingValues v, String one) {
    URI uri;
    try {
      uri = URI.create(one);
    } catch (IllegalArgumentException e) {
      return; // not a URL: the registry client names the problem
    }
    v.requireSecureHttp(URL, uri, ALLOW_INSECURE_HTTP, false);
  }

  /**
   * The registry client's and the serdes' configuration ({@link RegistryConfig} keys): URL(s),
   * response limit, insecure-HTTP permission, TLS and HTTP Basic credentials (revealed here, for
   * the client only).
   */
  public Map<String, Object> clientConfig() {
    Map<String, Object> m = new HashMap<>();
    m.put(RegistryConfig.SCHEMA_REGISTRY_URL, url);
    m.put(RegistryConfig.MAX_RESPONSE_BYTES, maxResponseBytes);
    m.put(RegistryConfig.ALLOW_INSECURE_HTTP, allowInsecureHttp);
    m.put(RegistryConfig.TLS, tls);
    if (basicAuth != null) {
      m.put(RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
      m.put(RegistryConfig.BASIC_AUTH_USER_INFO, basicAuth.revealAsString());
    }
    return m;
  }

  @Override
  public String toString() {
    return "RegistrySettings[url="
        + url
        + ", basicAuth="
        + (basicAuth == null ? "none" : "****")
        + ", maxResponseBytes="
        + maxResponseBytes
        + ", allowInsecureHttp="
        + allowInsecureHttp
        + ", tls="
        + tls
        + "]";
  }
}
