package dev.twikitorders.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scraped client meters, the settled limit, and the capacity and rate-limit targets. */
class ClientMetersTest {

  private static String scrape(double limit, double rate, long fast, long slow) {
    // two label sets of one histogram: summed per bucket bound
    return "# HELP twikit_client_concurrency_limit ...\n"
        + "twikit_client_concurrency_limit{client=\"twikit\"} "
        + limit
        + "\n"
        + "twikit_client_inflight{client=\"twikit\"} 12.0\n"
        + "twikit_client_rate_limit{client=\"twikit\"} "
        + rate
        + "\n"
        + "twikit_client_attempts_seconds_bucket{op=\"summary\",outcome=\"ok\",le=\"0.05\"} "
        + fast
        + "\n"
        + "twikit_client_attempts_seconds_bucket{op=\"summary\",outcome=\"ok\",le=\"0.1\"} "
        + (fast + slow)
        + "\n"
        + "twikit_client_attempts_seconds_bucket{op=\"summary\",outcome=\"ok\",le=\"+Inf\"} "
        + (fast + slow)
        + "\n"
        + "twikit_client_attempts_seconds_bucket{op=\"filtered\",outcome=\"ok\",le=\"0.05\"} 0\n"
        + "twikit_client_attempts_seconds_bucket{op=\"filtered\",outcome=\"ok\",le=\"0.1\"} 0\n"
        + "twikit_client_attempts_seconds_bucket{op=\"filtered\",outcome=\"ok\",le=\"+Inf\"} 0\n";
  }

  @Test
  void parsesTheGauges() {
    ClientMeters.Sample s = ClientMeters.parse(1, scrape(212, 0, 90, 10));
    assertThat(s.limit()).isEqualTo(212.0);
    assertThat(s.inFlight()).isEqualTo(12.0);
    assertThat(s.rate()).isZero();
    assertThat(ClientMeters.parse(2, scrape(20, 1800.5, 0, 0)).rate()).isEqualTo(1800.5);
  }

  @Test
  void theSettledLimitIsTheMedianOfTheSecondHalf() {
    ClientRow row =
        new ClientRow(
            "cap200-adaptive",
            "adaptive <= 1024",
            200,
            0,
            List.of(20, 640, 300, 210, 230, 220),
            List.of(),
            50,
            60,
            1000,
            0,
            100);
    assertThat(row.settledLimit()).isEqualTo(220);
    assertThat(row.limitSeries(2)).isEqualTo("20 300 230");
  }

  @Test
  void theCapacityTargetNeedsEveryFixedLimitBeaten() {
    Report report =
        report(
            List.of(
                row("cap200-adaptive", 1100),
                row("cap200-fixed64", 380),
                row("cap200-fixed256", 1120),
                row("cap200-fixed1024", 1090)),
            List.of(
                client("cap200-adaptive", 58),
                client("cap200-fixed64", 51),
                client("cap200-fixed256", 66),
                client("cap200-fixed1024", 260)));
    Report.Target t = target(report, "capacity 200");
    // 64: fewer lines/s; 256: 98 % of its lines/s with a lower p99; 1024: more lines/s
    assertThat(t.status()).isEqualTo("PASS");
    assertThat(t.detail())
        .contains("fixed 64: 380 lines/s, p99 51.0 ms (beaten on lines/s)")
        .contains("fixed 256: 1120 lines/s, p99 66.0 ms (beaten on p99)")
        .contains("fixed 1024: 1090 lines/s, p99 260.0 ms (beaten on lines/s)");

    Report slower =
        report(
            List.of(
                row("cap200-adaptive", 1000),
                row("cap200-fixed64", 380),
                row("cap200-fixed256", 1120),
                row("cap200-fixed1024", 1090)),
            List.of(
                client("cap200-adaptive", 58),
                client("cap200-fixed64", 51),
                client("cap200-fixed256", 66),
                client("cap200-fixed1024", 260)));
    // a lower p99 does not count at under 95 % of the fixed limit's lines/s
    assertThat(target(slower, "capacity 200").status()).isEqualTo("FAIL");
    assertThat(target(slower, "capacity 200").detail())
        .contains("fixed 256: 1120 lines/s, p99 66.0 ms (NOT beaten)");
  }

  @Test
  void theRateLimitTargetWeighsTheQuotaUsedAndTheRefusals() {
    ClientRow ok =
        new ClientRow(
            "rate2000",
            "adaptive <= 1024",
            0,
            2000,
            List.of(),
            List.of(1900),
            50,
            60,
            100_000,
            500,
            1850);
    ClientRow refusing =
        new ClientRow(
            "rate2000",
            "adaptive <= 1024",
            0,
            2000,
            List.of(),
            List.of(1900),
            50,
            60,
            100_000,
            1500,
            1950);
    assertThat(target(rateReport(ok), "rate limit").status()).isEqualTo("PASS");
    assertThat(target(rateReport(ok), "rate limit").detail())
        .startsWith("92.5% used")
        .contains("0.50% 429")
        .contains("rate cap settled at 1900/s");
    assertThat(target(rateReport(refusing), "rate limit").status()).isEqualTo("FAIL");
  }

  private static Report rateReport(ClientRow c) {
    Report r = new Report(List.of(row("rate2000", 600)), 50, 0, Map.of());
    r.clients(List.of(c), 0, List.of(), 2000);
    return r;
  }

  private static Report report(List<RoundResult> rows, List<ClientRow> clients) {
    Report r = new Report(rows, 50, 0, Map.of());
    r.clients(clients, 200, List.of(64, 256, 1024), 0);
    return r;
  }

  private static Report.Target target(Report r, String prefix) {
    return r.targets().stream().filter(t -> t.name().startsWith(prefix)).findFirst().orElseThrow();
  }

  private static ClientRow client(String round, long p99) {
    return new ClientRow(round, "x", 200, 0, List.of(200), List.of(), 50, p99, 1000, 0, 100);
  }

  private static RoundResult row(String name, double linesPerSec) {
    return new RoundResult(
        name,
        "async",
        50,
        1000,
        2500,
        0,
        10,
        linesPerSec,
        1000,
        100,
        100,
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
        5,
        0,
        0,
        0,
        0,
        0,
        0,
        "ok");
  }
}
