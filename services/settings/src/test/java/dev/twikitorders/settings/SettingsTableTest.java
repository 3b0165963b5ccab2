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
}
