package dev.twikitorders.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.bench.Tally.Output;
import java.util.List;
import org.junit.jupiter.api.Test;

class TallyTest {

  @Test
  void nearestRankPercentiles() {
    Percentiles p = Percentiles.of(new long[] {50, 10, 40, 20, 30, 60, 70, 80, 90, 100});
    assertThat(p.at(50)).isEqualTo(50);
    assertThat(p.at(95)).isEqualTo(100);
    assertThat(p.at(99)).isEqualTo(100);
    assertThat(p.at(10)).isEqualTo(10);
    assertThat(p.at(11)).isEqualTo(20);
    assertThat(p.max()).isEqualTo(100);
    assertThat(Percentiles.of(new long[] {7}).at(99)).isEqualTo(7);
    assertThat(Percentiles.of(new long[0]).at(50)).isEqualTo(-1);
    assertThatThrownBy(() -> p.at(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void workloadIsSeededAndSharesOrderIds() {
    Workload a = Workload.generate("r", 100, 42, 2);
    Workload b = Workload.generate("r", 100, 42, 2);
    assertThat(a.orders()).isEqualTo(b.orders());
    assertThat(a.orders().get(0).orderId()).isEqualTo(a.orders().get(1).orderId());
    assertThat(a.orders().get(1).orderId()).isNotEqualTo(a.orders().get(2).orderId());
    assertThat(a.orders())
        .allSatisfy(
            o -> {
              assertThat(o.lines()).isBetween(1, 4);
              assertThat(o.configurationIds())
                  .noneMatch(id -> id.startsWith("00000000") || id.startsWith("dead"));
            });
    assertThat(a.expectedCalls()).isEqualTo(3 * a.lines() + 100);
    assertThat(Workload.withLines("r", 1000, 1, 1).lines()).isBetween(1000L, 1003L);
  }

  @Test
  void completeExactlyOnceInOrder() {
    Workload w = Workload.generate("r", 10, 1, 2);
    Tally t = new Tally();
    t.expect(w, true);
    produceAndDeliver(t, w, 1000, 1100);
    Tally.Summary s = t.summary();
    assertThat(s.correct()).as(s.problems()).isTrue();
    assertThat(s.complete()).isEqualTo(w.lines());
    assertThat(s.latency().at(50)).isEqualTo(100);
    assertThat(s.firstProducedAt()).isEqualTo(1000);
    assertThat(s.lastCompleteAt()).isEqualTo(1100);
  }

  @Test
  void detectsMissingDuplicatesUnknownAndDeadLetters() {
    Workload w = Workload.generate("r", 3, 1, 1);
    Tally t = new Tally();
    t.expect(w, true);
    Workload.Order first = w.orders().get(0);
    String key = first.eventId() + ":" + first.lineIds().get(0);
    t.record(Output.ERP, first.orderId(), key, 1);
    t.record(Output.ERP, first.orderId(), key, 2);
    t.record(Output.FULFILLMENT, "some-other-order", key, 2);
    t.record(Output.FULFILLMENT, first.orderId(), "nope:1", 2);
    t.record(Output.DEAD_LETTER, first.orderId(), null, 3);
    Tally.Summary s = t.summary();
    assertThat(s.correct()).isFalse();
    assertThat(s.duplicates()).isEqualTo(1);
    assertThat(s.unknown()).isEqualTo(2);
    assertThat(s.deadLetters()).isEqualTo(1);
    assertThat(s.missingErp()).isEqualTo(w.lines() - 1);
    assertThat(s.missingFulfillment()).isEqualTo(w.lines());
    assertThat(s.problems()).contains("duplicate", "missing", "dead letters");
  }

  @Test
  void detectsOrderViolationsAcrossEventsOfOneOrder() {
    Workload w = Workload.generate("r", 2, 3, 2); // both events share one order id
    Workload.Order e0 = w.orders().get(0);
    Workload.Order e1 = w.orders().get(1);
    assertThat(e0.orderId()).isEqualTo(e1.orderId());
    Tally t = new Tally();
    t.expect(w, true);
    // fulfillment in order; ERP: the second event's first line overtakes the first event's lines
    for (Workload.Order o : List.of(e0, e1)) {
      for (String line : o.lineIds()) {
        t.record(Output.FULFILLMENT, o.orderId(), o.eventId() + ":" + line, 5);
      }
    }
    t.record(Output.ERP, e1.orderId(), e1.eventId() + ":" + e1.lineIds().get(0), 5);
    for (String line : e0.lineIds()) {
      t.record(Output.ERP, e0.orderId(), e0.eventId() + ":" + line, 5);
    }
    for (String line : e1.lineIds().subList(1, e1.lines())) {
      t.record(Output.ERP, e1.orderId(), e1.eventId() + ":" + line, 5);
    }
    Tally.Summary s = t.summary();
    assertThat(s.orderViolations()).isEqualTo(e0.lines());
    assertThat(s.missingErp()).isZero();
    assertThat(s.duplicates()).isZero();
    assertThat(s.correct()).isFalse();
  }

  @Test
  void warmUpLinesAreVerifiedButNotMeasured() {
    Workload warm = Workload.generate("w", 5, 1, 1);
    Workload measured = Workload.generate("m", 5, 2, 1);
    Tally t = new Tally();
    t.expect(warm, false);
    t.expect(measured, true);
    produceAndDeliver(t, warm, 0, 5000);
    produceAndDeliver(t, measured, 10_000, 10_020);
    Tally.Summary s = t.summary();
    assertThat(s.correct()).isTrue();
    assertThat(s.measuredComplete()).isEqualTo(measured.lines());
    assertThat(s.firstProducedAt()).isEqualTo(10_000);
    assertThat(s.latency().max()).isEqualTo(20);
  }

  @Test
  void gcLogPeakAndLiveSet() {
    GcLog gc =
        GcLog.parse(
            List.of(
                "[0.512s][info][gc] Using G1",
                "[1.234s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->3M(260M) 2.500ms",
                "[2.345s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 150M->40M(260M) 4.000ms",
                "[3.000s][info][gc] GC(2) Pause Young (Concurrent Start) (G1 Humongous Allocation) 1G->100M(1G) 1.500ms"));
    assertThat(gc.peakUsedMb()).isEqualTo(1024);
    assertThat(gc.maxLiveMb()).isEqualTo(100);
    assertThat(gc.collections()).isEqualTo(3);
    assertThat(gc.pauseMs()).isEqualTo(8.0);
  }

  @Test
  void gcLogTakesTheLiveSetFromFullCollectionsWhenThereAreAny() {
    GcLog gc =
        GcLog.parse(
            List.of(
                "[1.407s][info][gc] GC(0) Pause Full (Metadata GC Threshold) 78M->10M(362M) 42.258ms",
                "[40.0s][info][gc] GC(5) Pause Young (Allocation Failure) 300M->200M(480M) 8.000ms",
                "[57.201s][info][gc] GC(6) Pause Young (Allocation Failure) 467M->480M(480M) 48.000ms",
                "[57.299s][info][gc] GC(7) Pause Full (Allocation Failure) 480M->80M(335M) 97.000ms",
                "[69.787s][info][gc] GC(8) Pause Full (Ergonomics) 467M->84M(348M) 103.000ms"));
    assertThat(gc.peakUsedMb()).isEqualTo(480);
    assertThat(gc.maxLiveMb()).isEqualTo(84);
    assertThat(gc.collections()).isEqualTo(5);
  }

  private static void produceAndDeliver(Tally t, Workload w, long producedAt, long seenAt) {
    for (Workload.Order o : w.orders()) {
      t.produced(o, producedAt);
    }
    for (Workload.Order o : w.orders()) {
      for (String line : o.lineIds()) {
        t.record(Output.ERP, o.orderId(), o.eventId() + ":" + line, seenAt);
        t.record(Output.FULFILLMENT, o.orderId(), o.eventId() + ":" + line, seenAt);
      }
    }
  }
}
