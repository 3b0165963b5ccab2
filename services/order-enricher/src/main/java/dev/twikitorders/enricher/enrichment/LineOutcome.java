package dev.twikitorders.enricher.enrichment;

import dev.twikitorders.schemas.ErrorType;
import dev.twikitorders.schemas.OrderLine;
import java.util.Objects;

/**
 * The final outcome for one configured order line: enriched, cancelled, or failed for a reason that
 * routes it to the dead-letter topic. Transient failures (API outage, rate limits) are never an
 * outcome: they are retried until they resolve (docs/contracts.md, invariant 4) or until an
 * operator-set deadline turns them into {@link ErrorType#RETRIES_EXHAUSTED}.
 */
public sealed interface LineOutcome {
  OrderLine line();

  /** The line of an ORDER_PLACED event, enriched. */
  record Enriched(OrderLine line, EnrichedLine enrichment) implements LineOutcome {
    public Enriched {
      Objects.requireNonNull(line, "line");
      Objects.requireNonNull(enrichment, "enrichment");
    }
  }

  /** The line of an ORDER_CANCELLED event. */
  record Cancelled(OrderLine line) implements LineOutcome {
    public Cancelled {
      Objects.requireNonNull(line, "line");
    }
  }

  /** A line that cannot be processed; {@code message} never holds secrets. */
  record Failed(
      OrderLine line, ErrorType errorType, String message, int attempts, String exceptionClass)
      implements LineOutcome {
    public Failed {
      Objects.requireNonNull(line, "line");
      Objects.requireNonNull(errorType, "errorType");
      Objects.requireNonNull(message, "message");
    }
  }
}
