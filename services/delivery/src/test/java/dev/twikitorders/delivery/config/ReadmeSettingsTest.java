package dev.twikitorders.delivery.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.settings.SettingsTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The delivery service's README lists exactly {@link DeliveryConfig#ALL} in its settings table, in
 * order, with each setting's environment variable and default. On a mismatch the message holds the
 * table to paste (what {@code settings --markdown} prints).
 */
class ReadmeSettingsTest {
  @Test
  void readmeTableListsExactlyTheSettings() throws IOException {
    String readme = Files.readString(Path.of("README.md"));

    assertThat(SettingsTable.differences(readme, DeliveryConfig.ALL))
        .as(
            "services/delivery/README.md's settings table differs from DeliveryConfig.ALL; the"
                + " table to paste between the markers:%n%s",
            SettingsTable.markdown(DeliveryConfig.ALL))
        .isEmpty();
  }
}
