package dev.twikitorders.enricher.records;

import dev.twikitorders.schemas.ErrorType;
import dev.twikitorders.schemas.OrderEvent;
import java.util.Objects;

/** The result of reading and validating one input record. */
public sealed interface DecodedEvent {

  /** A readable, valid event. */
  record Valid(OrderEvent event) implements DecodedEvent {
    public Valid {
      Objects.requireNonNull(event, "event");
    }
  }

  /**
   * An unreadable ({@link ErrorType#UNREADABLE}) or invalid ({@link ErrorType#INVALID_EVENT})
   * record; {@code eventId} and {@code orderId} are set where they could be read.
   */
  record Rejected(
      ErrorType errorType, String message, String eventId, String orderId, String exceptionClass)
      implements DecodedEvent {
    public Rejected {
      Objects.requireNonNull(errorType, "errorType");
      Objects.requireNonNull(message, "message");
    }
  }
}
