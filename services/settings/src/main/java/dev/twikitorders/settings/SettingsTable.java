package dev.twikitorders.settings;

import java.util.ArrayList;
import java.util.List;

/**
 * The settings table of a README and of a {@code settings --markdown} command: one Markdown row per
 * setting with its property key, environment variable, default ({@code none} when it has none) and
 * meaning ({@code |} escaped).
 *
 * <p>Stateless and thread-safe.
 */
public final class SettingsTable {
  /** The header row of the table. */
  public static final String HEADER = "| Property key | Environment variable | Default | Meaning |";

  /** The separator row under {@link #HEADER}. */
  public static final String SEPARATOR = "| --- | --- | --- | --- |";

  /** What the Default column says for a setting without a default. */
  public static final String NO_DEFAULT = "none";

  private SettingsTable() {}

  /** The table's lines, header first, without line terminators. */
  public static List<String> markdownLines(List<Setting> settings) {
    List<String> lines = new ArrayList<>();
    lines.add(HEADER);
    lines.add(SEPARATOR);
    for (Setting s : settings) {
      lines.add(
          "| `"
              + s.key()
              + "` | `"
              + s.env()
              + "` | "
              + defaultCell(s)
              + " | "
              + s.description().replace("|", "\\|")
              + " |");
    }
    return lines;
  }

  /** The table, each line ended by {@code \n}. */
  public static String markdown(List<Setting> settings) {
    StringBuilder b = new StringBuilder();
    markdownLines(settings).forEach(l -> b.append(l).append('\n'));
    return b.toString();
  }

  /** The Default cell of {@code s}: {@code `value`}, or {@link #NO_DEFAULT}. */
  public static String defaultCell(Setting s) {
    return s.defaultValue() == null ? NO_DEFAULT : "`" + s.defaultValue() + "`";
  }
}
