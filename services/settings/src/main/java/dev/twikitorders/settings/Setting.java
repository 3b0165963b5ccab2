package dev.twikitorders.settings;

import java.util.Locale;
import java.util.Objects;

/**
 * One documented setting: its property key (properties file and {@code --set key=value}), its
 * environment variable, its default (null = none) and what it does.
 *
 * <p>Immutable and thread-safe. {@link #secret()} settings are never shown by value: errors name
 * the key only, and {@link ConfigSources} refuses them on the command line.
 */
public record Setting(String key, String defaultValue, boolean secret, String description) {
  public Setting {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(description, "description");
  }

  /** {@code twikit.client.id} → {@code TWIKIT_CLIENT_ID}. */
  public String env() {
    return envOf(key);
  }

  /** The environment variable of {@code key}: upper case, dots and dashes as underscores. */
  public static String envOf(String key) {
    return key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /**
   * @throws ConfigException naming {@code setting} and every way to give it when {@code value} is
   *     null
   */
  public static void require(Object value, Setting setting) {
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
}
