package dev.twikitorders.enricher.enrichment;

import java.util.List;
import java.util.Objects;

/**
 * What Twikit told us about the configuration of one order line: the summary (for the ERP) and the
 * filtered configuration (for fulfillment). Free of HTTP and client types so that the topology
 * depends only on this shape.
 *
 * <p>Immutable.
 *
 * @param productTitle may be null
 * @param sku the SKU the summary gives, may be null (the order line's SKU is used then)
 * @param price unit price as a plain decimal string, may be null
 * @param currency ISO 4217 code of {@code price}, may be null
 */
public record EnrichedLine(
    String productTitle,
    String sku,
    String price,
    String currency,
    List<SummaryParam> summaryParameters,
    List<FilteredParam> filteredParameters,
    List<Resource> resources) {

  public EnrichedLine {
    summaryParameters = List.copyOf(Objects.requireNonNullElse(summaryParameters, List.of()));
    filteredParameters = List.copyOf(Objects.requireNonNullElse(filteredParameters, List.of()));
    resources = List.copyOf(Objects.requireNonNullElse(resources, List.of()));
  }

  /** One parameter of the summary. Only {@code name} is required. */
  public record SummaryParam(String name, String label, String value, String displayValue) {
    public SummaryParam {
      Objects.requireNonNull(name, "name");
    }
  }

  /** One parameter of the filtered configuration. */
  public record FilteredParam(String name, String value) {
    public FilteredParam {
      Objects.requireNonNull(name, "name");
    }
  }

  /** A production resource or file reference. */
  public record Resource(String name, String url, String type) {
    public Resource {
      Objects.requireNonNull(url, "url");
    }
  }
}
