package dev.twikitorders.enricher.flow;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Pauses log their state changes, once each, however many calls fail. */
class SystemPausesTest {
  private final SystemPauses pauses =
      new SystemPauses(Clock.fixed(Instant.parse("2026-11-29T00:00:00Z"), ZoneOffset.UTC));
  private final Logger logger = (Logger) LoggerFactory.getLogger(SystemPauses.class);
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeEach
  void capture() {
    log.start();
    logger.addAppender(log);
  }

  @AfterEach
  void release() {
    logger.detachAppender(log);
  }

  @Test
  void tenThousandFailingCallsPauseOnceAndLogOneWarning() {
    for (int i = 0; i < 10_000; i++) {
      pauses.report(SystemPauses.Cause.TWIKIT_FORBIDDEN, "HTTP 403 insufficient_scope");
    }
    assertThat(pauses.paused()).isTrue();
    assertThat(pauses.activations(SystemPauses.Cause.TWIKIT_FORBIDDEN)).isEqualTo(1);
    assertThat(log.list).filteredOn(e -> e.getLevel() == Level.WARN).hasSize(1);
    assertThat(log.list.get(0).getFormattedMessage()).contains("Pipeline paused").contains("403");

    for (int i = 0; i < 10_000; i++) {
      pauses.twikitAnswered();
    }
    assertThat(pauses.paused()).isFalse();
    assertThat(log.list).hasSize(2);
    assertThat(log.list.get(1).getFormattedMessage()).contains("Pipeline resumed");
  }

  @Test
  void eachCauseClearsOnItsOwn() {
    pauses.report(SystemPauses.Cause.SCHEMA_REGISTRY, "HTTP 409");
    pauses.report(SystemPauses.Cause.TWIKIT_FORBIDDEN, "HTTP 403");
    pauses.twikitAnswered();
    assertThat(pauses.active()).containsOnlyKeys(SystemPauses.Cause.SCHEMA_REGISTRY);
    assertThat(pauses.describe()).isEqualTo("SCHEMA_REGISTRY: HTTP 409");
    pauses.clear(SystemPauses.Cause.SCHEMA_REGISTRY);
    assertThat(pauses.paused()).isFalse();
    assertThat(pauses.activations(SystemPauses.Cause.SCHEMA_REGISTRY)).isEqualTo(1);
  }
}
