package dev.twikitorders.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
  private static final String API_TARGET = "pipeline API calls/s at 0 ms >= 70% of raw ceiling";

  private static RoundResult row(
      String name, String mode, double callsPerSec, double steady, double otherPct) {
    return new RoundResult(
        name,
        mode,
        0,
        1000,
        2500,
        0,
        10,
        250,
        (long) (callsPerSec * 10),
        callsPerSec,
        steady,
        1,
        2,
        3,
        4,
        1,
        300,
        200,
        10,
        50,
        45,
        otherPct,
        0,
        0,
        0,
        0,
        0,
        0,
        "ok");
  }

  private static Report.Target apiTarget(RoundResult... rows) {
    Report report = new Report(List.of(rows), 50, 60, Map.of("rawSeconds", 10L));
    return report.targets().stream()
        .filter(t -> t.name().equals(API_TARGET))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void zeroMsTargetComparesTheSteadyStates() {
    Report.Target t =
        apiTarget(
            row("raw-0ms", "raw", 40_000, 40_000, 1), row("async-0ms", "async", 26_000, 30_000, 1));
    assertThat(t.status()).isEqualTo("PASS");
    assertThat(t.detail())
        .startsWith("75% (30000 vs 40000 calls/s")
        .contains("round average 26000")
        .doesNotContain("DISTURBED");
  }

  @Test
  void roundShorterThanAWindowFallsBackToTheRoundAverage() {
    Report.Target t =
        apiTarget(
            row("raw-0ms", "raw", 40_000, 40_000, 1), row("async-0ms", "async", 26_000, -1, 1));
    assertThat(t.status()).isEqualTo("FAIL");
    assertThat(t.detail()).startsWith("65% (26000 vs 40000");
  }

  @Test
  void disturbedRowsAreNamed() {
    Report.Target t =
        apiTarget(
            row("raw-0ms", "raw", 40_000, 40_000, 53),
            row("async-0ms", "async", 30_000, 31_000, 2));
    assertThat(t.detail()).contains("DISTURBED: raw-0ms other% 53");
  }
}
