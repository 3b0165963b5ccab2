package dev.twikitorders.enricher.records;

import dev.twikitorders.schemas.OrderEvent;
import dev.twikitorders.schemas.OrderEventType;
import dev.twikitorders.schemas.OrderLine;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Test data builders. */
public final class Orders {
  private Orders() {}

  public static OrderLine configured(String lineId, String configurationId) {
    return new OrderLine(lineId, "SKU-" + lineId, 1, configurationId);
  }

  public static OrderLine plain(String lineId) {
    return new OrderLine(lineId, "PLAIN-" + lineId, 2, null);
  }

  public static String uuid(int n) {
    return new UUID(0x1234_5678_9abc_4defL, n).toString();
  }

  public static OrderEvent placed(String eventId, String orderId, OrderLine... lines) {
    return event(eventId, orderId, OrderEventType.ORDER_PLACED, lines);
  }

  public static OrderEvent cancelled(String eventId, String orderId, OrderLine... lines) {
    return event(eventId, orderId, OrderEventType.ORDER_CANCELLED, lines);
  }

  public static OrderEvent event(
      String eventId, String orderId, OrderEventType type, OrderLine... lines) {
    return OrderEvent.newBuilder()
        .setEventId(eventId)
        .setEventType(type)
        .setOrderId(orderId)
        .setShopId("shop-1")
        .setOccurredAt(Instant.parse("2026-11-23T10:00:00Z"))
        .setCurrency("EUR")
        .setCustomerId(null)
        .setLines(List.of(lines))
        .build();
  }
}
