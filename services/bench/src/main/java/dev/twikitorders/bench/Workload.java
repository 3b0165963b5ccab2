package dev.twikitorders.bench;

import dev.twikitorders.schemas.OrderEvent;
import dev.twikitorders.schemas.OrderEventType;
import dev.twikitorders.schemas.OrderLine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The benchmark's orders: seeded, 1-4 lines each (mean 2.5), every line configured with a UUID the
 * sandbox serves as an existing, compatible configuration (its rules: first group {@code 00000000}
 * is unknown, {@code dead...} incompatible; neither is generated). Orders share order ids when
 * {@code keyShare > 1} (order i has id {@code i / keyShare}), so per-order ordering is checked
 * across events as well as across the lines of one event.
 *
 * <p>Immutable; thread-safe.
 */
public final class Workload {
  /** One order event to produce: its position, its ids and its lines. */
  public record Order(
      int seq,
      String eventId,
      String orderId,
      List<String> lineIds,
      List<String> configurationIds) {
    public int lines() {
      return lineIds.size();
    }

    /** The Avro event, {@code occurredAt} = {@code at} (the moment it is produced). */
    public OrderEvent toEvent(Instant at) {
      List<OrderLine> lines = new ArrayList<>(lineIds.size());
      for (int i = 0; i < lineIds.size(); i++) {
        lines.add(
            new OrderLine(
                lineIds.get(i),
                "SKU-" + (100 + (seq + i) % 900),
                1 + i % 3,
                configurationIds.get(i)));
      }
      return OrderEvent.newBuilder()
          .setEventId(eventId)
          .setEventType(OrderEventType.ORDER_PLACED)
          .setOrderId(orderId)
          .setShopId("bench-shop")
          .setOccurredAt(at)
          .setCurrency("EUR")
          .setCustomerId("customer-" + seq % 1000)
          .setLines(lines)
          .build();
    }
  }

  private final List<Order> orders;
  private final long lines;

  private Workload(List<Order> orders) {
    this.orders = List.copyOf(orders);
    this.lines = orders.stream().mapToLong(Order::lines).sum();
  }

  /**
   * {@code count} orders; ids are prefixed with {@code runId} so that rounds never collide.
   *
   * @param keyShare events per order id (1 = every event its own order)
   */
  public static Workload generate(String runId, int count, long seed, int keyShare) {
    return generate(runId, seed, keyShare, count, Long.MAX_VALUE);
  }

  /** Orders until their lines reach {@code lines} (at least one order). */
  public static Workload withLines(String runId, long lines, long seed, int keyShare) {
    return generate(runId, seed, keyShare, Integer.MAX_VALUE, lines);
  }

  private static Workload generate(
      String runId, long seed, int keyShare, int maxOrders, long maxLines) {
    if (keyShare < 1) {
      throw new IllegalArgumentException("keyShare must be at least 1");
    }
    Random random = new Random(seed);
    List<Order> orders = new ArrayList<>();
    long lines = 0;
    for (int i = 0; i < maxOrders && (orders.isEmpty() || lines < maxLines); i++) {
      int n = 1 + random.nextInt(4);
      List<String> lineIds = new ArrayList<>(n);
      List<String> configurationIds = new ArrayList<>(n);
      for (int l = 1; l <= n; l++) {
        lineIds.add(String.valueOf(l));
        // top nibble 1..7: never 0000... (unknown) nor dead... (incompatible) by the sandbox's
        // rules
        long msb = (random.nextLong() & 0x0FFF_FFFF_FFFF_FFFFL) | ((1L + random.nextInt(7)) << 60);
        configurationIds.add(new UUID(msb, random.nextLong()).toString());
      }
      String orderId = String.format("%s-order-%07d", runId, i / keyShare);
      orders.add(
          new Order(i, String.format("%s-evt-%07d", runId, i), orderId, lineIds, configurationIds));
      lines += n;
    }
    return new Workload(orders);
  }

  public List<Order> orders() {
    return orders;
  }

  /** Configured lines in total. */
  public long lines() {
    return lines;
  }

  /** API calls the pipeline must make: three lookups per line and one batch update per order. */
  public long expectedCalls() {
    return 3 * lines + orders.size();
  }
}
