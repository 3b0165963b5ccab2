package dev.twikitorders.settings.cli;

import dev.twikitorders.settings.Setting;
import dev.twikitorders.settings.SettingsCatalog;
import dev.twikitorders.settings.SettingsTable;
import java.io.PrintWriter;

/**
 * What a deployable's {@code settings} command prints: every setting of its catalog with its
 * environment variable, default and meaning, then how the pass-through settings are named; or with
 * {@code markdown} the README's table ({@link SettingsTable}).
 */
public final class SettingsPrinter {
  private SettingsPrinter() {}

  /**
   * @param passThroughNote lines explaining the catalog's pass-through settings (printed after the
   *     list, not with {@code markdown})
   */
  public static void print(
      PrintWriter out, SettingsCatalog catalog, boolean markdown, String... passThroughNote) {
    if (markdown) {
      SettingsTable.markdownLines(catalog.settings()).forEach(out::println);
      return;
    }
    for (Setting s : catalog.settings()) {
      out.printf(
          "%-38s %-38s default: %s%n    %s%n",
          s.key(),
          s.env(),
          s.defaultValue() == null ? "(none)" : "'" + s.defaultValue() + "'",
          s.description());
    }
    out.println();
    for (String line : passThroughNote) {
      out.println(line);
    }
  }
}
