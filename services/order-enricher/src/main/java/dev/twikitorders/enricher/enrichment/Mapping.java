package dev.twikitorders.enricher.enrichment;

import dev.twikitorders.twikit.model.Filtered;
import dev.twikitorders.twikit.model.Summary;
import java.util.List;
import java.util.Objects;

/** Maps the client's models to {@link EnrichedLine}. Stateless. */
final class Mapping {
  private Mapping() {}

  static EnrichedLine enrichedLine(Summary summary, Filtered filtered) {
    String title =
        summary.productTitle() != null ? summary.productTitle() : filtered.productTitle();
    String price = null;
    String currency = null;
    if (summary.price() != null && summary.price().amount() != null) {
      price = summary.price().amount().toPlainString();
      currency = summary.price().currency();
    }
    List<EnrichedLine.SummaryParam> summaryParams =
        summary.parameters() == null
            ? List.of()
            : summary.parameters().stream()
                .filter(p -> p != null && p.name() != null)
                .map(
                    p ->
                        new EnrichedLine.SummaryParam(
                            p.name(), p.label(), text(p.value()), p.displayValue()))
                .toList();
    List<EnrichedLine.FilteredParam> filteredParams =
        filtered.parameters() == null
            ? List.of()
            : filtered.parameters().stream()
                .filter(p -> p != null && p.name() != null)
                .map(p -> new EnrichedLine.FilteredParam(p.name(), text(p.value())))
                .toList();
    List<EnrichedLine.Resource> resources =
        filtered.resources() == null
            ? List.of()
            : filtered.resources().stream()
                .filter(r -> r != null && r.url() != null)
                .map(r -> new EnrichedLine.Resource(r.name(), r.url(), r.type()))
                .toList();
    return new EnrichedLine(
        title, summary.sku(), price, currency, summaryParams, filteredParams, resources);
  }

  /**
   * A JSON parameter value as text: strings as they are, numbers and booleans printed, others as
   * JSON-ish text.
   */
  static String text(Object value) {
    if (value == null) {
      return null;
    }
    return value instanceof String s ? s : Objects.toString(value);
  }
}
