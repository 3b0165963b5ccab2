package dev.twikitorders.twikit.model;

import java.util.List;

/**
 * The summary of a configuration, for the ERP. {@code sku} and {@code price} may be null.
 *
 * <p>Thread-safety: immutable and thread-safe.
 */
public record Summary(
    String uuid,
    String productUuid,
    String productTitle,
    String sku,
    Price price,
    List<SummaryParameter> parameters) {

  public Summary {
    parameters = Immutables.list(parameters);
  }
}
