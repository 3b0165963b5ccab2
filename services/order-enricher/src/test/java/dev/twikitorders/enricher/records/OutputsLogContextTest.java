package dev.twikitorders.enricher.records;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.twikitorders.enricher.enrichment.LineOutcome;
import dev.twikitorders.schemas.ErrorType;
import dev.twikitorders.schemas.OrderEvent;
import dev.twikitorders.schemas.OrderLine;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The log lines about one line or event carry its ids in the MDC, and only while they are written.
 */
class OutputsLogContextTest {
  private final Logger logger = (Logger) LoggerFactory.getLogger(Outputs.class);
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private Level level;

  @BeforeEach
  void capture() {
    level = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    log.start();
    logger.addAppender(log);
  }

  @AfterEach
  void release() {
    logger.detachAppender(log);
    logger.setLevel(level);
  }

  @Test
  void aDeadLetteredLineIsLoggedWithItsIds() {
    OrderLine line = Orders.configured("line-2", "conf-9");
    OrderEvent event = Orders.placed("event-1", "order-1", line);
    SourceRecord source = new SourceRecord("order-events", 0, 7, 1L, null, null);

    Outputs.of(
        source,
        new DecodedEvent.Valid(event),
        List.of(
            new LineOutcome.Failed(line, ErrorType.NOT_FOUND, "no such configuration", 1, null)),
        null,
        null,
        Instant.parse("2026-11-29T10:00:00Z"));

    assertThat(log.list).hasSize(1);
    assertThat(log.list.get(0).getMDCPropertyMap())
        .isEqualTo(
            Map.of(
                "eventId", "event-1",
                "orderId", "order-1",
                "lineId", "line-2",
                "configurationId", "conf-9"));
    assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
  }

  @Test
  void anUnexpectedFailureIsLoggedWithTheEventIds() {
    OrderEvent event = Orders.placed("event-3", "order-3", Orders.configured("l1", "c1"));

    Outputs.of(
        new SourceRecord("order-events", 1, 9, 1L, null, null),
        new DecodedEvent.Valid(event),
        List.of(),
        new IllegalStateException("bug"),
        null,
        Instant.parse("2026-11-29T10:00:00Z"));

    assertThat(log.list)
        .filteredOn(e -> e.getLevel() == Level.ERROR)
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getMDCPropertyMap())
                    .isEqualTo(Map.of("eventId", "event-3", "orderId", "order-3")));
    assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
  }
}
