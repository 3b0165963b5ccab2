package dev.twikitorders.enricher.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.settings.SettingsTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's settings table (between {@code <!-- settings:start -->} and {@code <!-- settings:end
 * -->}) lists exactly {@link Settings#ALL}, in order, with each setting's environment variable and
 * default ({@link SettingsTable#differences}). On a mismatch the message holds the table to paste.
 */
class ReadmeSettingsTest {
  @Test
  void readmeTableListsExactlyTheSettings() throws IOException {
    assertThat(SettingsTable.differences(readme(), Settings.ALL))
        .as(
            "README.md's settings table differs from Settings.ALL; the table to paste between the"
                + " markers:\n%s",
            expectedTable())
        .isEmpty();
  }

  /** The table as generated from {@link Settings#ALL} (what {@code settings --markdown} prints). */
  static String expectedTable() {
    return SettingsTable.markdown(Settings.ALL);
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
