package dev.twikitorders.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.sandbox.sink.SinkItem;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The delivery round's order check and its report rows (pure: no stack, no child JVM). */
class DeliveryBenchTest {
  private static final String PREFIX = "b1r1d-m";

  /** Keys as the round builds them: {@code <prefix><index>:o<order>-l<line>}. */
  private static List<SinkItem> arrivals(String... keys) {
    List<SinkItem> items = new ArrayList<>();
    for (String key : keys) {
      items.add(new SinkItem(items.size(), "bench", key, null, "{}", Instant.EPOCH, false));
    }
    return items;
  }

  @Test
  void recordsOfOneOrderInTopicOrderAreNoViolation() {
    // two orders: indexes 0,2 belong to order 0 and 1,3 to order 1; the orders interleave freely
    assertThat(
            DeliveryBench.orderViolations(
                arrivals(
                    PREFIX + "1:o1-l0", PREFIX + "0:o0-l0", PREFIX + "3:o1-l1", PREFIX + "2:o0-l1"),
                PREFIX))
        .isZero();
  }

  @Test
  void aLaterRecordOfAnOrderBeforeAnEarlierOneIsAViolation() {
    assertThat(
            DeliveryBench.orderViolations(
                arrivals(PREFIX + "2:o0-l1", PREFIX + "0:o0-l0", PREFIX + "1:o1-l0"), PREFIX))
        .isEqualTo(1);
  }

  @Test
  void aRedeliveryIsADuplicateNotAViolationAndOtherKeysAreIgnored() {
    assertThat(
            DeliveryBench.orderViolations(
                arrivals(
                    PREFIX + "0:o0-l0",
                    PREFIX + "2:o0-l1",
                    PREFIX + "0:o0-l0",
                    "b1r1d-w5:o0-l9",
                    PREFIX + "4:o0-l2"),
                PREFIX))
        .isZero();
  }

  @Test
  void theReportPrintsTheDeliveryRowAndItsVerdict() {
    DeliveryRoundResult ok =
        new DeliveryRoundResult(
            "delivery", 20_000, 100, 5, 50, 6, 2.5, 8000, 20_003, 3, 0, 0, 0, 0, "ok");
    DeliveryRoundResult broken =
        new DeliveryRoundResult(
            "delivery", 200, 1, 5, 50, 6, 2.0, 100, 199, 0, 1, 0, 0, 0, "1 missing");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new Report(List.of(), 50, 60, Map.of(), List.of(ok, broken))
        .print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();

    assertThat(lines.get(0)).contains("records/s", "batch", "dups", "verified");
    assertThat(lines.get(1).split("\\s+"))
        .containsExactly(
            "delivery", "20000", "100", "50", "5", "6", "2.5", "8000.0", "3", "yes", "ok");
    assertThat(lines.get(2)).contains("200", "no", "1 missing");
    assertThat(ok.verified()).isTrue();
    assertThat(broken.verified()).isFalse();
    assertThat(lines).noneMatch(l -> l.startsWith("targets:"));
  }
}
