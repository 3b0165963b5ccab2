package dev.twikitorders.settings;

import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.tls.InsecureHttp;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The merged values of {@link ConfigSources}, read as types. Every error is a {@link
 * ConfigException} that names the setting and where its value came from, e.g. {@code setting
 * twikit.max.in.flight (environment TWIKIT_MAX_IN_FLIGHT) must be an integer, was 'lots'}. Secret
 * values never appear in an error.
 *
 * <p>Made by {@link ConfigSources#settingValues()}. Not thread-safe; used while building an
 * application's configuration.
 */
public final class SettingValues {
  private final Map<String, ConfigSources.Value> values;
  private final SettingsCatalog catalog;

  SettingValues(Map<String, ConfigSources.Value> values, SettingsCatalog catalog) {
    this.values = values;
    this.catalog = catalog;
  }

  /** The value, or null when unset or empty. */
  public String string(Setting s) {
    var v = values.get(s.key());
    return v == null || v.value() == null || v.value().isEmpty() ? null : v.value();
  }

  /** The value; empty when unset. */
  public String stringOrEmpty(Setting s) {
    var v = values.get(s.key());
    return v == null || v.value() == null ? "" : v.value();
  }

  /** The value, which must be set. */
  public String required(Setting s) {
    String value = string(s);
    if (value == null) {
      throw new ConfigException("setting " + s.key() + " (" + origin(s) + ") must not be empty");
    }
    return value;
  }

  public Secret secret(Setting s) {
    String value = string(s);
    return value == null ? null : Secret.of(value);
  }

  /** The secret held by the file the setting names (trailing whitespace ignored), or null. */
  public Secret secretFile(Setting s) {
    String file = string(s);
    if (file == null) {
      return null;
    }
    try {
      String secret = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
      if (secret.isEmpty()) {
        throw bad(s, "names file " + file + ", which is empty");
      }
      return Secret.of(secret);
    } catch (IOException e) {
      throw bad(
          s, "names file " + file + ", which cannot be read: " + e.getClass().getSimpleName());
    }
  }

  /**
   * Refuses an {@code http://} {@code url} (the value of {@code s}) for a host that is not loopback
   * unless {@code allowed}: what crosses the network would be unencrypted. The error names {@code
   * s} and the setting {@code allow} that permits it.
   */
  public void requireSecureHttp(Setting s, URI url, Setting allow, boolean allowed) {
    if (url != null
        && !allowed
        && "http".equalsIgnoreCase(url.getScheme())
        && url.getHost() != null
        && !InsecureHttp.isLoopback(url.getHost())) {
      throw bad(
          s,
          "is http:// for host "
              + url.getHost()
              + ", which is not loopback: credentials and data would cross the network"
              + " unencrypted. Use https://, or set "
              + allow.key()
              + "=true ("
              + allow.env()
              + ") on a closed network");
    }
  }

  /** A file path, or null when unset; whether it exists is the reader's check. */
  public Path path(Setting s) {
    String value = string(s);
    if (value == null) {
      return null;
    }
    try {
      return Path.of(value);
    } catch (java.nio.file.InvalidPathException e) {
      throw bad(s, "is not a valid path: '" + value + "'");
    }
  }

  /** A legal Kafka topic name. */
  public String topic(Setting s) {
    String value = required(s);
    if (!value.matches("[a-zA-Z0-9._-]{1,249}") || value.equals(".") || value.equals("..")) {
      throw bad(s, "is not a legal Kafka topic name (letters, digits, '.', '_', '-'; at most 249)");
    }
    return value;
  }

  /** An http(s) URL with a host, or null when unset. */
  public URI url(Setting s) {
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

  public int integer(Setting s, int min, int max) {
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

  /** A decimal number between {@code min} and {@code max} (e.g. a rate per second). */
  public double decimal(Setting s, double min, double max) {
    String value = required(s);
    try {
      double n = Double.parseDouble(value);
      if (!(n >= min && n <= max)) {
        throw bad(s, "must be between " + min + " and " + max + ", was " + value);
      }
      return n;
    } catch (NumberFormatException e) {
      throw bad(s, "must be a number, was '" + value + "'");
    }
  }

  /** A number of milliseconds, at least {@code min}. */
  public Duration millis(Setting s, long min) {
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

  public boolean bool(Setting s) {
    String value = required(s).toLowerCase(Locale.ROOT);
    return switch (value) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw bad(s, "must be true or false, was '" + value + "'");
    };
  }

  /**
   * One of {@code type}'s constants, named case-insensitively as written in the settings table
   * ({@code client_secret_post} for {@code CLIENT_SECRET_POST}).
   */
  public <E extends Enum<E>> E enumValue(Setting s, Class<E> type) {
    String value = required(s);
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(value)) {
        return e;
      }
    }
    StringBuilder allowed = new StringBuilder();
    for (E e : type.getEnumConstants()) {
      allowed.append(allowed.isEmpty() ? "" : ", ").append(label(e));
    }
    throw bad(s, "must be one of " + allowed + ", was '" + value + "'");
  }

  /** How an enum constant is written in settings: lower case, as in the settings table. */
  public static String label(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  /**
   * The pass-through settings of the catalog ({@code kafka.*} for the order enricher), without the
   * prefix, leaving out empty values and the listed settings {@code handledHere}; empty when the
   * catalog has no pass-through.
   */
  public Map<String, String> passThrough(Setting... handledHere) {
    Map<String, String> passed = new LinkedHashMap<>();
    SettingsCatalog.PassThrough pass = catalog.passThrough();
    if (pass == null) {
      return passed;
    }
    values.forEach(
        (key, value) -> {
          boolean handled = false;
          for (Setting s : handledHere) {
            handled |= s.key().equals(key);
          }
          if (key.startsWith(pass.prefix())
              && !handled
              && value.value() != null
              && !value.value().isEmpty()) {
            passed.put(key.substring(pass.prefix().length()), value.value());
          }
        });
    return passed;
  }

  /** An error about the value of {@code s}; the message never holds a secret value. */
  public ConfigException bad(Setting s, String problem) {
    return new ConfigException("setting " + s.key() + " (" + origin(s) + ") " + problem);
  }

  private String origin(Setting s) {
    var v = values.get(s.key());
    return v == null ? "not set; environment variable " + s.env() : v.origin();
  }
}
