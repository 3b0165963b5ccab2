package dev.twikitorders.enricher.cli;

import dev.twikitorders.enricher.records.OutputHeaders;
import dev.twikitorders.schemas.OrderEvent;
import dev.twikitorders.schemas.OrderEventType;
import dev.twikitorders.schemas.OrderLine;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A deterministic history of order events for the integration tests, with the outputs each event
 * must produce: placed orders with configured and plain lines, cancellations of earlier orders, a
 * few lines whose configuration does not exist (404), unreadable and invalid records.
 */
final class History {
  private History() {}

  /**
   * A configuration the sandbox serves (its rules: any UUID not starting with 00000000 or dead).
   */
  static String known(int n) {
    return new UUID(0x1234_5678_9abc_4defL, 0x8000_0000_0000_0000L | n).toString();
  }

  /** A configuration the sandbox answers 404 for until it is seeded. */
  static String missing(int n) {
    return String.format("00000000-0000-4000-8000-%012d", n);
  }

  /** A configuration the sandbox calls incompatible until seeded otherwise. */
  static String incompatible(int n) {
    return String.format("dead0000-0000-4000-8000-%012d", n);
  }

  static OrderEvent event(
      String eventId, String orderId, OrderEventType type, Instant at, List<OrderLine> lines) {
    return OrderEvent.newBuilder()
        .setEventId(eventId)
        .setEventType(type)
        .setOrderId(orderId)
        .setShopId("shop-1")
        .setOccurredAt(at)
        .setCurrency("EUR")
        .setCustomerId(null)
        .setLines(lines)
        .build();
  }

  /**
   * {@code n} records with timestamps spread evenly over {@code [from, from + span)}, in timestamp
   * order. Every 97th record is unreadable, every 101st invalid, every 10th a cancellation of the
   * order placed 5 records earlier, every 50th placed order has a line with a missing
   * configuration.
   */
  static List<ItStack.Input> generate(int n, Instant from, long spanMillis) {
    List<ItStack.Input> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long ts = from.toEpochMilli() + i * spanMillis / n;
      Instant at = Instant.ofEpochMilli(ts);
      String orderId = "order-" + i;
      if (i % 97 == 13) {
        out.add(new ItStack.Input(orderId, null, "not avro".getBytes(StandardCharsets.UTF_8), ts));
      } else if (i % 101 == 7) {
        OrderEvent bad =
            event("e-" + i, orderId, OrderEventType.ORDER_PLACED, at, List.of(line(i, 0)));
        bad.setCurrency("euro");
        out.add(new ItStack.Input(orderId, bad, null, ts));
      } else if (i % 10 == 9
          && out.get(i - 5).event() != null
          && out.get(i - 5).event().getCurrency().equals("EUR")) {
        OrderEvent placed = out.get(i - 5).event();
        out.add(
            new ItStack.Input(
                placed.getOrderId(),
                event(
                    "e-" + i,
                    placed.getOrderId(),
                    OrderEventType.ORDER_CANCELLED,
                    at,
                    placed.getLines()),
                null,
                ts));
      } else {
        List<OrderLine> lines = new ArrayList<>();
        for (int j = 0; j < 1 + i % 3; j++) {
          lines.add(line(i, j));
        }
        if (i % 50 == 25) {
          lines.add(new OrderLine("L9", "SKU-MISSING", 1, missing(i)));
        }
        out.add(
            new ItStack.Input(
                orderId,
                event("e-" + i, orderId, OrderEventType.ORDER_PLACED, at, lines),
                null,
                ts));
      }
    }
    return out;
  }

  private static OrderLine line(int i, int j) {
    boolean configured = (i + j) % 4 != 0;
    return new OrderLine(
        "L" + j, "SKU-" + i + "-" + j, 1 + j, configured ? known(i * 10 + j) : null);
  }

  /** The outputs one written input must produce, by idempotency key. */
  record Expected(List<String> erp, List<String> deadLetters) {}

  /**
   * @param unknown whether a configuration id is dead-lettered (404 or incompatible)
   */
  static Expected expected(
      ItStack.Written w, String topic, java.util.function.Predicate<String> unknown) {
    OrderEvent e = w.input().event();
    if (e == null) {
      return new Expected(List.of(), List.of(w.source(topic)));
    }
    if (!e.getCurrency().equals("EUR")) {
      return new Expected(List.of(), List.of(e.getEventId()));
    }
    List<String> erp = new ArrayList<>();
    List<String> dlq = new ArrayList<>();
    for (OrderLine l : e.getLines()) {
      if (l.getConfigurationId() == null) {
        continue;
      }
      String key = OutputHeaders.idempotencyKey(e.getEventId(), l.getLineId());
      if (e.getEventType() == OrderEventType.ORDER_PLACED && unknown.test(l.getConfigurationId())) {
        dlq.add(key);
      } else {
        erp.add(key);
      }
    }
    return new Expected(erp, dlq);
  }

  static boolean isMissing(String configurationId) {
    return configurationId != null
        && (configurationId.startsWith("00000000") || configurationId.startsWith("dead"));
  }
}
