package dev.twikitorders.settings;

import java.util.ArrayList;
import java.util.Arrays;
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

  /** The line before a document's settings table. */
  public static final String START = "<!-- settings:start -->";

  /** The line after a document's settings table. */
  public static final String END = "<!-- settings:end -->";

  private SettingsTable() {}

  /**
   * How the settings table of {@code document} (between {@link #START} and {@link #END}) differs
   * from {@code settings}: a missing table or header, a row of the wrong key, variable or default,
   * an empty meaning, a missing or extra row. Empty when the table lists exactly {@code settings},
   * in order (meanings may be worded differently).
   */
  public static List<String> differences(String document, List<Setting> settings) {
    List<String> problems = new ArrayList<>();
    int start = document.indexOf(START);
    int end = document.indexOf(END);
    if (start < 0 || end < start) {
      problems.add("no table between " + START + " and " + END);
      return problems;
    }
    List<String> lines =
        document
            .substring(start + START.length(), end)
            .lines()
            .map(String::trim)
            .filter(l -> l.startsWith("|"))
            .toList();
    if (lines.size() < 2 || !cells(lines.get(0)).equals(cells(HEADER))) {
      problems.add("the table does not start with the header " + HEADER);
      return problems;
    }
    List<String> rows = lines.subList(2, lines.size());
    for (int i = 0; i < Math.max(rows.size(), settings.size()); i++) {
      if (i >= rows.size()) {
        problems.add("missing row of " + settings.get(i).key());
        continue;
      }
      List<String> c = cells(rows.get(i));
      if (i >= settings.size()) {
        problems.add("extra row " + rows.get(i));
        continue;
      }
      Setting s = settings.get(i);
      if (c.size() != 4) {
        problems.add("row " + (i + 1) + " has " + c.size() + " cells, not 4: " + rows.get(i));
        continue;
      }
      if (!unquote(c.get(0)).equals(s.key())) {
        problems.add("row " + (i + 1) + " is " + c.get(0) + ", expected `" + s.key() + "`");
      } else if (!unquote(c.get(1)).equals(s.env())) {
        problems.add("environment variable of " + s.key() + " is " + c.get(1) + ", not " + s.env());
      } else if (!c.get(2).equals(defaultCell(s))) {
        problems.add("default of " + s.key() + " is " + c.get(2) + ", not " + defaultCell(s));
      } else if (c.get(3).isBlank()) {
        problems.add("meaning of " + s.key() + " is empty");
      }
    }
    return problems;
  }

  private static List<String> cells(String line) {
    String inner = line.substring(1, line.endsWith("|") ? line.length() - 1 : line.length());
    return Arrays.stream(inner.split("(?<!\\\\)\\|", -1)).map(String::trim).toList();
  }

  private static String unquote(String cell) {
    return cell.length() >= 2 && cell.startsWith("`") && cell.endsWith("`")
        ? cell.substring(1, cell.length() - 1)
        : cell;
  }

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
