package dev.twikitorders.registry;

import dev.twikitorders.auth.tls.TlsSettings;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * Configuration keys understood by {@link SchemaRegistryClients} and the Avro serdes. The names
 * mirror Confluent's so that existing producer, consumer and Streams properties can be reused as
 * they are.
 */
public final class RegistryConfig {
  /** Comma-separated base URLs, or {@code mock://<scope>}. Required. */
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";

  /** Register the record's schema on serialization. Default {@code true}. */
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";

  /**
   * Serialize with the subject's latest registered schema instead of the record's. Default {@code
   * false}.
   */
  public static final String USE_LATEST_VERSION = "use.latest.version";

  /**
   * {@code URL} (user info of the URL, the default) or {@code USER_INFO} ({@link
   * #BASIC_AUTH_USER_INFO}).
   */
  public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";

  /** {@code user:password} for {@code basic.auth.credentials.source=USER_INFO}. */
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";

  /** Only {@code STATIC_TOKEN} is supported. */
  public static final String BEARER_AUTH_CREDENTIALS_SOURCE = "bearer.auth.credentials.source";

  /** The static bearer token. */
  public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";

  /**
   * The TLS material of the registry connections: a {@link TlsSettings} object (not text: the
   * caller reads the files' locations and passwords from its own settings). Absent or null: the
   * JVM's default CAs and no client certificate. Not a Confluent key: Confluent's {@code
   * schema.registry.ssl.*} keys are refused rather than ignored, see {@link #tls(Map)}.
   */
  public static final String TLS = "schema.registry.tls";

  /**
   * Allow {@code http://} URLs whose host is not loopback ({@code localhost}, {@code 127.0.0.0/8},
   * {@code ::1}): credentials and schemas then cross the network unencrypted. Default {@code
   * false}. Not a Confluent key.
   */
  public static final String ALLOW_INSECURE_HTTP = "schema.registry.allow.insecure.http";

  /** Prefix of Confluent's TLS keys, which this client does not read (see {@link #TLS}). */
  public static final String CONFLUENT_SSL_PREFIX = "schema.registry.ssl.";

  /** Connect timeout in ms. Default 10000. */
  public static final String HTTP_CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";

  /** Per-request timeout in ms. Default 30000. */
  public static final String HTTP_READ_TIMEOUT_MS = "http.read.timeout.ms";

  /**
   * Largest registry response body accepted, in bytes. Default {@value #DEFAULT_MAX_RESPONSE_BYTES}
   * (4 MiB); at least 1. A larger body fails the call with a non-retriable {@link
   * SchemaRegistryException}. Not a Confluent key.
   */
  public static final String MAX_RESPONSE_BYTES = "schema.registry.max.response.bytes";

  /** Default of {@link #MAX_RESPONSE_BYTES}: 4 MiB. */
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

  /** Extra rounds over all URLs after I/O errors, 5xx or 429. Default 3. */
  public static final String MAX_RETRIES = "max.retries";

  /** First backoff between retry rounds in ms, doubling. Default 100. */
  public static final String RETRIES_WAIT_MS = "retries.wait.ms";

  /** Backoff cap in ms. Default 2000. */
  public static final String RETRIES_MAX_WAIT_MS = "retries.max.wait.ms";

  /**
   * Whether to send {@code "schemaType":"AVRO"} on register and lookup. Default {@code true}. Not a
   * Confluent key.
   */
  public static final String SEND_SCHEMA_TYPE = "schema.registry.send.schema.type";

  /** Only TopicNameStrategy is supported; any other value is refused. */
  public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";

  /** Only TopicNameStrategy is supported; any other value is refused. */
  public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";

  /** Class name of the SpecificRecord for value deserializers created by class name. */
  public static final String SPECIFIC_AVRO_VALUE_TYPE = "specific.avro.value.type";

  /** Class name of the SpecificRecord for key deserializers created by class name. */
  public static final String SPECIFIC_AVRO_KEY_TYPE = "specific.avro.key.type";

  private RegistryConfig() {}

  /** The value of {@code key} as a trimmed string, or {@code null} when absent or blank. */
  public static String string(Map<String, ?> config, String key) {
    Object value = config.get(key);
    if (value == null) {
      return null;
    }
    String s = value instanceof Class<?> c ? c.getName() : value.toString().strip();
    return s.isEmpty() ? null : s;
  }

  public static boolean bool(Map<String, ?> config, String key, boolean defaultValue) {
    String s = string(config, key);
    if (s == null) {
      return defaultValue;
    }
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException(key, s, "expected true or false");
    };
  }

  public static long number(Map<String, ?> config, String key, long defaultValue) {
    String s = string(config, key);
    if (s == null) {
      return defaultValue;
    }
    try {
      long value = Long.parseLong(s);
      if (value < 0) {
        throw new ConfigException(key, s, "must not be negative");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ConfigException(key, s, "expected a whole number");
    }
  }

  /**
   * The {@link TlsSettings} under {@link #TLS}, or {@code null} when absent.
   *
   * @throws ConfigException when the value is not a {@link TlsSettings}, or when a Confluent {@code
   *     schema.registry.ssl.*} key is present: it would otherwise be ignored silently
   */
  public static TlsSettings tls(Map<String, ?> config) {
    for (String key : config.keySet()) {
      if (key != null && key.startsWith(CONFLUENT_SSL_PREFIX) && config.get(key) != null) {
        throw new ConfigException(
            key
                + " is not read by this schema registry client: pass a "
                + TlsSettings.class.getName()
                + " under "
                + TLS);
      }
    }
    Object value = config.get(TLS);
    if (value == null || value instanceof TlsSettings) {
      return (TlsSettings) value;
    }
    throw new ConfigException(
        TLS
            + " must be a "
            + TlsSettings.class.getName()
            + ", was a "
            + value.getClass().getName());
  }

  /**
   * Refuses subject name strategies other than TopicNameStrategy, so a config never silently
   * changes subjects.
   */
  public static void requireTopicNameStrategy(Map<String, ?> config, boolean isKey) {
    String key = isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY;
    String strategy = string(config, key);
    if (strategy != null && !strategy.endsWith("TopicNameStrategy")) {
      throw new ConfigException(
          key, strategy, "only TopicNameStrategy (<topic>-key / <topic>-value) is supported");
    }
  }
}
