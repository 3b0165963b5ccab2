package dev.twikitorders.devstack;

import dev.twikitorders.schemas.OrderEvent;
import dev.twikitorders.schemas.OrderEventType;
import dev.twikitorders.schemas.OrderLine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A deterministic (seeded) batch of sample order events for the demo: orders with one to four
 * lines, some configured and some plain, a share of them cancelled later, and a few bad ones:
 * unreadable bytes, an invalid event, configurations the sandbox does not know (UUIDs starting
 * {@code 00000000}) and incompatible ones (UUIDs starting {@code dead}), following the sandbox's
 * data rules.
 *
 * <p>Also computes what the pipeline must produce for them (the conservation invariant).
 */
public final class SampleOrders {
  /** One record to produce: either an event or raw (unreadable) bytes. */
  public record Item(String key, OrderEvent event, byte[] raw) {}

  /** What the outputs must hold once everything is processed. */
  public record Expected(
      long erp, long fulfillment, long deadLetters, long enrichedLines, long cancelledLines) {}

  private final List<Item> items = new ArrayList<>();
  private long erp;
  private long deadLetters;
  private long enriched;
  private long cancelled;

  private SampleOrders() {}

  public static SampleOrders generate(int orders, long seed, Instant now) {
    SampleOrders s = new SampleOrders();
    Random random = new Random(seed);
    List<OrderEvent> toCancel = new ArrayList<>();
    for (int i = 1; i <= orders; i++) {
      String orderId = String.format("order-%06d", i);
      int lines = 1 + random.nextInt(4);
      List<OrderLine> orderLines = new ArrayList<>();
      for (int l = 1; l <= lines; l++) {
        String configurationId = null;
        int kind = random.nextInt(100);
        if (kind < 70) {
          configurationId =
              new UUID(random.nextLong() | 0x1000_0000_0000_0000L, random.nextLong()).toString();
          if (configurationId.startsWith("dead") || configurationId.startsWith("00000000")) {
            configurationId = "1" + configurationId.substring(1);
          }
        } else if (kind < 73) {
          configurationId =
              "00000000-" + new UUID(random.nextLong(), random.nextLong()).toString().substring(9);
        } else if (kind < 75) {
          configurationId =
              "dead" + new UUID(random.nextLong(), random.nextLong()).toString().substring(4);
        }
        orderLines.add(
            new OrderLine(
                String.valueOf(l),
                "SKU-" + (100 + random.nextInt(900)),
                1 + random.nextInt(3),
                configurationId));
      }
      OrderEvent placed =
          event(
              "evt-" + orderId + "-placed", orderId, OrderEventType.ORDER_PLACED, now, orderLines);
      s.add(placed);
      if (random.nextInt(100) < 10) {
        toCancel.add(
            event(
                "evt-" + orderId + "-cancelled",
                orderId,
                OrderEventType.ORDER_CANCELLED,
                now,
                orderLines));
      }
    }
    toCancel.forEach(s::add);
    // a few bad records
    s.items.add(new Item("order-bad-1", null, new byte[] {0, 0, 0, 0, 1, 42, 42}));
    s.items.add(
        new Item(
            "order-bad-2",
            null,
            "{\"not\":\"avro\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    s.deadLetters += 2;
    s.add(
        event(
            "evt-invalid-1",
            "order-invalid-1",
            OrderEventType.ORDER_PLACED,
            now,
            List.of(new OrderLine("1", "SKU-1", 0, UUID.randomUUID().toString()))));
    return s;
  }

  private static OrderEvent event(
      String eventId, String orderId, OrderEventType type, Instant at, List<OrderLine> lines) {
    return OrderEvent.newBuilder()
        .setEventId(eventId)
        .setEventType(type)
        .setOrderId(orderId)
        .setShopId("demo-shop")
        .setOccurredAt(at)
        .setCurrency("EUR")
        .setCustomerId("customer-" + Math.abs(orderId.hashCode() % 1000))
        .setLines(lines)
        .build();
  }

  private void add(OrderEvent event) {
    items.add(new Item(event.getOrderId(), event, null));
    boolean invalid = event.getLines().stream().anyMatch(l -> l.getQuantity() <= 0);
    if (invalid) {
      deadLetters++;
      return;
    }
    for (OrderLine line : event.getLines()) {
      String id = line.getConfigurationId();
      if (id == null) {
        continue;
      }
      if (event.getEventType() == OrderEventType.ORDER_CANCELLED) {
        erp++;
        cancelled++;
      } else if (id.startsWith("00000000") || id.startsWith("dead")) {
        deadLetters++;
      } else {
        erp++;
        enriched++;
      }
    }
  }

  public List<Item> items() {
    return List.copyOf(items);
  }

  public Expected expected() {
    return new Expected(erp, erp, deadLetters, enriched, cancelled);
  }
}
