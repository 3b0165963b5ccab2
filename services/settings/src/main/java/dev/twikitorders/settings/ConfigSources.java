package dev.twikitorders.settings;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Merges the configuration sources in precedence order: defaults, then a properties file ({@code
 * --config}), then environment variables, then command-line flags. Later sources win. Each value
 * remembers where it came from, so errors can say so.
 *
 * <p>Keys are the property keys of the application's {@link SettingsCatalog}; when the catalog has
 * a {@linkplain SettingsCatalog.PassThrough pass-through} prefix (the order enricher's {@code
 * kafka.}), unlisted keys with that prefix are accepted too. In the environment, a known setting's
 * variable is its key upper-cased with dots as underscores ({@code TWIKIT_CLIENT_ID}); any other
 * variable with the pass-through's environment prefix passes through ({@code
 * KAFKA_SECURITY_PROTOCOL} → {@code kafka.security.protocol}).
 *
 * <p>Not thread-safe; build, then read.
 */
public final class ConfigSources {
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

  private final SettingsCatalog catalog;
  private final Map<String, Value> values = new LinkedHashMap<>();

  /** Sources of {@code catalog}'s settings, holding their defaults. */
  public ConfigSources(SettingsCatalog catalog) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    for (Setting s : catalog.settings()) {
      if (s.defaultValue() != null) {
        values.put(s.key(), new Value(s.defaultValue(), "default"));
      }
    }
  }

  /** The catalog these sources check keys against. */
  public SettingsCatalog catalog() {
    return catalog;
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
    SettingsCatalog.PassThrough pass = catalog.passThrough();
    for (var e : env.entrySet()) {
      Setting s = catalog.byEnv(e.getKey());
      if (s != null) {
        values.put(s.key(), new Value(e.getValue().trim(), "environment " + e.getKey()));
      } else if (pass != null
          && e.getKey().startsWith(pass.envPrefix())
          && !pass.ignoredEnv().contains(e.getKey())) {
        String passKey =
            e.getKey()
                .substring(pass.envPrefix().length())
                .toLowerCase(Locale.ROOT)
                .replace('_', '.');
        values.put(
            pass.prefix() + passKey, new Value(e.getValue().trim(), "environment " + e.getKey()));
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
    Setting s = catalog.byKey().get(key);
    if (s != null && s.defaultValue() != null) {
      values.put(key, new Value(s.defaultValue(), "default"));
    } else {
      values.remove(key);
    }
    return this;
  }

  private void refuseSecret(String key, String flagName) {
    Setting s = catalog.byKey().get(key);
    String instead = null;
    if (s != null && s.secret()) {
      instead = catalog.refusalAdvice(key);
      if (instead == null) {
        instead = "set the environment variable " + s.env() + " or the key in the --config file";
      }
    } else if (s == null
        && catalog.isPassThrough(key)
        && catalog.passThrough().secretKey().test(key)) {
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

  private void put(String key, String value, String origin) {
    if (!catalog.byKey().containsKey(key) && !catalog.isPassThrough(key)) {
      SettingsCatalog.PassThrough pass = catalog.passThrough();
      throw new ConfigException(
          "unknown setting '"
              + key
              + "' ("
              + origin
              + "); known settings are listed by --help and in the README"
              + (pass == null
                  ? ""
                  : ", " + pass.what() + " take the prefix '" + pass.prefix() + "'"));
    }
    values.put(key, new Value(value, origin));
  }

  /** Every value set so far, by key; unmodifiable view. */
  public Map<String, Value> values() {
    return Collections.unmodifiableMap(values);
  }

  /** The merged values, to read as types. */
  public SettingValues settingValues() {
    return new SettingValues(values(), catalog);
  }
}
