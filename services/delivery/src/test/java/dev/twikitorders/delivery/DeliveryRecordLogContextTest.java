package dev.twikitorders.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.ops.logging.LogContext;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The ids a delivery log line about one record carries (LOG_FORMAT=json writes them). */
class DeliveryRecordLogContextTest {

  @Test
  void putsTheValuesIdsIntoTheMdcUntilClosed() {
    DeliveryRecord r = Records.record(3);
    try (LogContext c = r.logContext()) {
      assertThat(MDC.get("orderId")).isEqualTo("order-1");
      assertThat(MDC.get("lineId")).isEqualTo("line-3");
      assertThat(MDC.get("eventId")).isEqualTo("event-line-3");
      assertThat(MDC.get("configurationId")).isEqualTo("6f1c2b9e-0c1d-4e2f-9a3b-5c6d7e8f9a0b");
    }
    assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
  }
}
