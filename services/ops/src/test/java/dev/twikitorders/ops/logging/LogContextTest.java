package dev.twikitorders.ops.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogContextTest {

  @Test
  void setsTheKnownIdsAndRemovesThemOnClose() {
    try (LogContext c = LogContext.line("e-1", "o-1", "l-1", null)) {
      assertThat(MDC.get("eventId")).isEqualTo("e-1");
      assertThat(MDC.get("orderId")).isEqualTo("o-1");
      assertThat(MDC.get("lineId")).isEqualTo("l-1");
      assertThat(MDC.get("configurationId")).isNull();
    }
    assertThat(MDC.get("eventId")).isNull();
    assertThat(MDC.get("orderId")).isNull();
    assertThat(MDC.get("lineId")).isNull();
  }

  @Test
  void nestedContextsRestoreTheOuterValues() {
    try (LogContext c1 = LogContext.event("e-1", "o-1")) {
      try (LogContext c2 = LogContext.line("e-1", "o-1", "l-2", "c-2")) {
        assertThat(MDC.get("lineId")).isEqualTo("l-2");
        assertThat(MDC.get("configurationId")).isEqualTo("c-2");
      }
      assertThat(MDC.get("orderId")).isEqualTo("o-1");
      assertThat(MDC.get("lineId")).isNull();
      assertThat(MDC.get("configurationId")).isNull();
    }
    assertThat(MDC.get("orderId")).isNull();
  }
}
