package dev.twikitorders.ops.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogFormatDefinerTest {

  @Test
  void textIsTheDefaultAndJsonIsChosenCaseInsensitively() {
    List<String> warnings = new ArrayList<>();
    assertThat(LogFormatDefiner.appenderFor(null, warnings::add))
        .isEqualTo(LogFormatDefiner.TEXT_APPENDER);
    assertThat(LogFormatDefiner.appenderFor(" ", warnings::add))
        .isEqualTo(LogFormatDefiner.TEXT_APPENDER);
    assertThat(LogFormatDefiner.appenderFor("text", warnings::add))
        .isEqualTo(LogFormatDefiner.TEXT_APPENDER);
    assertThat(LogFormatDefiner.appenderFor("json", warnings::add))
        .isEqualTo(LogFormatDefiner.JSON_APPENDER);
    assertThat(LogFormatDefiner.appenderFor(" JSON ", warnings::add))
        .isEqualTo(LogFormatDefiner.JSON_APPENDER);
    assertThat(warnings).isEmpty();
  }

  @Test
  void anUnknownValueFallsBackToTextWithOneWarningNamingTheSetting() {
    List<String> warnings = new ArrayList<>();
    assertThat(LogFormatDefiner.appenderFor("xml", warnings::add))
        .isEqualTo(LogFormatDefiner.TEXT_APPENDER);
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
    LogFormatDefiner.appenderFor("x".repeat(500), warnings::add);
    assertThat(warnings).singleElement().asString().hasSizeLessThan(150);
  }
}
