package dev.twikitorders.settings;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The settings one application knows: the documented {@link Setting}s, in the order of its settings
 * table, optionally a pass-through prefix (such as {@code kafka.} / {@code KAFKA_}) whose keys are
 * accepted without being listed, and, for secrets that have a better home than the environment, the
 * advice a refusal on the command line gives. {@link ConfigSources} and {@link SettingValues} read
 * their keys, defaults and secrets from here.
 *
 * <p>Invariants: keys and environment variables are unique. Immutable and thread-safe ({@code
 * with*} return new catalogs).
 */
public final class SettingsCatalog {
  /**
   * Settings handed on, without {@code prefix}, to a library the application configures (Kafka
   * clients): {@code <prefix><key>} in files and flags, {@code <envPrefix><KEY>} in the
   * environment.
   *
   * @param prefix the key prefix, e.g. {@code kafka.}
   * @param envPrefix the environment variable prefix, e.g. {@code KAFKA_}; its variables map to
   *     {@code prefix} + the rest lower-cased with underscores as dots
   * @param what who takes them, for error messages, e.g. {@code Kafka client settings}
   * @param ignoredEnv variables with {@code envPrefix} that are not settings (e.g. {@code
   *     KAFKA_HOME})
   * @param secretKey which full keys (with {@code prefix}) hold credentials: refused on the command
   *     line
   */
  public record PassThrough(
      String prefix,
      String envPrefix,
      String what,
      Set<String> ignoredEnv,
      Predicate<String> secretKey) {
    public PassThrough {
      Objects.requireNonNull(prefix, "prefix");
      Objects.requireNonNull(envPrefix, "envPrefix");
      Objects.requireNonNull(what, "what");
      ignoredEnv = Set.copyOf(ignoredEnv);
      Objects.requireNonNull(secretKey, "secretKey");
    }
  }

  private final List<Setting> settings;
  private final Map<String, Setting> byKey;
  private final Map<String, Setting> byEnv;
  private final PassThrough passThrough;
  private final Map<String, String> refusalAdvice;

  private SettingsCatalog(
      List<Setting> settings, PassThrough passThrough, Map<String, String> refusalAdvice) {
    this.settings = List.copyOf(settings);
    Map<String, Setting> keys = new LinkedHashMap<>();
    Map<String, Setting> envs = new LinkedHashMap<>();
    for (Setting s : this.settings) {
      if (keys.put(s.key(), s) != null) {
        throw new IllegalArgumentException("setting " + s.key() + " is declared twice");
      }
      if (envs.put(s.env(), s) != null) {
        throw new IllegalArgumentException("environment variable " + s.env() + " is used twice");
      }
    }
    this.byKey = Collections.unmodifiableMap(keys);
    this.byEnv = Collections.unmodifiableMap(envs);
    this.passThrough = passThrough;
    this.refusalAdvice = Map.copyOf(refusalAdvice);
  }

  /** A catalog of {@code settings} (in table order) without pass-through. */
  public static SettingsCatalog of(List<Setting> settings) {
    return new SettingsCatalog(settings, null, Map.of());
  }

  /** This catalog, also accepting the keys and variables of {@code passThrough}. */
  public SettingsCatalog withPassThrough(PassThrough passThrough) {
    return new SettingsCatalog(settings, Objects.requireNonNull(passThrough), refusalAdvice);
  }

  /**
   * This catalog, where refusing the secret {@code secret} on the command line tells the user to
   * {@code instead} (e.g. {@code put it in a file and set X_FILE}) rather than the default advice
   * (its environment variable or the {@code --config} file).
   */
  public SettingsCatalog withRefusalAdvice(Setting secret, String instead) {
    if (!byKey.containsKey(secret.key()) || !secret.secret()) {
      throw new IllegalArgumentException(secret.key() + " is not a secret of this catalog");
    }
    Map<String, String> advice = new LinkedHashMap<>(refusalAdvice);
    advice.put(secret.key(), Objects.requireNonNull(instead, "instead"));
    return new SettingsCatalog(settings, passThrough, advice);
  }

  /** Every setting, in table order. */
  public List<Setting> settings() {
    return settings;
  }

  /** Every setting by key, in table order; unmodifiable. */
  public Map<String, Setting> byKey() {
    return byKey;
  }

  /** The setting whose environment variable is {@code env}, or null. */
  public Setting byEnv(String env) {
    return byEnv.get(env);
  }

  /** The pass-through prefix, or null when only the listed settings are accepted. */
  public PassThrough passThrough() {
    return passThrough;
  }

  /** Whether {@code key} is a pass-through key (not a listed setting, with the prefix). */
  public boolean isPassThrough(String key) {
    return passThrough != null && !byKey.containsKey(key) && key.startsWith(passThrough.prefix());
  }

  /** The advice given by {@link #withRefusalAdvice} for {@code key}, or null. */
  String refusalAdvice(String key) {
    return refusalAdvice.get(key);
  }
}
