package dev.twikitorders.registry.testing;

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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Sample records of every schema, with millisecond timestamps (timestamp-millis drops anything
 * finer).
 */
public final class TestRecords {
  public static final Instant OCCURRED = Instant.parse("2026-03-01T10:15:30.123Z");
  public static final Instant ENRICHED = Instant.parse("2026-03-01T10:15:31.456Z");

  private TestRecords() {}

  public static OrderEvent orderEvent() {
    return OrderEvent.newBuilder()
        .setEventId("evt-1")
        .setEventType(OrderEventType.ORDER_PLACED)
        .setOrderId("order-42")
        .setShopId("shop-7")
        .setOccurredAt(OCCURRED)
        .setCurrency("EUR")
        .setCustomerId(null)
        .setLines(
            List.of(
                OrderLine.newBuilder()
                    .setLineId("l1")
                    .setSku("CHAIR-1")
                    .setQuantity(2)
                    .setConfigurationId("3f2b8c1e-0d7a-4f4e-9a51-2c6a9d0e1b77")
                    .build(),
                OrderLine.newBuilder()
                    .setLineId("l2")
                    .setSku("PLAIN-9")
                    .setQuantity(1)
                    .setConfigurationId(null)
                    .build()))
        .build();
  }

  public static ConfigurationSummary summary() {
    return ConfigurationSummary.newBuilder()
        .setOrderId("order-42")
        .setLineId("l1")
        .setEventId("evt-1")
        .setStatus(LineStatus.PLACED)
        .setConfigurationId("3f2b8c1e-0d7a-4f4e-9a51-2c6a9d0e1b77")
        .setProductTitle("Chair")
        .setSku("CHAIR-1")
        .setQuantity(2)
        .setPrice("129.95")
        .setCurrency("EUR")
        .setParameters(
            List.of(
                SummaryParameter.newBuilder()
                    .setName("color")
                    .setLabel("Colour")
                    .setValue("#ff0000")
                    .setDisplayValue("Red")
                    .build()))
        .setOccurredAt(OCCURRED)
        .setEnrichedAt(ENRICHED)
        .setShopId("shop-7")
        .build();
  }

  public static FulfillmentConfiguration fulfillment() {
    return FulfillmentConfiguration.newBuilder()
        .setOrderId("order-42")
        .setLineId("l1")
        .setEventId("evt-1")
        .setStatus(FulfillmentStatus.CANCELLED)
        .setConfigurationId("3f2b8c1e-0d7a-4f4e-9a51-2c6a9d0e1b77")
        .setProductTitle(null)
        .setQuantity(2)
        .setParameters(
            List.of(FilteredParameter.newBuilder().setName("width").setValue("80").build()))
        .setResources(
            List.of(
                ProductionResource.newBuilder()
                    .setName("cut")
                    .setUrl("https://files.example/cut.dxf")
                    .setType("dxf")
                    .build()))
        .setOccurredAt(OCCURRED)
        .setEnrichedAt(ENRICHED)
        .setSku("CHAIR-1")
        .build();
  }

  public static DeadLetter deadLetter() {
    return DeadLetter.newBuilder()
        .setErrorType(ErrorType.UNREADABLE)
        .setMessage("unknown magic byte 7")
        .setSourceTopic("order-events")
        .setSourcePartition(3)
        .setSourceOffset(12345L)
        .setKey(ByteBuffer.wrap("order-42".getBytes(StandardCharsets.UTF_8)))
        .setValue(ByteBuffer.wrap(new byte[] {7, 1, 2, 3}))
        .setEventId(null)
        .setOrderId("order-42")
        .setLineId(null)
        .setConfigurationId(null)
        .setAttempts(1)
        .setFailedAt(ENRICHED)
        .setExceptionClass("SerializationException")
        .setReplayId(null)
        .build();
  }
}
