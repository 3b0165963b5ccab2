package dev.twikitorders.ops.logging;

import ch.qos.logback.core.PropertyDefinerBase;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Chooses the format of the shared logging configuration ({@code logback-base.xml} in this package,
 * which includes {@code logback-text.xml} or {@code logback-json.xml} accordingly) from the {@code
 * LOG_FORMAT} setting: {@code text} (the default, for people) or {@code json} (one JSON object per
 * line, for log collectors), case-insensitive, surrounding blanks ignored.
 *
 * <p>The setting is read from the system property {@code LOG_FORMAT} first (so that tests and
 * {@code java -DLOG_FORMAT=json} can set it), then from the environment variable {@code
 * LOG_FORMAT}. Any other value falls back to text, and one warning line naming the setting and the
 * accepted values is written to stderr (logging is not configured yet at that point, so the line
 * does not go through a logger). The value is never echoed beyond 40 characters.
 *
 * <p>Logback creates one instance per configuration run and calls it on the configuring thread; not
 * meant to be shared between threads.
 */
public final class LogFormatDefiner extends PropertyDefinerBase {

  /** The name of the setting, as a system property and as an environment variable. */
  public static final String SETTING = "LOG_FORMAT";

  /** Plain text: {@code logback-text.xml}. */
  public static final String TEXT = "text";

  /** One JSON object per line: {@code logback-json.xml}. */
  public static final String JSON = "json";

  @Override
  public String getPropertyValue() {
    String value = System.getProperty(SETTING);
    if (value == null) {
      value = System.getenv(SETTING);
    }
    return formatOf(value, line -> System.err.println(line));
  }

  /**
   * The format for a {@code LOG_FORMAT} value: {@link #JSON} for {@code json}, {@link #TEXT} for
   * null, blank or {@code text}; for anything else {@link #TEXT}, after passing one warning line to
   * {@code warning}.
   */
  public static String formatOf(String value, Consumer<String> warning) {
    String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    switch (v) {
      case "", "text" -> {
        return TEXT;
      }
      case "json" -> {
        return JSON;
      }
      default -> {
        String shown = v.length() > 40 ? v.substring(0, 40) + "..." : v;
        warning.accept(
            "WARN  " + SETTING + "='" + shown + "' is neither 'text' nor 'json'; logging as text");
        return TEXT;
      }
    }
  }
}
