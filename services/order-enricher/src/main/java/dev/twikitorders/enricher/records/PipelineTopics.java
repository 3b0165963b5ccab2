package dev.twikitorders.enricher.records;

import dev.twikitorders.schemas.ConfigurationSummary;
import dev.twikitorders.schemas.DeadLetter;
import dev.twikitorders.schemas.FulfillmentConfiguration;
import java.util.Objects;

/**
 * The four topics of the pipeline (docs/contracts.md, "Topics"). The input is read as raw bytes so
 * that unreadable records can be dead-lettered with their original bytes.
 *
 * <p>Immutable.
 */
public record PipelineTopics(
    Topic<byte[], byte[]> orderEvents,
    Topic<String, ConfigurationSummary> erp,
    Topic<String, FulfillmentConfiguration> fulfillment,
    Topic<String, DeadLetter> deadLetters) {
  public PipelineTopics {
    Objects.requireNonNull(orderEvents, "orderEvents");
    Objects.requireNonNull(erp, "erp");
    Objects.requireNonNull(fulfillment, "fulfillment");
    Objects.requireNonNull(deadLetters, "deadLetters");
  }
}
