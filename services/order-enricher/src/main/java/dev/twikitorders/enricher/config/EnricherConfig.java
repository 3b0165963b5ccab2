package dev.twikitorders.enricher.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The order enricher's typed, validated configuration, built from {@link ConfigSources} (defaults <
 * properties file < environment < CLI flags). Values that depend on the deployment (Kafka,
 * registry, Twikit) may be null here: {@link #requireExternal()} checks them when the embedded
 * stack is not used.
 *
 * <p>Immutable; {@link #toString()} never shows the client secret or registry credentials.
 */
public record EnricherConfig(
    String bootstrapServers,
    String schemaRegistryUrl,
    Secret schemaRegistryBasicAuth,
    URI twikitApiUrl,
    URI twikitTokenUrl,
    String twikitClientId,
    Secret twikitClientSecret,
    String twikitScope,
    String twikitAuthMethod,
    int twikitMaxInFlight,
    Duration twikitConnectTimeout,
    Duration twikitResponseTimeout,
    String twikitHttpVersion,
    Duration twikitRetryDeadline,
    Map<String, String> twikitPaths,
    String orderEventsTopic,
    String erpTopic,
    String fulfillmentTopic,
    String deadLetterTopic,
    String applicationId,
    String mode,
    int maxPendingEvents,
    Duration maxBlock,
    int numStreamThreads,
    String stateDir,
    boolean createTopics,
    int topicPartitions,
    short topicReplication,
    int metricsPort,
    Map<String, String> kafkaOverrides) {

  public EnricherConfig {
    kafkaOverrides = Map.copyOf(kafkaOverrides);
    twikitPaths = Map.copyOf(twikitPaths);
  }

  /** The path of a Twikit operation ({@code Settings.TWIKIT_PATH_*}). */
  public String twikitPath(Setting setting) {
    String path = twikitPaths.get(setting.key());
    return path != null ? path : setting.defaultValue();
  }

  /** Validates and types the merged sources; every error names the setting and its origin. */
  public static EnricherConfig from(ConfigSources sources) {
    var v = sources.values();
    Map<String, String> kafka = new LinkedHashMap<>();
    v.forEach(
        (key, value) -> {
          if (key.startsWith(Settings.KAFKA_PREFIX)
              && !key.equals(Settings.BOOTSTRAP_SERVERS.key())
              && value.value() != null
              && !value.value().isEmpty()) {
            kafka.put(key.substring(Settings.KAFKA_PREFIX.length()), value.value());
          }
        });
    var r = new Reader(v);
    Secret secret = r.secret(Settings.TWIKIT_CLIENT_SECRET);
    String secretFile = r.string(Settings.TWIKIT_CLIENT_SECRET_FILE);
    if (secretFile != null) {
      secret = readSecretFile(secretFile, v.get(Settings.TWIKIT_CLIENT_SECRET_FILE.key()).origin());
    }
    String mode = r.string(Settings.ENRICHMENT_MODE).toLowerCase(Locale.ROOT);
    if (!mode.equals("async") && !mode.equals("sync")) {
      throw r.bad(Settings.ENRICHMENT_MODE, "must be async or sync");
    }
    String authMethod = r.string(Settings.TWIKIT_AUTH_METHOD).toLowerCase(Locale.ROOT);
    if (!authMethod.equals("client_secret_basic") && !authMethod.equals("client_secret_post")) {
      throw r.bad(Settings.TWIKIT_AUTH_METHOD, "must be client_secret_basic or client_secret_post");
    }
    String httpVersion = r.string(Settings.TWIKIT_HTTP_VERSION).toUpperCase(Locale.ROOT);
    if (!httpVersion.equals("HTTP_1_1") && !httpVersion.equals("HTTP_2")) {
      throw r.bad(Settings.TWIKIT_HTTP_VERSION, "must be HTTP_1_1 or HTTP_2");
    }
    int replication = r.integer(Settings.TOPIC_REPLICATION, -1, Short.MAX_VALUE);
    if (replication == 0) {
      throw r.bad(Settings.TOPIC_REPLICATION, "must be -1 (broker default) or >= 1");
    }
    return new EnricherConfig(
        r.string(Settings.BOOTSTRAP_SERVERS),
        r.string(Settings.SCHEMA_REGISTRY_URL),
        r.secret(Settings.SCHEMA_REGISTRY_BASIC_AUTH),
        r.url(Settings.TWIKIT_API_URL),
        r.url(Settings.TWIKIT_TOKEN_URL),
        r.string(Settings.TWIKIT_CLIENT_ID),
        secret,
        r.stringOrEmpty(Settings.TWIKIT_SCOPE),
        authMethod,
        r.integer(Settings.TWIKIT_MAX_IN_FLIGHT, 1, 100_000),
        r.millis(Settings.TWIKIT_CONNECT_TIMEOUT, 1),
        r.millis(Settings.TWIKIT_RESPONSE_TIMEOUT, 1),
        httpVersion,
        r.millis(Settings.TWIKIT_RETRY_DEADLINE, 0),
        r.paths(),
        r.topic(Settings.TOPIC_ORDER_EVENTS),
        r.topic(Settings.TOPIC_ERP),
        r.topic(Settings.TOPIC_FULFILLMENT),
        r.topic(Settings.TOPIC_DEAD_LETTERS),
        r.required(Settings.APPLICATION_ID),
        mode,
        r.integer(Settings.MAX_PENDING_EVENTS, 1, 1_000_000),
        r.millis(Settings.MAX_BLOCK, 0),
        r.integer(Settings.NUM_STREAM_THREADS, 1, 1_000),
        r.string(Settings.STATE_DIR),
        r.bool(Settings.CREATE_TOPICS),
        r.integer(Settings.TOPIC_PARTITIONS, 1, 100_000),
        (short) replication,
        r.integer(Settings.METRICS_PORT, 0, 65_535),
        kafka);
  }

  /** Whether Kafka must be started in-process (no bootstrap servers configured). */
  public boolean embeddedKafka() {
    return bootstrapServers == null;
  }

  /**
   * Checks the settings needed to run against external infrastructure.
   *
   * @throws ConfigException naming the first missing setting and its environment variable
   */
  public EnricherConfig requireExternal() {
    require(bootstrapServers, Settings.BOOTSTRAP_SERVERS);
    require(schemaRegistryUrl, Settings.SCHEMA_REGISTRY_URL);
    require(twikitApiUrl, Settings.TWIKIT_API_URL);
    require(twikitTokenUrl, Settings.TWIKIT_TOKEN_URL);
    require(twikitClientId, Settings.TWIKIT_CLIENT_ID);
    if (twikitClientSecret == null) {
      throw new ConfigException(
          "missing setting "
              + Settings.TWIKIT_CLIENT_SECRET.key()
              + ": set "
              + Settings.TWIKIT_CLIENT_SECRET.env()
              + " or "
              + Settings.TWIKIT_CLIENT_SECRET_FILE.env());
    }
    return this;
  }

  private static void require(Object value, Setting setting) {
    if (value == null) {
      throw new ConfigException(
          "missing setting "
              + setting.key()
              + ": set the environment variable "
              + setting.env()
              + ", the key in the --config file, or --set "
              + setting.key()
              + "=...");
    }
  }

  /** A copy with the infrastructure addresses of an embedded stack filled in where not set. */
  public EnricherConfig withInfrastructure(
      String bootstrap,
      String registryUrl,
      URI apiUrl,
      URI tokenUrl,
      String clientId,
      Secret clientSecret) {
    return new EnricherConfig(
        bootstrapServers != null ? bootstrapServers : bootstrap,
        schemaRegistryUrl != null ? schemaRegistryUrl : registryUrl,
        schemaRegistryBasicAuth,
        twikitApiUrl != null ? twikitApiUrl : apiUrl,
        twikitTokenUrl != null ? twikitTokenUrl : tokenUrl,
        twikitClientId != null ? twikitClientId : clientId,
        twikitClientSecret != null ? twikitClientSecret : clientSecret,
        twikitScope,
        twikitAuthMethod,
        twikitMaxInFlight,
        twikitConnectTimeout,
        twikitResponseTimeout,
        twikitHttpVersion,
        twikitRetryDeadline,
        twikitPaths,
        orderEventsTopic,
        erpTopic,
        fulfillmentTopic,
        deadLetterTopic,
        applicationId,
        mode,
        maxPendingEvents,
        maxBlock,
        numStreamThreads,
        stateDir,
        createTopics,
        topicPartitions,
        topicReplication,
        metricsPort,
        kafkaOverrides);
  }

  /** A copy with another Kafka Streams state directory. */
  public EnricherConfig withStateDir(String dir) {
    return new EnricherConfig(
        bootstrapServers,
        schemaRegistryUrl,
        schemaRegistryBasicAuth,
        twikitApiUrl,
        twikitTokenUrl,
        twikitClientId,
        twikitClientSecret,
        twikitScope,
        twikitAuthMethod,
        twikitMaxInFlight,
        twikitConnectTimeout,
        twikitResponseTimeout,
        twikitHttpVersion,
        twikitRetryDeadline,
        twikitPaths,
        orderEventsTopic,
        erpTopic,
        fulfillmentTopic,
        deadLetterTopic,
        applicationId,
        mode,
        maxPendingEvents,
        maxBlock,
        numStreamThreads,
        dir,
        createTopics,
        topicPartitions,
        topicReplication,
        metricsPort,
        kafkaOverrides);
  }

  /**
   * A copy without Kafka, registry and Twikit addresses and credentials (for the embedded demo).
   */
  public EnricherConfig withoutInfrastructure() {
    return new EnricherConfig(
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        twikitScope,
        twikitAuthMethod,
        twikitMaxInFlight,
        twikitConnectTimeout,
        twikitResponseTimeout,
        twikitHttpVersion,
        twikitRetryDeadline,
        twikitPaths,
        orderEventsTopic,
        erpTopic,
        fulfillmentTopic,
        deadLetterTopic,
        applicationId,
        mode,
        maxPendingEvents,
        maxBlock,
        numStreamThreads,
        stateDir,
        createTopics,
        topicPartitions,
        topicReplication,
        metricsPort,
        kafkaOverrides);
  }

  private static Secret readSecretFile(String file, String origin) {
    try {
      String s = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
      if (s.isEmpty()) {
        throw new ConfigException(
            "setting "
                + Settings.TWIKIT_CLIENT_SECRET_FILE.key()
                + " ("
                + origin
                + "): file "
                + file
                + " is empty");
      }
      return new Secret(s);
    } catch (IOException e) {
      throw new ConfigException(
          "setting "
              + Settings.TWIKIT_CLIENT_SECRET_FILE.key()
              + " ("
              + origin
              + "): cannot read "
              + file
              + ": "
              + e.getClass().getSimpleName());
    }
  }

  @Override
  public String toString() {
    return "EnricherConfig[bootstrapServers="
        + bootstrapServers
        + ", schemaRegistryUrl="
        + schemaRegistryUrl
        + ", twikitApiUrl="
        + twikitApiUrl
        + ", twikitTokenUrl="
        + twikitTokenUrl
        + ", twikitClientId="
        + twikitClientId
        + ", twikitClientSecret="
        + (twikitClientSecret == null ? "null" : "****")
        + ", twikitScope="
        + twikitScope
        + ", mode="
        + mode
        + ", applicationId="
        + applicationId
        + ", topics=["
        + orderEventsTopic
        + ", "
        + erpTopic
        + ", "
        + fulfillmentTopic
        + ", "
        + deadLetterTopic
        + "]"
        + ", kafkaOverrides="
        + kafkaOverrides.keySet()
        + "]";
  }

  /** Typed reads with error messages that name the setting and its origin. */
  private static final class Reader {
    private final Map<String, ConfigSources.Value> values;

    Reader(Map<String, ConfigSources.Value> values) {
      this.values = values;
    }

    String string(Setting s) {
      var v = values.get(s.key());
      return v == null || v.value() == null || v.value().isEmpty() ? null : v.value();
    }

    String stringOrEmpty(Setting s) {
      var v = values.get(s.key());
      return v == null || v.value() == null ? "" : v.value();
    }

    String required(Setting s) {
      String value = string(s);
      if (value == null) {
        throw new ConfigException("setting " + s.key() + " (" + origin(s) + ") must not be empty");
      }
      return value;
    }

    Secret secret(Setting s) {
      String value = string(s);
      return value == null ? null : new Secret(value);
    }

    String topic(Setting s) {
      String value = required(s);
      if (!value.matches("[a-zA-Z0-9._-]{1,249}") || value.equals(".") || value.equals("..")) {
        throw bad(
            s, "is not a legal Kafka topic name (letters, digits, '.', '_', '-'; at most 249)");
      }
      return value;
    }

    URI url(Setting s) {
      String value = string(s);
      if (value == null) {
        return null;
      }
      try {
        URI uri = new URI(value);
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
            || uri.getHost() == null) {
          throw bad(s, "must be an http(s) URL with a host, was '" + value + "'");
        }
        return uri;
      } catch (URISyntaxException e) {
        throw bad(s, "is not a URL: '" + value + "'");
      }
    }

    int integer(Setting s, int min, int max) {
      String value = required(s);
      try {
        int n = Integer.parseInt(value);
        if (n < min || n > max) {
          throw bad(s, "must be between " + min + " and " + max + ", was " + n);
        }
        return n;
      } catch (NumberFormatException e) {
        throw bad(s, "must be an integer, was '" + value + "'");
      }
    }

    Duration millis(Setting s, long min) {
      String value = required(s);
      try {
        long n = Long.parseLong(value);
        if (n < min) {
          throw bad(s, "must be >= " + min + " ms, was " + n);
        }
        return Duration.ofMillis(n);
      } catch (NumberFormatException e) {
        throw bad(s, "must be a number of milliseconds, was '" + value + "'");
      }
    }

    boolean bool(Setting s) {
      String value = required(s).toLowerCase(Locale.ROOT);
      return switch (value) {
        case "true", "yes", "1" -> true;
        case "false", "no", "0" -> false;
        default -> throw bad(s, "must be true or false, was '" + value + "'");
      };
    }

    Map<String, String> paths() {
      Map<String, String> m = new LinkedHashMap<>();
      for (Setting s :
          List.of(
              Settings.TWIKIT_PATH_STATUS,
              Settings.TWIKIT_PATH_COMPATIBILITY,
              Settings.TWIKIT_PATH_SUMMARY,
              Settings.TWIKIT_PATH_FILTERED,
              Settings.TWIKIT_PATH_UPDATE_MANY)) {
        String value = required(s);
        if (!value.startsWith("/")) {
          throw bad(s, "must start with '/', was '" + value + "'");
        }
        boolean needsId = s != Settings.TWIKIT_PATH_STATUS && s != Settings.TWIKIT_PATH_UPDATE_MANY;
        if (needsId != value.contains("{id}")) {
          throw bad(s, needsId ? "must contain {id}" : "must not contain {id}");
        }
        m.put(s.key(), value);
      }
      return m;
    }

    ConfigException bad(Setting s, String problem) {
      return new ConfigException("setting " + s.key() + " (" + origin(s) + ") " + problem);
    }

    private String origin(Setting s) {
      var v = values.get(s.key());
      return v == null ? "not set; environment variable " + s.env() : v.origin();
    }
  }

  /** A secret value whose {@code toString()} is masked. Immutable. */
  public static final class Secret {
    private final String value;

    public Secret(String value) {
      this.value = Objects.requireNonNull(value, "value");
    }

    /** The secret itself: pass it on, never log it. */
    public String reveal() {
      return value;
    }

    @Override
    public String toString() {
      return "****";
    }
  }
}
