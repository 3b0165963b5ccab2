package dev.twikitorders.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsTableTest {
  @Test
  void rendersOneRowPerSettingWithVariableDefaultAndEscapedMeaning() {
    List<Setting> settings = List.of(TestCatalog.NAME, TestCatalog.URL);
    assertThat(SettingsTable.markdown(settings))
        .isEqualTo(
            """
            | Property key | Environment variable | Default | Meaning |
            | --- | --- | --- | --- |
            | `app.name` | `APP_NAME` | `orders` | Name. |
            | `upstream.url` | `UPSTREAM_URL` | none | Upstream \\| base URL. |
            """);
    assertThat(SettingsTable.markdownLines(settings)).hasSize(4);
    assertThat(SettingsTable.markdownLines(List.of()))
        .containsExactly(SettingsTable.HEADER, SettingsTable.SEPARATOR);
  }

  @Test
  void aDocumentWhoseTableMatchesHasNoDifferences() {
    List<Setting> settings = List.of(TestCatalog.NAME, TestCatalog.URL);
    String doc =
        "# Settings\n\n"
            + SettingsTable.START
            + "\n"
            + SettingsTable.markdown(settings)
            + SettingsTable.END
            + "\nmore text\n";

    assertThat(SettingsTable.differences(doc, settings)).isEmpty();
  }

  @Test
  void namesWhatDiffers() {
    List<Setting> settings = List.of(TestCatalog.NAME, TestCatalog.URL);
    String wrongDefault =
        SettingsTable.START
            + "\n"
            + SettingsTable.markdown(settings).replace("`orders`", "`shops`")
            + SettingsTable.END;
    String missingRow =
        SettingsTable.START
            + "\n"
            + SettingsTable.markdown(List.of(TestCatalog.NAME))
            + SettingsTable.END;

    assertThat(SettingsTable.differences(wrongDefault, settings))
        .containsExactly("default of app.name is `shops`, not `orders`");
    assertThat(SettingsTable.differences(missingRow, settings))
        .containsExactly("missing row of upstream.url");
    assertThat(SettingsTable.differences("no table", settings))
        .containsExactly("no table between " + SettingsTable.START + " and " + SettingsTable.END);
  }
}
