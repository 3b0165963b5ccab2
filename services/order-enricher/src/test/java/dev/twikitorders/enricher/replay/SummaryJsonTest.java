package dev.twikitorders.enricher.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twikitorders.schemas.ErrorType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code --json} summaries of {@code replay} and {@code dlq redrive} (docs/replay.md). */
class SummaryJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode printed(java.util.function.Consumer<PrintWriter> print) throws Exception {
    StringWriter out = new StringWriter();
    print.accept(new PrintWriter(out));
    assertThat(out.toString().lines().count()).isEqualTo(1);
    return JSON.readTree(out.toString());
  }

  private static List<String> names(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void replayReportHasStableFieldsAndTypes() throws Exception {
    Map<String, Long> written = new LinkedHashMap<>();
    written.put("erp-order-summaries", 6L);
    written.put("order-enrichment-dlq", 1L);
    var report =
        new ReplayJob.Report(
            "r-1",
            "order-events",
            ReplayWindow.of(Instant.parse("2025-03-01T00:00:00Z"), null, null, null, null),
            null,
            false,
            List.of(
                new ReplayJob.PartitionReport(0, 10, 20, 10, 2, 9, 1, 0),
                new ReplayJob.PartitionReport(1, 5, 6, 1, 0, 1, 0, 1)),
            written,
            1,
            3,
            Duration.ofMillis(1234));

    JsonNode doc = printed(report::printJson);

    assertThat(names(doc))
        .containsExactly(
            "replayId",
            "dryRun",
            "topic",
            "orderId",
            "fromTimestamp",
            "toTimestamp",
            "partitions",
            "read",
            "skipped",
            "events",
            "configuredLines",
            "unreadable",
            "invalid",
            "written",
            "deadLettered",
            "transactions",
            "elapsedMs");
    assertThat(doc.get("replayId").asText()).isEqualTo("r-1");
    assertThat(doc.get("dryRun").isBoolean()).isTrue();
    assertThat(doc.get("orderId").isNull()).isTrue();
    assertThat(doc.get("fromTimestamp").asText()).isEqualTo("2025-03-01T00:00:00Z");
    assertThat(doc.get("toTimestamp").isNull()).isTrue();
    JsonNode p0 = doc.get("partitions").get(0);
    assertThat(names(p0))
        .containsExactly(
            "partition",
            "from",
            "to",
            "read",
            "skipped",
            "events",
            "configuredLines",
            "unreadable",
            "invalid");
    assertThat(p0.get("events").asLong()).isEqualTo(8);
    assertThat(doc.get("read").asLong()).isEqualTo(11);
    assertThat(doc.get("events").asLong()).isEqualTo(9);
    assertThat(doc.get("invalid").asLong()).isEqualTo(1);
    assertThat(doc.get("written").get("erp-order-summaries").asLong()).isEqualTo(6);
    assertThat(doc.get("transactions").isNumber()).isTrue();
    assertThat(doc.get("elapsedMs").asLong()).isEqualTo(1234);
  }

  @Test
  void redriveReportHasStableFieldsAndTypes() throws Exception {
    Map<ErrorType, Long> byType = new LinkedHashMap<>();
    byType.put(ErrorType.NOT_FOUND, 4L);
    byType.put(ErrorType.UNREADABLE, 1L);
    var report =
        new DeadLetterJobs.RedriveReport(
            "rd-1", true, 20, 7, 5, 1, 1, 0, 0, byType, 4, Map.of(), 0, 0, Duration.ofMillis(50));

    JsonNode doc = printed(report::printJson);

    assertThat(names(doc))
        .containsExactly(
            "replayId",
            "dryRun",
            "scanned",
            "matched",
            "superseded",
            "notRedrivable",
            "limitedOut",
            "selected",
            "selectedByType",
            "sourceEvents",
            "readFromSource",
            "written",
            "deadLetteredAgain",
            "transactions",
            "elapsedMs");
    assertThat(doc.get("dryRun").asBoolean()).isTrue();
    assertThat(doc.get("scanned").asLong()).isEqualTo(20);
    assertThat(doc.get("selected").asLong()).isEqualTo(5);
    assertThat(doc.get("selectedByType").get("NOT_FOUND").asLong()).isEqualTo(4);
    assertThat(doc.get("written").isObject()).isTrue();
    assertThat(doc.get("written").size()).isZero();
  }
}
