package dev.twikitorders.enricher.cli;

import static dev.twikitorders.enricher.cli.ItStack.args;
import static dev.twikitorders.enricher.cli.ItStack.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twikitorders.enricher.app.EnricherApp;
import dev.twikitorders.enricher.records.OutputHeaders;
import dev.twikitorders.schemas.ConfigurationSummary;
import dev.twikitorders.schemas.DeadLetter;
import dev.twikitorders.schemas.FulfillmentConfiguration;
import dev.twikitorders.schemas.LineStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code replay} on a real broker, registry and Twikit sandbox, over a history of 1,000 events
 * spread over yesterday that a live pipeline has already processed.
 */
class ReplayIT {
  private static final int EVENTS = 1_000;
  private static final int PARTITIONS = 3;
  private static final Instant YESTERDAY =
      LocalDate.now(ZoneOffset.UTC).minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final Predicate<String> UNKNOWN = History::isMissing;

  private static ItStack it;
  private static ItStack.Topics topics;
  private static List<ItStack.Written> history;
  private static String liveApplicationId;
  private static Map<TopicPartition, OffsetAndMetadata> liveOffsets;
  private static Set<String> groupsBefore;
  private static List<ItStack.Out> liveErp;

  @BeforeAll
  static void historyProcessedByTheLivePipeline() throws Exception {
    it = ItStack.get();
    topics =
        ItStack.Topics.prefixed("replay-it-" + UUID.randomUUID().toString().substring(0, 8) + ".");
    it.createTopics(topics, PARTITIONS);
    history = it.produce(topics.input(), History.generate(EVENTS, YESTERDAY, DAY));

    long erp = history.stream().mapToLong(w -> expected(w).erp().size()).sum();
    long dlq = history.stream().mapToLong(w -> expected(w).deadLetters().size()).sum();
    liveApplicationId = "replay-it-live-" + UUID.randomUUID();
    try (EnricherApp app = EnricherApp.start(it.config(topics, liveApplicationId, Map.of()))) {
      assertThat(app.fatalError()).isNull();
      await()
          .atMost(Duration.ofMinutes(3))
          .until(
              () ->
                  it.readAll(topics.erp()).size() >= erp && it.readAll(topics.dlq()).size() >= dlq);
      Map<TopicPartition, Long> inputEnd = it.endOffsets(topics.input());
      await()
          .atMost(Duration.ofMinutes(1))
          .until(
              () ->
                  committedOffsets().entrySet().stream()
                          .filter(e -> e.getKey().topic().equals(topics.input()))
                          .allMatch(e -> e.getValue().offset() == inputEnd.get(e.getKey()))
                      && committedOffsets().keySet().stream()
                              .filter(tp -> tp.topic().equals(topics.input()))
                              .count()
                          == PARTITIONS);
    }
    liveOffsets = committedOffsets();
    groupsBefore = groups();
    liveErp = it.readAll(topics.erp());
    assertThat(liveErp).hasSize((int) erp);
  }

  private static History.Expected expected(ItStack.Written w) {
    return History.expected(w, topics.input(), UNKNOWN);
  }

  private static Map<TopicPartition, OffsetAndMetadata> committedOffsets() throws Exception {
    try (Admin admin = it.admin()) {
      return admin
          .listConsumerGroupOffsets(liveApplicationId)
          .partitionsToOffsetAndMetadata()
          .get();
    }
  }

  private static Set<String> groups() throws Exception {
    try (Admin admin = it.admin()) {
      return admin.listGroups().all().get().stream()
          .map(GroupListing::groupId)
          .collect(Collectors.toSet());
    }
  }

  private static List<String> replay(String... rest) {
    return args(List.of("replay", "--no-progress"), it.flags(topics), rest);
  }

  private static List<ItStack.Written> inTimeWindow(Instant from, Instant to) {
    return history.stream()
        .filter(
            w ->
                w.input().timestamp() >= from.toEpochMilli()
                    && w.input().timestamp() < to.toEpochMilli())
        .toList();
  }

  private static List<String> erpKeys(List<ItStack.Written> written) {
    return written.stream().flatMap(w -> expected(w).erp().stream()).sorted().toList();
  }

  private static List<String> dlqKeys(List<ItStack.Written> written) {
    return written.stream().flatMap(w -> expected(w).deadLetters().stream()).sorted().toList();
  }

  private static List<ItStack.Out> withReplayId(List<ItStack.Out> records, String replayId) {
    return records.stream()
        .filter(r -> replayId.equals(r.header(OutputHeaders.REPLAY_ID)))
        .toList();
  }

  private static List<String> keys(List<ItStack.Out> records) {
    return records.stream().map(r -> r.header(OutputHeaders.IDEMPOTENCY_KEY)).sorted().toList();
  }

  @Test
  void timeWindowReplayWritesExactlyTheWindowsLinesWithTheLiveHeaders() {
    Instant from = YESTERDAY.plus(Duration.ofHours(6));
    Instant to = YESTERDAY.plus(Duration.ofHours(18));
    String replayId = "it-window-" + UUID.randomUUID();

    ItStack.CliResult result =
        cli(
            replay(
                "--from-timestamp",
                from.toString(),
                "--to-timestamp",
                to.toString(),
                "--replay-id",
                replayId));

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<ItStack.Written> window = inTimeWindow(from, to);
    assertThat(window).hasSizeBetween(EVENTS / 2 - 2, EVENTS / 2 + 2);
    assertThat(result.count("events read")).isEqualTo(window.size());
    assertThat(result.count("events replayed")).isEqualTo(window.size());
    assertThat(result.count("written to " + topics.erp())).isEqualTo(erpKeys(window).size());
    assertThat(result.count("dead-lettered")).isEqualTo(dlqKeys(window).size());
    assertThat(result.value("replay-id")).isEqualTo(replayId);

    Map<String, ItStack.Written> bySource = new HashMap<>();
    window.forEach(w -> bySource.put(w.source(topics.input()), w));
    List<ItStack.Out> erp = withReplayId(it.readAll(topics.erp()), replayId);
    List<ItStack.Out> fulfillment = withReplayId(it.readAll(topics.fulfillment()), replayId);
    List<ItStack.Out> dlq = withReplayId(it.readAll(topics.dlq()), replayId);
    assertThat(keys(erp)).isEqualTo(erpKeys(window));
    assertThat(keys(fulfillment)).isEqualTo(erpKeys(window));
    assertThat(keys(dlq)).isEqualTo(dlqKeys(window));

    Map<String, ItStack.Out> liveByKey = new HashMap<>();
    liveErp.forEach(r -> liveByKey.put(r.header(OutputHeaders.IDEMPOTENCY_KEY), r));
    for (ItStack.Out r : erp) {
      ItStack.Written source = bySource.get(r.header(OutputHeaders.SOURCE));
      assertThat(source)
          .as("source header %s is an input record of the window", r.header(OutputHeaders.SOURCE))
          .isNotNull();
      ConfigurationSummary s = (ConfigurationSummary) r.value();
      assertThat(r.header(OutputHeaders.EVENT_ID))
          .isEqualTo(source.input().event().getEventId())
          .isEqualTo(s.getEventId());
      assertThat(r.header(OutputHeaders.IDEMPOTENCY_KEY))
          .isEqualTo(s.getEventId() + ":" + s.getLineId());
      assertThat(r.key()).isEqualTo(s.getOrderId());
      ItStack.Out live = liveByKey.get(r.header(OutputHeaders.IDEMPOTENCY_KEY));
      assertThat(live.header(OutputHeaders.SOURCE)).isEqualTo(r.header(OutputHeaders.SOURCE));
      assertThat(live.header(OutputHeaders.REPLAY_ID)).isNull();
      assertThat(live.partition())
          .as("same key, same partition as the live record")
          .isEqualTo(r.partition());
      ConfigurationSummary liveValue = (ConfigurationSummary) live.value();
      liveValue.setEnrichedAt(s.getEnrichedAt());
      assertThat(s).as("same value as the live record but for enrichedAt").isEqualTo(liveValue);
    }
    for (ItStack.Out r : fulfillment) {
      FulfillmentConfiguration f = (FulfillmentConfiguration) r.value();
      assertThat(r.header(OutputHeaders.IDEMPOTENCY_KEY))
          .isEqualTo(f.getEventId() + ":" + f.getLineId());
      assertThat(bySource).containsKey(r.header(OutputHeaders.SOURCE));
    }
    for (ItStack.Out r : dlq) {
      DeadLetter d = (DeadLetter) r.value();
      assertThat(d.getReplayId()).isEqualTo(replayId);
      assertThat(bySource)
          .containsKey(
              OutputHeaders.source(
                  d.getSourceTopic(), d.getSourcePartition(), d.getSourceOffset()));
    }
    // per order, records leave in input order: PLACED before CANCELLED
    Map<String, List<ItStack.Out>> byOrder =
        erp.stream().collect(Collectors.groupingBy(ItStack.Out::key));
    byOrder
        .values()
        .forEach(
            records -> {
              List<Long> sourceOffsets =
                  records.stream()
                      .sorted((a, b) -> Long.compare(a.offset(), b.offset()))
                      .map(
                          r ->
                              Long.parseLong(
                                  r.header(OutputHeaders.SOURCE)
                                      .substring(
                                          r.header(OutputHeaders.SOURCE).lastIndexOf('/') + 1)))
                      .toList();
              assertThat(sourceOffsets).isSorted();
            });
  }

  @Test
  void dryRunCountsTheWindowPerPartitionWithoutCallingTwikitOrWriting() {
    Instant from = YESTERDAY.plus(Duration.ofHours(3));
    Instant to = YESTERDAY.plus(Duration.ofHours(20));
    long requestsBefore = it.sandbox.counters().totalRequests();
    Map<String, Map<TopicPartition, Long>> endsBefore = outputEnds();

    ItStack.CliResult result =
        cli(
            replay(
                "--from-timestamp", from.toString(), "--to-timestamp", to.toString(), "--dry-run"));

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<ItStack.Written> window = inTimeWindow(from, to);
    long unreadable = window.stream().filter(w -> w.input().event() == null).count();
    long invalid =
        window.stream()
            .filter(
                w -> w.input().event() != null && !w.input().event().getCurrency().equals("EUR"))
            .count();
    long lines =
        window.stream()
            .filter(w -> w.input().event() != null && w.input().event().getCurrency().equals("EUR"))
            .mapToLong(
                w ->
                    w.input().event().getLines().stream()
                        .filter(l -> l.getConfigurationId() != null)
                        .count())
            .sum();
    assertThat(unreadable).isPositive();
    assertThat(invalid).isPositive();
    assertThat(result.count("events in window")).isEqualTo(window.size());
    assertThat(result.count("configured lines")).isEqualTo(lines);
    assertThat(result.count("unreadable events")).isEqualTo(unreadable);
    assertThat(result.count("invalid events")).isEqualTo(invalid);
    Map<Integer, Long> perPartition = new TreeMap<>();
    window.forEach(w -> perPartition.merge(w.partition(), 1L, Long::sum));
    perPartition.forEach(
        (p, n) ->
            assertThat(result.out()).containsPattern("(?m)^" + p + " +\\d+ +\\d+ +" + n + " "));
    assertThat(result.out()).contains("dry run: no Twikit call made, nothing written");
    assertThat(it.sandbox.counters().totalRequests()).isEqualTo(requestsBefore);
    assertThat(outputEnds()).isEqualTo(endsBefore);
  }

  private static Map<String, Map<TopicPartition, Long>> outputEnds() {
    Map<String, Map<TopicPartition, Long>> m = new HashMap<>();
    for (String t : List.of(topics.erp(), topics.fulfillment(), topics.dlq())) {
      m.put(t, it.endOffsets(t));
    }
    return m;
  }

  @Test
  void replaysLeaveTheLiveGroupsOffsetsAndTheGroupListAlone() throws Exception {
    ItStack.CliResult result =
        cli(replay("--from-offsets", "0:0,1:0,2:0", "--target-topic-prefix", "rehearsal-g."));

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.count("events replayed")).isEqualTo(EVENTS);
    assertThat(committedOffsets()).isEqualTo(liveOffsets);
    assertThat(groups()).isEqualTo(groupsBefore);
  }

  @Test
  void theSameReplayTwiceGivesIdenticalIdempotencyKeysUnderDifferentReplayIds() {
    String prefix = "rehearsal-twice-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    Instant from = YESTERDAY.plus(Duration.ofHours(1));
    Instant to = YESTERDAY.plus(Duration.ofHours(5));

    ItStack.CliResult first =
        cli(
            replay(
                "--from-timestamp",
                from.toString(),
                "--to-timestamp",
                to.toString(),
                "--target-topic-prefix",
                prefix,
                "--batch-size",
                "37"));
    ItStack.CliResult second =
        cli(
            replay(
                "--from-timestamp",
                from.toString(),
                "--to-timestamp",
                to.toString(),
                "--target-topic-prefix",
                prefix));

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(second.exitCode()).as(second.err()).isZero();
    String id1 = first.value("replay-id");
    String id2 = second.value("replay-id");
    assertThat(id1).isNotEqualTo(id2);
    assertThat(UUID.fromString(id1)).isNotNull();
    List<ItStack.Out> erp = it.readAll(prefix + topics.erp());
    List<String> keys1 = keys(withReplayId(erp, id1));
    List<String> keys2 = keys(withReplayId(erp, id2));
    assertThat(keys1)
        .isEqualTo(keys2)
        .isEqualTo(erpKeys(inTimeWindow(from, to)))
        .doesNotHaveDuplicates();
    assertThat(erp).hasSize(keys1.size() * 2);
    assertThat(it.endOffsets(prefix + topics.erp())).hasSize(PARTITIONS);
    assertThat(first.count("transactions")).isGreaterThan(second.count("transactions"));
  }

  @Test
  void orderIdReplaysOnlyThatOrderInInputOrder() {
    ItStack.Written cancellation =
        history.stream()
            .filter(
                w ->
                    w.input().event() != null
                        && w.input().event().getEventType()
                            == dev.twikitorders.schemas.OrderEventType.ORDER_CANCELLED
                        && w.input().event().getLines().stream()
                                .filter(l -> l.getConfigurationId() != null)
                                .count()
                            >= 2)
            .findFirst()
            .orElseThrow();
    String orderId = cancellation.input().key();
    List<ItStack.Written> ofOrder =
        history.stream().filter(w -> w.input().key().equals(orderId)).toList();
    assertThat(ofOrder).hasSize(2);
    String prefix = "rehearsal-order-" + UUID.randomUUID().toString().substring(0, 8) + ".";

    ItStack.CliResult result =
        cli(
            replay(
                "--order-id",
                orderId,
                "--from-timestamp",
                YESTERDAY.toString(),
                "--target-topic-prefix",
                prefix,
                "--replay-id",
                "it-order"));

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.count("events read")).isEqualTo(EVENTS);
    assertThat(result.count("events skipped")).isEqualTo(EVENTS - 2);
    assertThat(result.count("events replayed")).isEqualTo(2);
    List<ItStack.Out> erp = it.readAll(prefix + topics.erp());
    assertThat(erp).allMatch(r -> r.key().equals(orderId));
    assertThat(erp.stream().map(r -> r.header(OutputHeaders.IDEMPOTENCY_KEY)).toList())
        .isEqualTo(ofOrder.stream().flatMap(w -> expected(w).erp().stream()).toList());
    List<LineStatus> statuses =
        erp.stream().map(r -> ((ConfigurationSummary) r.value()).getStatus()).toList();
    assertThat(statuses.get(0)).isEqualTo(LineStatus.PLACED);
    assertThat(statuses.get(statuses.size() - 1)).isEqualTo(LineStatus.CANCELLED);
    assertThat(statuses).isSortedAccordingTo(java.util.Comparator.comparing(LineStatus::ordinal));
  }

  @Test
  void anOffsetWindowReplaysExactlyThoseOffsets() {
    String prefix = "rehearsal-offsets-" + UUID.randomUUID().toString().substring(0, 8) + ".";

    ItStack.CliResult result =
        cli(
            replay(
                "--from-offsets",
                "0:10,1:0",
                "--to-offsets",
                "0:20,1:5",
                "--target-topic-prefix",
                prefix));

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<ItStack.Written> window =
        history.stream()
            .filter(
                w ->
                    w.partition() == 0 && w.offset() >= 10 && w.offset() < 20
                        || w.partition() == 1 && w.offset() < 5)
            .toList();
    assertThat(window).hasSize(15);
    assertThat(result.count("events replayed")).isEqualTo(15);
    assertThat(keys(it.readAll(prefix + topics.erp()))).isEqualTo(erpKeys(window));
    assertThat(keys(it.readAll(prefix + topics.dlq()))).isEqualTo(dlqKeys(window));
  }

  @Test
  void badWindowsExitWithCode2AndNameTheFlagWithoutWriting() {
    Map<String, Map<TopicPartition, Long>> endsBefore = outputEnds();
    String from = YESTERDAY.plus(Duration.ofHours(5)).toString();
    String to = YESTERDAY.plus(Duration.ofHours(4)).toString();
    List<List<String>> cases = new ArrayList<>();
    List<String> messages = new ArrayList<>();

    cases.add(replay("--from-timestamp", from, "--to-timestamp", to));
    messages.add("the start is not before the end: --from-timestamp");
    cases.add(replay("--from-offsets", "0:30", "--to-offsets", "0:20"));
    messages.add("the start is after the end for partition 0");
    cases.add(replay("--from-timestamp", from, "--partitions", "0,9"));
    messages.add("--partitions: topic '" + topics.input() + "' has no partition 9");
    cases.add(replay("--from-offsets", "5:0"));
    messages.add("--from-offsets: topic '" + topics.input() + "' has no partition 5");
    cases.add(replay("--from-offsets", "0:999999"));
    messages.add("--from-offsets 0:999999 is out of range: beyond the end offset");
    cases.add(replay("--from-offsets", "0:0", "--to-offsets", "0:999999", "--dry-run"));
    messages.add("--to-offsets 0:999999 is out of range");
    cases.add(
        args(
            List.of("replay", "--no-progress"),
            it.flags(topics),
            "--set",
            "topic.order.events=no-such-topic",
            "--from-timestamp",
            from));
    messages.add("topic 'no-such-topic' does not exist (setting topic.order.events");
    cases.add(replay("--from-timestamp", from, "--from-offsets", "0:1"));
    messages.add("not both");
    cases.add(replay("--from-offsets", "0-5"));
    messages.add("--from-offsets '0-5': element '0-5' is not partition:offset");
    cases.add(replay("--dry-run"));
    messages.add("no window given");

    for (int i = 0; i < cases.size(); i++) {
      ItStack.CliResult r = cli(cases.get(i));
      assertThat(r.exitCode()).as("%s: %s", cases.get(i), r.err()).isEqualTo(2);
      assertThat(r.err()).as("%s", cases.get(i)).contains(messages.get(i));
      assertThat(r.err()).doesNotContain(it.secret);
    }
    assertThat(outputEnds()).isEqualTo(endsBefore);
  }
}
