package dev.twikitorders.delivery;

import dev.twikitorders.schemas.ConfigurationSummary;
import dev.twikitorders.schemas.LineStatus;
import dev.twikitorders.schemas.SummaryParameter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Test records: configuration summaries of one order, as the pipeline writes them. */
public final class Records {

  static final String TOPIC = "erp.configuration-summaries";

  private Records() {}

  static ConfigurationSummary summary(String lineId) {
    return summary("order-1", lineId, "event-" + lineId);
  }

  /**
   * Line {@code line} of {@code order}, as the pipeline writes it (event {@code event-<order>});
   * its idempotency key is {@link #key(String, int)}.
   */
  public static ConfigurationSummary summary(String order, int line) {
    return summary(order, "line-" + line, "event-" + order);
  }

  /**
   * The idempotency key the pipeline gives {@link #summary(String, int)}: {@code
   * <eventId>:<lineId>}.
   */
  public static String key(String order, int line) {
    return "event-" + order + ":line-" + line;
  }

  private static ConfigurationSummary summary(String order, String lineId, String eventId) {
    return ConfigurationSummary.newBuilder()
        .setOrderId(order)
        .setLineId(lineId)
        .setEventId(eventId)
        .setStatus(LineStatus.PLACED)
        .setConfigurationId("6f1c2b9e-0c1d-4e2f-9a3b-5c6d7e8f9a0b")
        .setProductTitle("Lamp")
        .setSku("SKU-" + lineId)
        .setQuantity(2)
        .setPrice("129.95")
        .setCurrency("EUR")
        .setParameters(List.of(new SummaryParameter("color", "Colour", "red", "Red")))
        .setOccurredAt(Instant.parse("2026-11-29T08:15:47.123Z"))
        .setEnrichedAt(Instant.parse("2026-11-29T08:15:48Z"))
        .setShopId(null)
        .build();
  }

  /** Records line-0 .. line-(n-1) at offsets 0 .. n-1 of partition 0, key "order-1/line-i". */
  static List<DeliveryRecord> lines(int n) {
    List<DeliveryRecord> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(record(i));
    }
    return out;
  }

  static DeliveryRecord record(int i) {
    String line = "line-" + i;
    return new DeliveryRecord(
        "order-1".getBytes(StandardCharsets.UTF_8), summary(line), "order-1/" + line, TOPIC, 0, i);
  }
}
