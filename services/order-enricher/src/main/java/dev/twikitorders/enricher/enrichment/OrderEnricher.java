package dev.twikitorders.enricher.enrichment;

import dev.twikitorders.schemas.OrderEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Enriches the configured lines of one order event through the Twikit API: checks each
 * configuration's compatibility, fetches its summary and filtered configuration, and links the
 * configurations to the order with one batch update.
 *
 * <p>The returned future completes with one {@link LineOutcome} per configured line, in line order,
 * once every line has a final outcome. It does not complete exceptionally for API failures:
 * transient ones are retried inside, permanent ones become {@link LineOutcome.Failed}. It completes
 * exceptionally only when the enricher is closed.
 *
 * <p>Implementations are thread-safe. Calls are idempotent: re-enriching the same event (after a
 * crash or rebalance) gives the same outcomes and the same updates.
 */
public interface OrderEnricher extends AutoCloseable {
  CompletableFuture<List<LineOutcome>> enrich(OrderEvent event);

  @Override
  default void close() {}
}
