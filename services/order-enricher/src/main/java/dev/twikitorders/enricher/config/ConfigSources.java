package dev.twikitorders.enricher.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Merges the configuration sources in precedence order: defaults, then a properties file ({@code
 * --config}), then environment variables, then command-line flags. Later sources win. Each value
 * remembers where it came from, so errors can say so.
 *
 * <p>Keys are the property keys of {@link Settings}; keys starting with {@code kafka.} (other than
 * {@code kafka.bootstrap.servers}) pass through to the Kafka clients and Kafka Streams without the
 * prefix. In the environment, a known setting's variable is its key upper-cased with dots as
 * underscores ({@code TWIKIT_CLIENT_ID}); any other {@code KAFKA_*} variable passes through ({@code
 * KAFKA_SECURITY_PROTOCOL} → {@code security.protocol}).
 *
 * <p>Not thread-safe; build, then read.
 */
public final class ConfigSources {
  /** Environment variables that belong to Kafka's scripts, not to client configuration. */
  private static final Set<String> IGNORED_KAFKA_ENV =
      Set.of(
          "KAFKA_HOME",
          "KAFKA_OPTS",
          "KAFKA_HEAP_OPTS",
          "KAFKA_JVM_PERFORMANCE_OPTS",
          "KAFKA_LOG4J_OPTS",
          "KAFKA_JMX_OPTS",
          "KAFKA_DEBUG",
          "KAFKA_GC_LOG_OPTS",
          "KAFKA_LOG_DIR",
          "KAFKA_LOG_LEVEL");

  /**
   * A value and the source it came from. {@link #toString()} leaves the value out: it may be
   * secret.
   */
  public record Value(String value, String origin) {
    @Override
    public String toString() {
      return "Value[from " + origin + "]";
    }
  }

  private final Map<String, Value> values = new LinkedHashMap<>();

  public ConfigSources() {
    for (Setting s : Settings.ALL) {
      if (s.defaultValue() != null) {
        values.put(s.key(), new Value(s.defaultValue(), "default"));
      }
    }
  }

  /** Adds a properties file; unknown keys are an error (typos must not pass silently). */
  public ConfigSources file(Path path) {
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      props.load(reader);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + path + ": " + e.getMessage());
    }
    for (String key : props.stringPropertyNames()) {
      put(key, props.getProperty(key).trim(), "file " + path);
    }
    return this;
  }

  /** Adds the environment. */
  public ConfigSources environment(Map<String, String> env) {
    Map<String, Setting> byEnv = new LinkedHashMap<>();
    Settings.ALL.forEach(s -> byEnv.put(s.env(), s));
    for (var e : env.entrySet()) {
      Setting s = byEnv.get(e.getKey());
      if (s != null) {
        values.put(s.key(), new Value(e.getValue().trim(), "environment " + e.getKey()));
      } else if (e.getKey().startsWith(Settings.KAFKA_ENV_PREFIX)
          && !IGNORED_KAFKA_ENV.contains(e.getKey())) {
        String kafkaKey =
            e.getKey()
                .substring(Settings.KAFKA_ENV_PREFIX.length())
                .toLowerCase(Locale.ROOT)
                .replace('_', '.');
        values.put(
            Settings.KAFKA_PREFIX + kafkaKey,
            new Value(e.getValue().trim(), "environment " + e.getKey()));
      }
    }
    return this;
  }

  /**
   * Adds one command-line value ({@code --set key=value} or a dedicated flag). Secrets are refused:
   * a command line is visible to every user of the machine ({@code ps}, shell history).
   *
   * @throws ConfigException for a secret, naming the environment variable or file to use instead
   */
  public ConfigSources flag(String key, String value, String flagName) {
    refuseSecret(key, flagName);
    put(key, value == null ? null : value.trim(), "flag " + flagName);
    return this;
  }

  /**
   * Sets a value that a program computed (for example the address of an embedded broker), with
   * {@code origin} as where it came from; wins over every earlier source.
   */
  public ConfigSources set(String key, String value, String origin) {
    put(key, value, origin);
    return this;
  }

  /** Forgets whatever any source said about {@code key}: its default applies again. */
  public ConfigSources clear(String key) {
    Setting s = Settings.byKey().get(key);
    if (s != null && s.defaultValue() != null) {
      values.put(key, new Value(s.defaultValue(), "default"));
    } else {
      values.remove(key);
    }
    return this;
  }

  private static void refuseSecret(String key, String flagName) {
    Setting s = Settings.byKey().get(key);
    String instead = null;
    if (s == TwikitSettings.CLIENT_SECRET) {
      instead =
          "put it in a file and set "
              + TwikitSettings.CLIENT_SECRET_FILE.env()
              + " (or --twikit-client-secret-file), or set the environment variable "
              + s.env();
    } else if (s != null && s.secret()) {
      instead = "set the environment variable " + s.env() + " or the key in the --config file";
    } else if (s == null && key.startsWith(Settings.KAFKA_PREFIX) && isKafkaSecret(key)) {
      instead =
          "set the environment variable " + Setting.envOf(key) + " or the key in the --config file";
    }
    if (instead != null) {
      throw new ConfigException(
          "setting "
              + key
              + " (flag "
              + flagName
              + ") is a secret and is refused on the command line, which other users of the"
              + " machine can read: "
              + instead);
    }
  }

  /** Kafka client settings that hold credentials: JAAS configurations and passwords. */
  static boolean isKafkaSecret(String key) {
    return key.endsWith("sasl.jaas.config")
        || key.contains("password")
        || key.endsWith("sasl.oauthbearer.client.credentials.client.secret");
  }

  private void put(String key, String value, String origin) {
    if (!Settings.byKey().containsKey(key) && !key.startsWith(Settings.KAFKA_PREFIX)) {
      throw new ConfigException(
          "unknown setting '"
              + key
              + "' ("
              + origin
              + "); known settings are listed by --help and in the README,"
              + " Kafka client settings take the prefix '"
              + Settings.KAFKA_PREFIX
              + "'");
    }
    values.put(key, new Value(value, origin));
  }

  public Map<String, Value> values() {
    return java.util.Collections.unmodifiableMap(values);
  }
}
