package dev.twikitorders.registry;

import dev.twikitorders.registry.mock.MockSchemaRegistryClient;
import dev.twikitorders.registry.rest.RestSchemaRegistryClient;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * Creates the {@link SchemaRegistryClient} a URL asks for: {@code mock://<scope>} gives the shared
 * in-memory {@link MockSchemaRegistryClient} of that scope, anything else a {@link
 * RestSchemaRegistryClient}.
 */
public final class SchemaRegistryClients {
  /** URL prefix selecting the in-memory registry. */
  public static final String MOCK_PREFIX = "mock://";

  private SchemaRegistryClients() {}

  /** A client for {@code url} with default settings. */
  public static SchemaRegistryClient create(String url) {
    return create(Map.of(RegistryConfig.SCHEMA_REGISTRY_URL, url));
  }

  /**
   * A client configured from Confluent-style properties (see {@link RegistryConfig}).
   *
   * @throws ConfigException when {@code schema.registry.url} is missing or a setting is invalid (an
   *     {@code http://} URL to a host other than loopback without {@code
   *     schema.registry.allow.insecure.http=true}; unusable TLS material, named with its file and
   *     problem); the message never holds credentials
   */
  public static SchemaRegistryClient create(Map<String, ?> config) {
    String url = RegistryConfig.string(config, RegistryConfig.SCHEMA_REGISTRY_URL);
    if (url == null) {
      throw new ConfigException(
          "Missing required configuration \"" + RegistryConfig.SCHEMA_REGISTRY_URL + "\"");
    }
    if (url.toLowerCase(Locale.ROOT).startsWith(MOCK_PREFIX)) {
      if (url.contains(",")) {
        throw new ConfigException("a mock:// schema registry URL cannot be combined with others");
      }
      String scope = url.substring(MOCK_PREFIX.length());
      while (scope.endsWith("/")) {
        scope = scope.substring(0, scope.length() - 1);
      }
      return MockSchemaRegistryClient.forScope(scope);
    }
    RestSchemaRegistryClient.Builder builder = RestSchemaRegistryClient.builder();
    try {
      builder.urls(url);
    } catch (IllegalArgumentException e) {
      // not ConfigException(name, value, ...): the value may hold a password
      throw new ConfigException(RegistryConfig.SCHEMA_REGISTRY_URL + ": " + e.getMessage());
    }
    String basicSource =
        RegistryConfig.string(config, RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE);
    if (basicSource != null) {
      switch (basicSource.toUpperCase(Locale.ROOT)) {
        case "URL" -> {} // the builder takes user info from the URL
        case "USER_INFO" -> {
          String userInfo = RegistryConfig.string(config, RegistryConfig.BASIC_AUTH_USER_INFO);
          if (userInfo == null || userInfo.indexOf(':') < 0) {
            throw new ConfigException(
                RegistryConfig.BASIC_AUTH_USER_INFO
                    + " must be user:password when "
                    + RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE
                    + "=USER_INFO");
          }
          builder.basicAuth(userInfo);
        }
        default ->
            throw new ConfigException(
                RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE,
                basicSource,
                "supported: URL, USER_INFO");
      }
    }
    String bearerSource =
        RegistryConfig.string(config, RegistryConfig.BEARER_AUTH_CREDENTIALS_SOURCE);
    if (bearerSource != null) {
      if (!bearerSource.equalsIgnoreCase("STATIC_TOKEN")) {
        throw new ConfigException(
            RegistryConfig.BEARER_AUTH_CREDENTIALS_SOURCE, bearerSource, "supported: STATIC_TOKEN");
      }
      String token = RegistryConfig.string(config, RegistryConfig.BEARER_AUTH_TOKEN);
      if (token == null) {
        throw new ConfigException(
            RegistryConfig.BEARER_AUTH_TOKEN + " is required with STATIC_TOKEN");
      }
      builder.bearerToken(token);
    }
    builder
        .connectTimeout(
            Duration.ofMillis(
                Math.max(
                    1,
                    RegistryConfig.number(config, RegistryConfig.HTTP_CONNECT_TIMEOUT_MS, 10_000))))
        .readTimeout(
            Duration.ofMillis(
                Math.max(
                    1, RegistryConfig.number(config, RegistryConfig.HTTP_READ_TIMEOUT_MS, 30_000))))
        .maxRetries(
            (int)
                Math.min(
                    Integer.MAX_VALUE,
                    RegistryConfig.number(config, RegistryConfig.MAX_RETRIES, 3)))
        .retryBackoff(
            Duration.ofMillis(RegistryConfig.number(config, RegistryConfig.RETRIES_WAIT_MS, 100)),
            Duration.ofMillis(
                RegistryConfig.number(config, RegistryConfig.RETRIES_MAX_WAIT_MS, 2_000)))
        .sendSchemaType(RegistryConfig.bool(config, RegistryConfig.SEND_SCHEMA_TYPE, true))
        .tls(RegistryConfig.tls(config))
        .allowInsecureHttp(RegistryConfig.bool(config, RegistryConfig.ALLOW_INSECURE_HTTP, false))
        .maxResponseBytes(maxResponseBytes(config));
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  private static int maxResponseBytes(Map<String, ?> config) {
    long value =
        RegistryConfig.number(
            config, RegistryConfig.MAX_RESPONSE_BYTES, RegistryConfig.DEFAULT_MAX_RESPONSE_BYTES);
    if (value < 1 || value > RestSchemaRegistryClient.MAX_RESPONSE_BYTES_LIMIT) {
      throw new ConfigException(
          RegistryConfig.MAX_RESPONSE_BYTES,
          value,
          "must be between 1 and " + RestSchemaRegistryClient.MAX_RESPONSE_BYTES_LIMIT);
    }
    return (int) value;
  }
}
