package dev.twikitorders.enricher.records;

import dev.twikitorders.enricher.enrichment.EnrichedLine;
import dev.twikitorders.schemas.ConfigurationSummary;
import dev.twikitorders.schemas.DeadLetter;
import dev.twikitorders.schemas.ErrorType;
import dev.twikitorders.schemas.FilteredParameter;
import dev.twikitorders.schemas.FulfillmentConfiguration;
import dev.twikitorders.schemas.FulfillmentStatus;
import dev.twikitorders.schemas.LineStatus;
import dev.twikitorders.schemas.OrderEvent;
import dev.twikitorders.schemas.OrderEventType;
import dev.twikitorders.schemas.OrderLine;
import dev.twikitorders.schemas.ProductionResource;
import dev.twikitorders.schemas.SummaryParameter;
import java.nio.ByteBuffer;
import java.time.Instant;

/** Builds the output values (docs/contracts.md, "Outputs"). Stateless. */
public final class OutputMapper {
  private static final int MAX_MESSAGE_LENGTH = 2_000;

  private OutputMapper() {}

  public static ConfigurationSummary summary(
      OrderEvent event, OrderLine line, EnrichedLine enrichment, Instant enrichedAt) {
    var builder =
        ConfigurationSummary.newBuilder()
            .setOrderId(event.getOrderId())
            .setLineId(line.getLineId())
            .setEventId(event.getEventId())
            .setStatus(lineStatus(event))
            .setConfigurationId(line.getConfigurationId())
            .setSku(line.getSku())
            .setQuantity(line.getQuantity())
            .setOccurredAt(event.getOccurredAt())
            .setEnrichedAt(enrichedAt)
            .setShopId(event.getShopId())
            .setCurrency(event.getCurrency());
    if (enrichment != null) {
      builder
          .setProductTitle(enrichment.productTitle())
          .setPrice(enrichment.price())
          .setCurrency(enrichment.currency() != null ? enrichment.currency() : event.getCurrency())
          .setParameters(
              enrichment.summaryParameters().stream()
                  .map(p -> new SummaryParameter(p.name(), p.label(), p.value(), p.displayValue()))
                  .toList());
    } else {
      builder.setParameters(java.util.List.of());
    }
    return builder.build();
  }

  public static FulfillmentConfiguration fulfillment(
      OrderEvent event, OrderLine line, EnrichedLine enrichment, Instant enrichedAt) {
    var builder =
        FulfillmentConfiguration.newBuilder()
            .setOrderId(event.getOrderId())
            .setLineId(line.getLineId())
            .setEventId(event.getEventId())
            .setStatus(
                event.getEventType() == OrderEventType.ORDER_CANCELLED
                    ? FulfillmentStatus.CANCELLED
                    : FulfillmentStatus.PLACED)
            .setConfigurationId(line.getConfigurationId())
            .setQuantity(line.getQuantity())
            .setSku(line.getSku())
            .setOccurredAt(event.getOccurredAt())
            .setEnrichedAt(enrichedAt);
    if (enrichment != null) {
      builder
          .setProductTitle(enrichment.productTitle())
          .setParameters(
              enrichment.filteredParameters().stream()
                  .map(p -> new FilteredParameter(p.name(), p.value()))
                  .toList())
          .setResources(
              enrichment.resources().stream()
                  .map(r -> new ProductionResource(r.name(), r.url(), r.type()))
                  .toList());
    } else {
      builder.setParameters(java.util.List.of()).setResources(java.util.List.of());
    }
    return builder.build();
  }

  /** A dead letter; the ids may be null where unknown. */
  public static DeadLetter deadLetter(
      ErrorType errorType,
      String message,
      SourceRecord source,
      String eventId,
      String orderId,
      String lineId,
      String configurationId,
      int attempts,
      String exceptionClass,
      String replayId,
      Instant failedAt) {
    return DeadLetter.newBuilder()
        .setErrorType(errorType)
        .setMessage(truncate(message))
        .setSourceTopic(source.topic())
        .setSourcePartition(source.partition())
        .setSourceOffset(source.offset())
        .setKey(source.key() == null ? null : ByteBuffer.wrap(source.key()))
        .setValue(source.value() == null ? null : ByteBuffer.wrap(source.value()))
        .setEventId(eventId)
        .setOrderId(orderId)
        .setLineId(lineId)
        .setConfigurationId(configurationId)
        .setAttempts(attempts)
        .setFailedAt(failedAt)
        .setExceptionClass(exceptionClass)
        .setReplayId(replayId)
        .build();
  }

  private static LineStatus lineStatus(OrderEvent event) {
    return event.getEventType() == OrderEventType.ORDER_CANCELLED
        ? LineStatus.CANCELLED
        : LineStatus.PLACED;
  }

  private static String truncate(String message) {
    return message.length() <= MAX_MESSAGE_LENGTH
        ? message
        : message.substring(0, MAX_MESSAGE_LENGTH) + "…";
  }
}
