package dev.twikitorders.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.bench.SoakTally.Expect;
import dev.twikitorders.bench.SoakTally.Output;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SoakTallyTest {

  /** One order o1: two enriched lines, one unknown configuration, then a cancellation of both. */
  private static SoakTally orderWithCancellation() {
    SoakTally t = new SoakTally();
    t.expect("o1-p:1", "o1", 0, Expect.ENRICHED);
    t.expect("o1-p:2", "o1", 1, Expect.ENRICHED);
    t.expect("o1-p:3", "o1", 2, Expect.DEAD_LETTER);
    t.expect("o1-c:1", "o1", 16, Expect.CANCELLED);
    t.expect("o1-c:2", "o1", 17, Expect.CANCELLED);
    t.expect("o2-p", "o2", 32, Expect.EVENT_DEAD_LETTER);
    return t;
  }

  private static void both(SoakTally t, String key, long at) {
    t.record(Output.ERP, "o1", key, null, at, at + 5);
    t.record(Output.FULFILLMENT, "o1", key, null, at, at + 5);
  }

  @Test
  void everyOutcomeOnceInOrderIsOk() {
    SoakTally t = orderWithCancellation();
    both(t, "o1-p:1", 1000);
    t.record(Output.DEAD_LETTER, "o1", "o1-p:3", "NOT_FOUND", 1000, 1005);
    both(t, "o1-p:2", 1000);
    both(t, "o1-c:1", 3000);
    both(t, "o1-c:2", 3000);
    t.record(Output.DEAD_LETTER, "o2", "o2-p", "INVALID_EVENT", 3100, 3105);
    // an unreadable record's dead letter read before its send was acknowledged
    t.record(Output.DEAD_LETTER, null, "in/0/7", "UNREADABLE", 3200, 3205);
    t.expect("in/0/7", null, 0, Expect.EVENT_DEAD_LETTER);

    SoakTally.Verdict v = t.verdict();
    assertThat(v.problems()).isEmpty();
    assertThat(v.ok()).isTrue();
    assertThat(t.done()).isEqualTo(t.expected()).isEqualTo(7);
    assertThat(t.deadLettersByReason())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("INVALID_EVENT", 1L, "NOT_FOUND", 1L, "UNREADABLE", 1L));
    assertThat(t.longestGap(true, 900, 3200)).isEqualTo(new SoakTally.Gap(2000, 1000, 3000));
    assertThat(t.firstEmittedSince(2500)).containsExactly(3000, 3005);
    assertThat(t.firstEmittedSince(4000)).isNull();
  }

  @Test
  void aDeadLetterInsteadOfEnrichmentIsToleratedAndReported() {
    SoakTally t = new SoakTally();
    t.expect("o1-p:1", "o1", 0, Expect.ENRICHED);
    t.record(Output.DEAD_LETTER, "o1", "o1-p:1", "RETRIES_EXHAUSTED", 1, 1);
    SoakTally.Verdict v = t.verdict();
    assertThat(v.ok()).isTrue();
    assertThat(v.deadLetteredInsteadOfEnriched()).containsEntry("RETRIES_EXHAUSTED", 1L);
  }

  @Test
  void detectsLossDuplicatesConflictsWrongOutcomesUnknownsAndReordering() {
    SoakTally t = orderWithCancellation();
    both(t, "o1-p:2", 1000);
    both(t, "o1-p:1", 1000); // after line 2 on both topics: two reorderings
    t.record(Output.ERP, "o1", "o1-p:1", null, 1001, 1006); // duplicate
    both(t, "o1-p:3", 1000); // an unknown configuration enriched
    t.record(Output.ERP, "o1", "o1-c:1", null, 3000, 3005); // no fulfillment record: lost
    both(t, "o1-c:2", 3000);
    t.record(Output.DEAD_LETTER, "o1", "o1-c:2", "PROCESSING_ERROR", 3000, 3005); // conflicting
    t.record(Output.ERP, "o9", "o9-p:1", null, 3000, 3005); // never produced
    t.record(Output.ERP, "o3", "o1-p:2", null, 3000, 3005); // wrong key
    // o2-p: no dead letter at all: lost

    SoakTally.Verdict v = t.verdict();
    assertThat(v.ok()).isFalse();
    assertThat(v.lost()).isEqualTo(2);
    assertThat(v.duplicates()).isEqualTo(1); // o1-p:1 twice on ERP (o1-p:2 counts as unknown)
    assertThat(v.conflicting()).isEqualTo(1);
    assertThat(v.wrongOutcome()).isEqualTo(1);
    assertThat(v.unknown()).isEqualTo(4); // o9-p:1, and o1-p:2's three records under a wrong key
    // o1-p:1 after o1-p:2 on both topics, and its duplicate on the ERP topic once more
    assertThat(v.orderViolations()).isEqualTo(3);
    assertThat(v.problems())
        .hasSize(6)
        .anySatisfy(p -> assertThat(p).startsWith("2 LOST").contains("o1-c:1 (no fulfillment)"))
        .anySatisfy(p -> assertThat(p).startsWith("3 REORDERED").contains("o1-p:1"));
  }

  @Test
  void anOutcomeIsExpectedOnce() {
    SoakTally t = new SoakTally();
    t.expect("k", "o", 0, Expect.ENRICHED);
    assertThatThrownBy(() -> t.expect("k", "o", 0, Expect.ENRICHED))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void silentEndsCountAsGaps() {
    SoakTally t = new SoakTally();
    t.record(Output.ERP, "o", "k", null, 1500, 1600);
    assertThat(t.longestGap(true, 1000, 5000)).isEqualTo(new SoakTally.Gap(3500, 1500, 5000));
    assertThat(t.longestGap(false, 1000, 1700)).isEqualTo(new SoakTally.Gap(600, 1000, 1600));
  }

  @Test
  void defaultScheduleScalesWithTheLength() {
    FaultSchedule ten = FaultSchedule.defaults(Duration.ofMinutes(10));
    assertThat(ten.of(FaultSchedule.Action.KILL_AND_RESTART)).hasSize(3);
    assertThat(ten.of(FaultSchedule.Action.BURST_429_START)).hasSize(4);
    assertThat(ten.of(FaultSchedule.Action.SECOND_INSTANCE_JOINS)).hasSize(1);
    assertThat(ten.of(FaultSchedule.Action.SECOND_INSTANCE_LEAVES)).hasSize(1);
    assertThat(
            window(ten, FaultSchedule.Action.API_OUTAGE_START, FaultSchedule.Action.API_OUTAGE_END))
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(
            window(
                ten,
                FaultSchedule.Action.TOKEN_OUTAGE_START,
                FaultSchedule.Action.TOKEN_OUTAGE_END))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(
            window(ten, FaultSchedule.Action.BURST_429_START, FaultSchedule.Action.BURST_429_END))
        .isEqualTo(Duration.ofSeconds(12));
    for (int minutes : new int[] {1, 3, 10, 60}) {
      FaultSchedule s = FaultSchedule.defaults(Duration.ofMinutes(minutes));
      List<FaultSchedule.Step> steps = s.steps();
      assertThat(steps)
          .hasSize(ten.steps().size())
          .isSortedAccordingTo((x, y) -> x.at().compareTo(y.at()));
      assertThat(steps.get(steps.size() - 1).at()).isLessThan(s.length());
      // the second instance leaves after it joined, and the API outage ends before the second kill
      assertThat(s.of(FaultSchedule.Action.SECOND_INSTANCE_LEAVES).get(0).at())
          .isGreaterThan(s.of(FaultSchedule.Action.SECOND_INSTANCE_JOINS).get(0).at());
      List<FaultSchedule.Step> kills = s.of(FaultSchedule.Action.KILL_AND_RESTART);
      assertThat(kills.get(2).at().minus(kills.get(1).at()))
          .isGreaterThanOrEqualTo(Duration.ofSeconds(Math.min(60, s.length().toSeconds() - 37)));
      if (minutes >= 3) {
        assertThat(s.of(FaultSchedule.Action.API_OUTAGE_END).get(0).at())
            .isLessThanOrEqualTo(kills.get(1).at());
      }
    }
    assertThatThrownBy(() -> FaultSchedule.defaults(Duration.ofSeconds(30)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Duration window(
      FaultSchedule s, FaultSchedule.Action start, FaultSchedule.Action end) {
    return s.of(end).get(0).at().minus(s.of(start).get(0).at());
  }

  @Test
  void scrapesThePipelineCounters() {
    String text =
        """
        # HELP order_enricher_pauses_total times a failure of the whole system paused the pipeline
        # TYPE order_enricher_pauses_total counter
        order_enricher_pauses_total{application="x",cause="SCHEMA_REGISTRY"} 0.0
        order_enricher_pauses_total{application="x",cause="TWIKIT_UNAUTHORIZED"} 2.0
        order_enricher_twikit_failed_attempts_total{kind="UNAVAILABLE"} 17.0
        order_enricher_dead_letters_total{error_type="NOT_FOUND"} 3.0
        order_enricher_events_read_total 99.0
        """;
    assertThat(MetricsScrape.parse(text))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                MetricsScrape.PAUSES, Map.of("TWIKIT_UNAUTHORIZED", 2.0),
                MetricsScrape.FAILED_ATTEMPTS, Map.of("UNAVAILABLE", 17.0),
                MetricsScrape.DEAD_LETTERS, Map.of("NOT_FOUND", 3.0)));
  }
}
