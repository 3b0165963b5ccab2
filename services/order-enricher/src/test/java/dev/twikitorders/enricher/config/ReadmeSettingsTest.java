package dev.twikitorders.enricher.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.settings.Setting;
import dev.twikitorders.settings.SettingsTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's settings table (between {@code <!-- settings:start -->} and {@code <!-- settings:end
 * -->}) lists exactly {@link Settings#ALL}, in order, with each setting's environment variable and
 * default. On a mismatch the message holds the table to paste.
 */
class ReadmeSettingsTest {
  static final String START = "<!-- settings:start -->";
  static final String END = "<!-- settings:end -->";

  /**
   * One table row: key and variable without their backticks; the default as written (`value` or
   * none).
   */
  record Row(String key, String env, String defaultValue, String meaning) {}

  @Test
  void readmeTableListsExactlyTheSettings() throws IOException {
    List<Row> rows = tableRows(readme());
    List<Row> expected =
        Settings.ALL.stream()
            .map(s -> new Row(s.key(), s.env(), defaultCell(s), s.description()))
            .toList();
    String hint =
        "README.md's settings table differs from Settings.ALL; the table to paste between the markers:\n"
            + expectedTable();
    assertThat(rows.stream().map(Row::key).toList())
        .as(hint)
        .isEqualTo(expected.stream().map(Row::key).toList());
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      Row want = expected.get(i);
      assertThat(row.env())
          .as("environment variable of %s. %s", row.key(), hint)
          .isEqualTo(want.env());
      assertThat(row.defaultValue())
          .as("default of %s. %s", row.key(), hint)
          .isEqualTo(want.defaultValue());
      assertThat(row.meaning()).as("meaning of %s", row.key()).isNotBlank();
    }
  }

  /** The table as generated from {@link Settings#ALL} (what {@code settings --markdown} prints). */
  static String expectedTable() {
    return SettingsTable.markdown(Settings.ALL);
  }

  private static String defaultCell(Setting s) {
    return SettingsTable.defaultCell(s);
  }

  static List<Row> tableRows(String readme) {
    int start = readme.indexOf(START);
    int end = readme.indexOf(END);
    assertThat(start).as("README.md has %s", START).isNotNegative();
    assertThat(end).as("README.md has %s after %s", END, START).isGreaterThan(start);
    List<String> lines =
        readme
            .substring(start + START.length(), end)
            .lines()
            .map(String::trim)
            .filter(l -> l.startsWith("|"))
            .toList();
    assertThat(lines).as("table lines").hasSizeGreaterThan(2);
    assertThat(cells(lines.get(0)))
        .as("header")
        .containsExactly("Property key", "Environment variable", "Default", "Meaning");
    List<Row> rows = new ArrayList<>();
    for (String line : lines.subList(2, lines.size())) {
      List<String> c = cells(line);
      assertThat(c).as("cells of %s", line).hasSize(4);
      rows.add(new Row(unquote(c.get(0)), unquote(c.get(1)), c.get(2), c.get(3)));
    }
    return rows;
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

  private static String readme() throws IOException {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path readme = p.resolve("README.md");
      if (Files.isRegularFile(readme) && Files.isRegularFile(p.resolve("mvnw"))) {
        return Files.readString(readme);
      }
    }
    throw new IllegalStateException(
        "no README.md beside mvnw above " + Path.of("").toAbsolutePath());
  }
}
