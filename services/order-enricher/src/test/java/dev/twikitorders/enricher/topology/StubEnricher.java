package dev.twikitorders.enricher.topology;

import dev.twikitorders.enricher.enrichment.EnrichedLine;
import dev.twikitorders.enricher.enrichment.LineOutcome;
import dev.twikitorders.enricher.enrichment.OrderEnricher;
import dev.twikitorders.schemas.ErrorType;
import dev.twikitorders.schemas.OrderEvent;
import dev.twikitorders.schemas.OrderEventType;
import dev.twikitorders.schemas.OrderLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A unit-test stand-in for the Twikit-backed enricher: enriches every configured line from its id,
 * fails lines whose configuration id is in {@code notFound}, and holds the events listed in {@code
 * held} until the test releases them.
 */
final class StubEnricher implements OrderEnricher {
  final Set<String> notFound = ConcurrentHashMap.newKeySet();
  final Set<String> held = ConcurrentHashMap.newKeySet();
  final Map<String, CompletableFuture<List<LineOutcome>>> heldFutures = new ConcurrentHashMap<>();
  final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
  final Map<String, CompletableFuture<List<LineOutcome>>> returned = new ConcurrentHashMap<>();

  @Override
  public CompletableFuture<List<LineOutcome>> enrich(OrderEvent event) {
    calls.add(event.getEventId());
    List<LineOutcome> outcomes = new ArrayList<>();
    for (OrderLine line : event.getLines()) {
      String id = line.getConfigurationId();
      if (id == null) {
        continue;
      }
      if (event.getEventType() == OrderEventType.ORDER_CANCELLED) {
        outcomes.add(new LineOutcome.Cancelled(line));
      } else if (notFound.contains(id)) {
        outcomes.add(
            new LineOutcome.Failed(
                line, ErrorType.NOT_FOUND, "configuration " + id + " not found", 1, null));
      } else {
        outcomes.add(new LineOutcome.Enriched(line, enrichment(id)));
      }
    }
    if (held.contains(event.getEventId())) {
      CompletableFuture<List<LineOutcome>> f = new CompletableFuture<>();
      heldFutures.put(event.getEventId(), f);
      CompletableFuture<List<LineOutcome>> r = f.thenApply(ignored -> outcomes);
      returned.put(event.getEventId(), r);
      return r;
    }
    return CompletableFuture.completedFuture(outcomes);
  }

  void release(String eventId) {
    heldFutures.get(eventId).complete(List.of());
  }

  static EnrichedLine enrichment(String configurationId) {
    return new EnrichedLine(
        "Title " + configurationId.substring(0, 8),
        "SKU-API",
        "12.50",
        "EUR",
        List.of(new EnrichedLine.SummaryParam("color", "Colour", "red", "Red")),
        List.of(new EnrichedLine.FilteredParam("color", "red")),
        List.of(
            new EnrichedLine.Resource(
                "model", "https://files.example/" + configurationId + ".stl", "stl")));
  }
}
