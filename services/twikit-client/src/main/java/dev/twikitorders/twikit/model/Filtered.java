package dev.twikitorders.twikit.model;

import java.util.List;

/**
 * The filtered configuration: what fulfillment needs to produce the item.
 *
 * <p>Thread-safety: immutable and thread-safe.
 */
public record Filtered(
    String uuid,
    String productTitle,
    List<FilteredParameter> parameters,
    List<Resource> resources) {
  public Filtered {
    parameters = Immutables.list(parameters);
    resources = Immutables.list(resources);
  }
}
