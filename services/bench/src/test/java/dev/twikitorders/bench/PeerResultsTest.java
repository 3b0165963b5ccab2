package dev.twikitorders.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The peer benchmark's JSON (its real format), its rows, the ratio and the target. */
class PeerResultsTest {
  private static final String TARGET = "async >= 2x best peer lines/s at 50 ms";

  @TempDir Path tmp;

  private static Path sample() throws URISyntaxException {
    return Path.of(PeerResultsTest.class.getResource("/peers/enrich-bench-results.json").toURI());
  }

  private static RoundResult async(double linesPerSec) {
    return new RoundResult(
        "async",
        "async",
        50,
        2000,
        5000,
        0,
        5000 / linesPerSec,
        linesPerSec,
        17000,
        3400,
        -1,
        900,
        1500,
        1800,
        1900,
        1,
        300,
        200,
        10,
        50,
        45,
        2,
        0,
        0,
        0,
        0,
        0,
        0,
        "ok");
  }

  private static Report report(List<PeerResults.Row> peers, RoundResult... rounds) {
    return new Report(List.of(rounds), 50, 60, Map.of(), List.of(), new Report.Peers(peers, null));
  }

  private static Report.Target peerTarget(Report r) {
    return r.targets().stream().filter(t -> t.name().equals(TARGET)).findFirst().orElseThrow();
  }

  private static String printed(Report r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    r.print(new PrintStream(out, true, StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void parsesEveryPeerOfTheFile() throws Exception {
    List<PeerResults.Row> rows = PeerResults.parse(sample());

    assertThat(rows)
        .extracting(PeerResults.Row::round)
        .containsExactly("peer:pc", "peer:pc-tx", "peer:streams-sync");
    PeerResults.Row pc = rows.get(0);
    assertThat(pc.orders()).isEqualTo(2000);
    assertThat(pc.lines()).isEqualTo(4987);
    assertThat(pc.linesPerSec()).isEqualTo(1243.021);
    assertThat(pc.callsPerSec()).isEqualTo(4227.567);
    assertThat(pc.p50()).isEqualTo(2011);
    assertThat(pc.p99()).isEqualTo(3950);
    assertThat(pc.verified()).isTrue();
    assertThat(pc.verdict()).isEqualTo("ok");
    assertThat(rows.get(2).orders()).isEqualTo(50);
    assertThat(rows.get(2).verified()).isTrue();
  }

  @Test
  void aPeerWithViolationsIsShownAsFailedAndIsNotTheBest() throws Exception {
    List<PeerResults.Row> rows = PeerResults.parse(sample());
    PeerResults.Row tx = rows.get(1);

    assertThat(tx.verified()).isFalse();
    assertThat(tx.verdict())
        .startsWith("peer verification FAILED: ok-with-violations")
        .contains("duplicates 12")
        .contains("order violations 3");
    // pc-tx has the most lines/s, but lost its claim to them
    assertThat(tx.linesPerSec()).isGreaterThan(rows.get(0).linesPerSec());
    assertThat(PeerResults.bestVerified(rows)).contains(rows.get(0));
  }

  @Test
  void theRatioIsAsyncOverTheBestVerifiedPeer() throws Exception {
    List<PeerResults.Row> rows = PeerResults.parse(sample());
    double best = rows.get(0).linesPerSec();

    Report pass = report(rows, async(2.5 * best));
    assertThat(pass.ratios()).containsEntry("async / best peer lines/s @50ms", 2.5);
    Report.Target t = peerTarget(pass);
    assertThat(t.status()).isEqualTo("PASS");
    assertThat(t.detail()).startsWith("2.50x").contains("of peer:pc, the best verified peer");

    Report.Target fail = peerTarget(report(rows, async(1.5 * best)));
    assertThat(fail.status()).isEqualTo("FAIL");
    assertThat(fail.detail()).startsWith("1.50x");
  }

  @Test
  void noVerifiedPeerOrNoAsyncRoundIsNotApplicable() throws Exception {
    List<PeerResults.Row> rows = PeerResults.parse(sample());

    assertThat(peerTarget(report(List.of(rows.get(1)), async(3000))).status()).isEqualTo("n/a");
    assertThat(peerTarget(report(rows)).detail()).contains("async round");
    Report failed =
        new Report(
            List.of(async(3000)),
            50,
            60,
            Map.of(),
            List.of(),
            new Report.Peers(List.of(), "to build /x: the build exited with 1"));
    assertThat(peerTarget(failed).status()).isEqualTo("n/a");
    assertThat(failed.ratios()).doesNotContainKey("async / best peer lines/s @50ms");
  }

  @Test
  void theTableHasOneRowPerPeer() throws Exception {
    List<PeerResults.Row> rows = PeerResults.parse(sample());
    String out = printed(report(rows, async(3000)));

    List<String> peerLines = out.lines().filter(l -> l.startsWith("peer:")).toList();
    assertThat(peerLines).hasSize(3);
    assertThat(peerLines.get(0)).startsWith("peer:pc ").contains("1243.0").endsWith("  ok");
    assertThat(peerLines.get(1)).contains("peer verification FAILED");
    assertThat(peerLines.get(2)).startsWith("peer:streams-sync").contains("5.6");
    // the async row and the peer rows are columns of one table
    String asyncLine = out.lines().filter(l -> l.startsWith("async ")).findFirst().orElseThrow();
    assertThat(asyncLine.indexOf("3000.0")).isEqualTo(peerLines.get(0).indexOf("1243.0"));
    assertThat(out).contains("ratio async / best peer lines/s @50ms").contains(TARGET);
  }

  @Test
  void withoutPeersNothingChanges() throws Exception {
    Report without = new Report(List.of(async(3000)), 50, 60, Map.of(), List.of());
    Report nullPeers = new Report(List.of(async(3000)), 50, 60, Map.of(), List.of(), null);

    assertThat(printed(without)).doesNotContain("peer").isEqualTo(printed(nullPeers));
    assertThat(without.targets()).noneMatch(t -> t.name().equals(TARGET));
    Path json = tmp.resolve("bench.json");
    without.writeJson(json);
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    assertThat(root.has("peers")).isFalse();
    assertThat(root.has("peersError")).isFalse();
  }

  @Test
  void theJsonHasThePeerRows() throws Exception {
    List<PeerResults.Row> rows = PeerResults.parse(sample());
    Path json = tmp.resolve("bench.json");
    report(rows, async(3000)).writeJson(json);

    JsonNode peers = new ObjectMapper().readTree(json.toFile()).get("peers");
    assertThat(peers).hasSize(3);
    assertThat(peers.get(0).get("round").asText()).isEqualTo("peer:pc");
    assertThat(peers.get(0).get("linesPerSec").asDouble()).isEqualTo(1243.021);
    assertThat(peers.get(0).get("verified").asBoolean()).isTrue();
    assertThat(peers.get(1).get("verified").asBoolean()).isFalse();
  }

  @Test
  void aPeerWithoutAResultGetsAFailedRow() throws Exception {
    List<PeerResults.Row> parsed = PeerResults.parse(sample()).subList(0, 2);
    List<PeerResults.Row> rows = PeerResults.complete(parsed, PeerResults.ALL);

    assertThat(rows).extracting(PeerResults.Row::peer).containsExactlyElementsOf(PeerResults.ALL);
    assertThat(rows.get(2).verified()).isFalse();
    assertThat(rows.get(2).verdict()).startsWith("peer verification FAILED: no result");
  }

  @Test
  void aResultWithoutItsRateIsAnErrorNamingFileAndResult() throws IOException {
    Path bad = tmp.resolve("peers.json");
    Files.writeString(
        bad,
        """
        {"results": [{"peer": "pc", "orders": 10, "lines": 25, "status": "ok", "missingErp": 0,
          "missingFulfillment": 0, "duplicates": 0, "unknown": 0, "orderViolations": 0}]}
        """);
    assertThatThrownBy(() -> PeerResults.parse(bad))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(bad.toString())
        .hasMessageContaining("results[0]")
        .hasMessageContaining("linesPerSec");

    Files.writeString(bad, "{\"tool\": \"enrich-bench\"}");
    assertThatThrownBy(() -> PeerResults.parse(bad)).hasMessageContaining("no 'results' list");
    Files.writeString(bad, "not json");
    assertThatThrownBy(() -> PeerResults.parse(bad)).hasMessageContaining("not readable as JSON");
  }
}
