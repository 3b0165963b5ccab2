package dev.twikitorders.enricher.records;

import dev.twikitorders.enricher.enrichment.LineOutcome;
import dev.twikitorders.ops.logging.LogContext;
import dev.twikitorders.schemas.ErrorType;
import dev.twikitorders.schemas.OrderEvent;
import dev.twikitorders.schemas.OrderLine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The output records of one input record, in the order they must be written: shared by the live
 * processor (which forwards them to its sinks) and the replay job (which produces them), so that
 * both write identical values, keys and idempotency keys.
 */
public final class Outputs {
  private static final Logger LOG = LoggerFactory.getLogger(Outputs.class);

  /** Which output topic a record goes to. */
  public enum Role {
    ERP,
    FULFILLMENT,
    DEAD_LETTER
  }

  /** One output record. {@code key} is null for dead letters of unreadable records. */
  public record Output(Role role, String key, SpecificRecord value, Headers headers) {}

  private Outputs() {}

  /**
   * @param outcomes the enrichment outcomes of a valid event (ignored for rejected records)
   * @param error an unexpected enrichment failure, or null
   * @param replayId the replay's id, or null for the live pipeline
   */
  public static List<Output> of(
      SourceRecord source,
      DecodedEvent decoded,
      List<LineOutcome> outcomes,
      Throwable error,
      String replayId,
      Instant now) {
    List<Output> out = new ArrayList<>();
    if (decoded instanceof DecodedEvent.Rejected rejected) {
      // every output carries event-id: where the event id cannot be read, the input's coordinates
      // stand in for it, as they do in the idempotency key
      String idKey = rejected.eventId() != null ? rejected.eventId() : source.source();
      var letter =
          OutputMapper.deadLetter(
              rejected.errorType(),
              rejected.message(),
              source,
              rejected.eventId(),
              rejected.orderId(),
              null,
              null,
              1,
              rejected.exceptionClass(),
              replayId,
              now);
      if (LOG.isDebugEnabled()) {
        try (LogContext c = LogContext.event(rejected.eventId(), rejected.orderId())) {
          LOG.debug(
              "Record {} dead-lettered: {}: {}",
              source.source(),
              rejected.errorType(),
              rejected.message());
        }
      }
      String key = rejected.errorType() == ErrorType.UNREADABLE ? null : rejected.orderId();
      out.add(
          new Output(
              Role.DEAD_LETTER,
              key,
              letter,
              OutputHeaders.of(idKey, idKey, source.source(), replayId)));
      return out;
    }
    OrderEvent event = ((DecodedEvent.Valid) decoded).event();
    List<LineOutcome> lines = error != null ? processingErrors(event, error) : outcomes;
    for (LineOutcome outcome : lines) {
      OrderLine line = outcome.line();
      String idKey = OutputHeaders.idempotencyKey(event.getEventId(), line.getLineId());
      String orderId = event.getOrderId();
      switch (outcome) {
        case LineOutcome.Enriched enriched -> {
          out.add(
              new Output(
                  Role.ERP,
                  orderId,
                  OutputMapper.summary(event, line, enriched.enrichment(), now),
                  headers(event, idKey, source, replayId)));
          out.add(
              new Output(
                  Role.FULFILLMENT,
                  orderId,
                  OutputMapper.fulfillment(event, line, enriched.enrichment(), now),
                  headers(event, idKey, source, replayId)));
        }
        case LineOutcome.Cancelled cancelled -> {
          out.add(
              new Output(
                  Role.ERP,
                  orderId,
                  OutputMapper.summary(event, line, null, now),
                  headers(event, idKey, source, replayId)));
          out.add(
              new Output(
                  Role.FULFILLMENT,
                  orderId,
                  OutputMapper.fulfillment(event, line, null, now),
                  headers(event, idKey, source, replayId)));
        }
        case LineOutcome.Failed failed -> {
          if (LOG.isDebugEnabled()) {
            try (LogContext c =
                LogContext.line(
                    event.getEventId(), orderId, line.getLineId(), line.getConfigurationId())) {
              LOG.debug(
                  "Line {} of event {} dead-lettered: {}: {}",
                  line.getLineId(),
                  event.getEventId(),
                  failed.errorType(),
                  failed.message());
            }
          }
          var letter =
              OutputMapper.deadLetter(
                  failed.errorType(),
                  failed.message(),
                  source,
                  event.getEventId(),
                  orderId,
                  line.getLineId(),
                  line.getConfigurationId(),
                  failed.attempts(),
                  failed.exceptionClass(),
                  replayId,
                  now);
          out.add(
              new Output(
                  Role.DEAD_LETTER, orderId, letter, headers(event, idKey, source, replayId)));
        }
      }
    }
    return out;
  }

  private static Headers headers(
      OrderEvent event, String idKey, SourceRecord source, String replayId) {
    return OutputHeaders.of(event.getEventId(), idKey, source.source(), replayId);
  }

  private static List<LineOutcome> processingErrors(OrderEvent event, Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    try (LogContext c = LogContext.event(event.getEventId(), event.getOrderId())) {
      LOG.error(
          "Enrichment of event {} failed unexpectedly; dead-lettering its lines",
          event.getEventId(),
          cause);
    }
    List<LineOutcome> failed = new ArrayList<>();
    for (OrderLine line : event.getLines()) {
      if (line.getConfigurationId() != null) {
        failed.add(
            new LineOutcome.Failed(
                line,
                ErrorType.PROCESSING_ERROR,
                "enrichment failed: " + cause.getClass().getSimpleName(),
                1,
                cause.getClass().getName()));
      }
    }
    return failed;
  }
}
