package dev.twikitorders.enricher.cli;

import static dev.twikitorders.enricher.cli.ItStack.args;
import static dev.twikitorders.enricher.cli.ItStack.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twikitorders.enricher.app.EnricherApp;
import dev.twikitorders.enricher.records.OutputHeaders;
import dev.twikitorders.sandbox.data.SeedConfiguration;
import dev.twikitorders.schemas.ConfigurationSummary;
import dev.twikitorders.schemas.DeadLetter;
import dev.twikitorders.schemas.ErrorType;
import dev.twikitorders.schemas.OrderEventType;
import dev.twikitorders.schemas.OrderLine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code dlq list} and {@code dlq redrive} on a real broker, registry and Twikit sandbox: a live
 * pipeline dead-letters lines whose configurations do not exist yet (404) or are incompatible, and
 * an unreadable record; once the configurations exist, a re-drive produces the missing outputs. The
 * tests run in order: the re-drive changes the dead-letter topic.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeadLetterRedriveIT {
  private static final int EVENTS = 40;
  private static final String GARBAGE = "garbage-bytes-" + UUID.randomUUID();

  private static ItStack it;
  private static ItStack.Topics topics;
  private static List<ItStack.Written> history;

  /** Dead-lettered lines (idempotency key) and their error types. */
  private static final Map<String, ErrorType> deadLines = new HashMap<>();

  private static final Map<String, ItStack.Written> sourceOfLine = new HashMap<>();
  private static final List<String> liveLines = new ArrayList<>();
  private static String stillMissingLine;
  private static String unreadableSource;

  static String missing(int i) {
    return History.missing(100_000 + i);
  }

  static String incompatible(int i) {
    return History.incompatible(100_000 + i);
  }

  @BeforeAll
  static void aLivePipelineDeadLettersSomeLines() {
    it = ItStack.get();
    topics =
        ItStack.Topics.prefixed("redrive-it-" + UUID.randomUUID().toString().substring(0, 8) + ".");
    it.createTopics(topics, 2);
    List<ItStack.Input> inputs = new ArrayList<>();
    Instant now = Instant.now();
    for (int i = 0; i < EVENTS; i++) {
      List<OrderLine> lines = new ArrayList<>();
      lines.add(new OrderLine("L0", "SKU-A", 1, History.known(100_000 + i)));
      if (i % 5 == 0) {
        lines.add(new OrderLine("L1", "SKU-B", 1, missing(i)));
      } else if (i % 8 == 3) {
        lines.add(new OrderLine("L1", "SKU-B", 1, incompatible(i)));
      } else if (i == 7) {
        lines.add(new OrderLine("L1", "SKU-B", 1, missing(7)));
        lines.add(new OrderLine("L2", "SKU-C", 1, missing(70)));
      }
      lines.add(new OrderLine("P", "PLAIN", 1, null));
      String orderId = "rd-order-" + i;
      inputs.add(
          new ItStack.Input(
              orderId,
              History.event("rd-e-" + i, orderId, OrderEventType.ORDER_PLACED, now, lines),
              null,
              now.toEpochMilli()));
    }
    inputs.add(
        new ItStack.Input(
            "rd-garbage", null, GARBAGE.getBytes(StandardCharsets.UTF_8), now.toEpochMilli()));
    try {
      history = it.produce(topics.input(), inputs);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    for (ItStack.Written w : history) {
      if (w.input().event() == null) {
        unreadableSource = w.source(topics.input());
        continue;
      }
      for (OrderLine l : w.input().event().getLines()) {
        String key = OutputHeaders.idempotencyKey(w.input().event().getEventId(), l.getLineId());
        if (l.getConfigurationId() == null) {
          continue;
        }
        sourceOfLine.put(key, w);
        if (l.getConfigurationId().startsWith("00000000")) {
          deadLines.put(key, ErrorType.NOT_FOUND);
        } else if (l.getConfigurationId().startsWith("dead")) {
          deadLines.put(key, ErrorType.INCOMPATIBLE);
        } else {
          liveLines.add(key);
        }
      }
    }
    stillMissingLine = OutputHeaders.idempotencyKey("rd-e-0", "L1");
    assertThat(deadLines).hasSize(14).containsKey(stillMissingLine);

    try (EnricherApp app =
        EnricherApp.start(it.config(topics, "redrive-it-live-" + UUID.randomUUID(), Map.of()))) {
      assertThat(app.fatalError()).isNull();
      await()
          .atMost(Duration.ofMinutes(2))
          .until(
              () ->
                  it.readAll(topics.erp()).size() >= liveLines.size()
                      && it.readAll(topics.dlq()).size() >= deadLines.size() + 1);
    }
    assertThat(it.readAll(topics.dlq())).hasSize(deadLines.size() + 1);
  }

  private static List<String> dlq(String command, String... rest) {
    return args(List.of("dlq", command, "--no-progress"), it.flags(topics), rest);
  }

  private static List<String> rows(ItStack.CliResult r) {
    // header, rows, count line
    List<String> lines = List.of(r.out().split("\\R"));
    return lines.subList(1, lines.size() - 1);
  }

  @Test
  @Order(1)
  void listShowsEveryDeadLetterWithCoordinatesAndNeverThePayload() throws Exception {
    ItStack.CliResult all = cli(dlq("list"));

    assertThat(all.exitCode()).as(all.err()).isZero();
    assertThat(all.out()).startsWith("DLQ ").contains("15 dead letters listed");
    assertThat(rows(all)).hasSize(15);
    deadLines.forEach(
        (key, type) -> {
          ItStack.Written w = sourceOfLine.get(key);
          String lineId = key.substring(key.indexOf(':') + 1);
          assertThat(rows(all))
              .as(key)
              .anySatisfy(
                  row ->
                      assertThat(row)
                          .contains(
                              w.source(topics.input()) + " ",
                              " " + type + " ",
                              " " + w.input().key() + " ",
                              " " + lineId + " "));
        });
    assertThat(rows(all))
        .anySatisfy(row -> assertThat(row).contains(unreadableSource, "UNREADABLE"));
    assertThat(all.out()).doesNotContain(GARBAGE).doesNotContain(it.secret);

    // --json: one document on stdout with the same dead letters; never the bytes
    ItStack.CliResult json = cli(dlq("list", "--json"));
    assertThat(json.exitCode()).as(json.err()).isZero();
    JsonNode doc = new ObjectMapper().readTree(json.out());
    assertThat(doc.get("listed").asInt()).isEqualTo(15);
    assertThat(doc.get("limitReached").asBoolean()).isFalse();
    assertThat(doc.get("deadLetters")).hasSize(15);
    assertThat(doc.get("deadLetters"))
        .filteredOn(d -> d.get("errorType").asText().equals("UNREADABLE"))
        .singleElement()
        .satisfies(d -> assertThat(d.get("orderId").isNull()).isTrue());
    assertThat(json.out()).doesNotContain(GARBAGE).doesNotContain(it.secret);

    ItStack.CliResult notFound = cli(dlq("list", "--error-type", "NOT_FOUND"));
    assertThat(rows(notFound))
        .hasSize(10)
        .allSatisfy(row -> assertThat(row).contains(" NOT_FOUND "));
    ItStack.CliResult ofOrder = cli(dlq("list", "--order-id", "rd-order-7"));
    assertThat(rows(ofOrder))
        .hasSize(2)
        .allSatisfy(row -> assertThat(row).contains(" rd-order-7 "));
    ItStack.CliResult limited = cli(dlq("list", "--limit", "3"));
    assertThat(rows(limited)).hasSize(3);
    assertThat(limited.out()).contains("--limit reached");
    ItStack.CliResult future =
        cli(dlq("list", "--from-timestamp", Instant.now().plus(Duration.ofDays(1)).toString()));
    assertThat(future.out()).contains("0 dead letters listed");
    ItStack.CliResult bad = cli(dlq("list", "--error-type", "NOPE"));
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("--error-type 'NOPE': unknown error type");
  }

  @Test
  @Order(2)
  void redriveDryRunSelectsWithoutCallingOrWriting() throws Exception {
    long requests = it.sandbox.counters().totalRequests();
    Map<TopicPartition, Long> dlqEnd = it.endOffsets(topics.dlq());
    Map<TopicPartition, Long> erpEnd = it.endOffsets(topics.erp());

    ItStack.CliResult r = cli(dlq("redrive", "--dry-run"));

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.count("selected")).isEqualTo(15);
    assertThat(r.count("source events")).isEqualTo(14);
    assertThat(r.out()).contains("  NOT_FOUND: 10", "  INCOMPATIBLE: 4", "  UNREADABLE: 1");
    ItStack.CliResult json = cli(dlq("redrive", "--dry-run", "--json"));
    assertThat(json.exitCode()).as(json.err()).isZero();
    JsonNode doc = new ObjectMapper().readTree(json.out());
    assertThat(doc.get("dryRun").asBoolean()).isTrue();
    assertThat(doc.get("selected").asLong()).isEqualTo(15);
    assertThat(doc.get("sourceEvents").asLong()).isEqualTo(14);
    assertThat(doc.get("selectedByType").get("NOT_FOUND").asLong()).isEqualTo(10);
    assertThat(it.sandbox.counters().totalRequests()).isEqualTo(requests);
    assertThat(it.endOffsets(topics.dlq())).isEqualTo(dlqEnd);
    assertThat(it.endOffsets(topics.erp())).isEqualTo(erpEnd);
  }

  @Test
  @Order(3)
  void redriveProducesTheMissingOutputsOfTheDeadLetteredLinesOnly() {
    List<ItStack.Out> liveLetters = it.readAll(topics.dlq());
    // the configurations appear (all but one) and the incompatible ones become compatible
    for (int i = 0; i < EVENTS; i++) {
      if (i % 5 == 0 && i != 0) {
        it.sandbox.seed(SeedConfiguration.builder(missing(i)).productTitle("Late " + i).build());
      } else if (i % 8 == 3) {
        it.sandbox.seed(SeedConfiguration.builder(incompatible(i)).compatible(true).build());
      }
    }
    it.sandbox.seed(
        SeedConfiguration.builder(missing(7)).build(),
        SeedConfiguration.builder(missing(70)).build());

    ItStack.CliResult r = cli(dlq("redrive", "--replay-id", "it-redrive-1", "--batch-size", "4"));

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.count("selected")).isEqualTo(15);
    assertThat(r.count("dead-lettered again")).isEqualTo(2);
    assertThat(r.count("written to " + topics.erp())).isEqualTo(13);

    List<ItStack.Out> erp = it.readAll(topics.erp());
    List<ItStack.Out> redriven =
        erp.stream().filter(o -> "it-redrive-1".equals(o.header(OutputHeaders.REPLAY_ID))).toList();
    List<String> expected =
        deadLines.keySet().stream().filter(k -> !k.equals(stillMissingLine)).sorted().toList();
    assertThat(
            redriven.stream().map(o -> o.header(OutputHeaders.IDEMPOTENCY_KEY)).sorted().toList())
        .isEqualTo(expected);
    for (ItStack.Out o : redriven) {
      String key = o.header(OutputHeaders.IDEMPOTENCY_KEY);
      ItStack.Written source = sourceOfLine.get(key);
      assertThat(o.header(OutputHeaders.SOURCE)).isEqualTo(source.source(topics.input()));
      assertThat(o.header(OutputHeaders.EVENT_ID)).isEqualTo(source.input().event().getEventId());
      assertThat(o.key()).isEqualTo(source.input().key());
      assertThat(((ConfigurationSummary) o.value()).getLineId())
          .isEqualTo(key.substring(key.indexOf(':') + 1));
    }
    // conservation: every configured line but the still-missing one has exactly one ERP record
    List<String> allKeys =
        erp.stream().map(o -> o.header(OutputHeaders.IDEMPOTENCY_KEY)).sorted().toList();
    List<String> wanted = new ArrayList<>(liveLines);
    wanted.addAll(expected);
    assertThat(allKeys).isEqualTo(wanted.stream().sorted().toList());
    assertThat(it.readAll(topics.fulfillment())).hasSize(wanted.size());

    List<ItStack.Out> again =
        it.readAll(topics.dlq()).stream()
            .filter(o -> "it-redrive-1".equals(((DeadLetter) o.value()).getReplayId()))
            .toList();
    assertThat(again).hasSize(2);
    DeadLetter stillMissing =
        again.stream()
            .map(o -> (DeadLetter) o.value())
            .filter(d -> d.getErrorType() == ErrorType.NOT_FOUND)
            .findFirst()
            .orElseThrow();
    DeadLetter original =
        liveLetters.stream()
            .map(o -> (DeadLetter) o.value())
            .filter(d -> "rd-e-0".equals(d.getEventId()) && "L1".equals(d.getLineId()))
            .findFirst()
            .orElseThrow();
    assertThat(stillMissing.getLineId()).isEqualTo("L1");
    assertThat(stillMissing.getAttempts()).isGreaterThan(original.getAttempts());
    assertThat(stillMissing.getSourceOffset()).isEqualTo(original.getSourceOffset());
    assertThat(stillMissing.getValue()).isEqualTo(original.getValue());
    DeadLetter unreadable =
        again.stream()
            .map(o -> (DeadLetter) o.value())
            .filter(d -> d.getErrorType() == ErrorType.UNREADABLE)
            .findFirst()
            .orElseThrow();
    assertThat(unreadable.getAttempts()).isEqualTo(2);
  }

  @Test
  @Order(4)
  void aLaterRedriveTakesOnlyTheLatestDeadLetterOfALine() {
    ItStack.CliResult list = cli(dlq("list", "--order-id", "rd-order-0"));
    assertThat(rows(list)).hasSize(2).anySatisfy(row -> assertThat(row).contains("it-redrive-1"));

    ItStack.CliResult r = cli(dlq("redrive", "--dry-run", "--error-type", "NOT_FOUND,UNREADABLE"));

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.count("dead letters matching the filter")).isEqualTo(13);
    assertThat(r.count("superseded by a later dead letter of the same line")).isEqualTo(2);
    assertThat(r.count("selected")).isEqualTo(11);
  }
}
