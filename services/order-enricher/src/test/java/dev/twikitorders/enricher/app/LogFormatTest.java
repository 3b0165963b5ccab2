package dev.twikitorders.enricher.app;

import dev.twikitorders.testfixtures.logging.LogFormatChecks;

/** This application's logging setup with {@code LOG_FORMAT} ({@link LogFormatChecks}). */
class LogFormatTest extends LogFormatChecks {
  @Override
  protected Class<?> application() {
    return EnricherApp.class;
  }
}
