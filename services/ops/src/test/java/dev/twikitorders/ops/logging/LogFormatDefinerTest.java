package dev.twikitorders.ops.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogFormatDefinerTest {

  @Test
  void textIsTheDefaultAndJsonIsChosenCaseInsensitively() {
    List<String> warnings = new ArrayList<>();
    assertThat(LogFormatDefiner.formatOf(null, warnings::add)).isEqualTo(LogFormatDefiner.TEXT);
    assertThat(LogFormatDefiner.formatOf(" ", warnings::add)).isEqualTo(LogFormatDefiner.TEXT);
    assertThat(LogFormatDefiner.formatOf("text", warnings::add)).isEqualTo(LogFormatDefiner.TEXT);
    assertThat(LogFormatDefiner.formatOf("json", warnings::add)).isEqualTo(LogFormatDefiner.JSON);
    assertThat(LogFormatDefiner.formatOf(" JSON ", warnings::add)).isEqualTo(LogFormatDefiner.JSON);
    assertThat(warnings).isEmpty();
  }

  @Test
  void anUnknownValueFallsBackToTextWithOneWarningNamingTheSetting() {
    List<String> warnings = new ArrayList<>();
    assertThat(LogFormatDefiner.formatOf("xml", warnings::add)).isEqualTo(LogFormatDefiner.TEXT);
    assertThat(warnings)
        .singleElement()
        .asString()
        .contains("LOG_FORMAT='xml'")
        .contains("'text'")
        .contains("'json'");
  }

  @Test
  void aLongUnknownValueIsShortenedInTheWarning() {
    List<String> warnings = new ArrayList<>();
    LogFormatDefiner.formatOf("x".repeat(500), warnings::add);
    assertThat(warnings).singleElement().asString().hasSizeLessThan(150);
  }
}
