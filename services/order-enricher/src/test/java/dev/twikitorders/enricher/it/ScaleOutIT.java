package dev.twikitorders.enricher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twikitorders.enricher.app.EnricherApp;
import dev.twikitorders.enricher.it.ExpectedOutputs.OutputKey;
import dev.twikitorders.enricher.it.ExpectedOutputs.Role;
import dev.twikitorders.enricher.it.TestOrders.Item;
import dev.twikitorders.enricher.it.TestOrders.Produced;
import dev.twikitorders.sandbox.api.Operation;
import dev.twikitorders.sandbox.counters.ReceivedUpdate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several instances of one application id on one broker (docs/contracts.md, "Where it must scale"):
 * instances join while hundreds of calls are in flight, leave, and rebalance during an API outage;
 * every configured line comes out exactly once on both outputs in per-order order, nothing is
 * dead-lettered, and a revoked task stops calling the API. The {@code kill -9} of one of two
 * instances is in {@link CrashIT}.
 */
class ScaleOutIT {
  private static final Duration LONG = Duration.ofMinutes(4);

  private static ItStack it;

  @TempDir Path tmp;

  private final List<EnricherApp> apps = new ArrayList<>();
  private final List<OutputReader> readers = new ArrayList<>();

  @BeforeAll
  static void startStack() {
    it = ItStack.start(Duration.ofMillis(10), Duration.ofMillis(10));
  }

  @AfterAll
  static void stopStack() {
    if (it != null) {
      it.close();
    }
  }

  @BeforeEach
  void resetSandbox() {
    it.sandbox().reset();
  }

  @AfterEach
  void closeApps() {
    apps.forEach(EnricherApp::close);
    readers.forEach(OutputReader::close);
  }

  @Test
  void aSecondAndAThirdInstanceJoinWhileHundredsOfCallsAreInFlight() {
    PipelineRun run = it.newRun("join");
    it.sandbox().setLatency(Duration.ofMillis(300), Duration.ofMillis(100));
    EnricherApp first = start(run, "1");
    List<Item> items = TestOrders.configuredOnly(run.name(), 600, 11);
    List<Produced> produced =
        TestOrders.produce(it.bootstrapServers(), it.registry(), run.input(), items);
    Map<OutputKey, Long> expected = ExpectedOutputs.of(produced);

    await("at least 100 events with calls in flight on the first instance")
        .atMost(LONG)
        .until(() -> first.stats().pendingEvents() - first.stats().parkedEvents() >= 100);
    EnricherApp second = start(run, "2");
    await("the second instance took work over")
        .atMost(LONG)
        .until(() -> second.stats().eventsRead() + second.stats().restoredEvents() > 0);
    EnricherApp third = start(run, "3");

    OutputReader reader = reader(run);
    PipelineAssertions.awaitExactOutputs(reader, expected, run, LONG);
    assertThat(reader.records()).noneMatch(o -> o.role() == Role.DEAD_LETTER);
    PipelineAssertions.assertHeadersAndSources(reader.records(), produced);
    PipelineAssertions.assertPerOrderInputOrder(reader.records());
    assertThat(third.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
  }

  @Test
  void anInstanceThatLeavesHandsItsPendingWorkOver() {
    PipelineRun run = it.newRun("leave");
    it.sandbox().setLatency(Duration.ofMillis(200), Duration.ofMillis(100));
    EnricherApp first = start(run, "1");
    EnricherApp second = start(run, "2");
    List<Item> items = TestOrders.configuredOnly(run.name(), 400, 12);
    List<Produced> produced =
        TestOrders.produce(it.bootstrapServers(), it.registry(), run.input(), items);
    Map<OutputKey, Long> expected = ExpectedOutputs.of(produced);

    await("both instances have events in flight")
        .atMost(LONG)
        .until(() -> first.stats().pendingEvents() > 0 && second.stats().pendingEvents() > 0);
    // what the SIGTERM hook does: close, leaving the group at once
    second.close();
    apps.remove(second);

    OutputReader reader = reader(run);
    PipelineAssertions.awaitExactOutputs(reader, expected, run, LONG);
    assertThat(reader.records()).noneMatch(o -> o.role() == Role.DEAD_LETTER);
    PipelineAssertions.assertPerOrderInputOrder(reader.records());
    assertThat(first.stats().restoredEvents())
        .as("the remaining instance re-issued the leaver's pending events")
        .isPositive();
  }

  @Test
  void aRebalanceDuringAnOutageLosesNothingAndRevokedTasksStopCalling() {
    PipelineRun run = it.newRun("outage-rebalance");
    EnricherApp first = start(run, "1");
    // every call an event needs fails; the compatibility check that a starting instance makes to
    // check its credentials still works, so that the second instance can join during the outage
    it.sandbox()
        .updateFaults(
            f ->
                f.errorRate(503, 1.0)
                    .operations(Operation.SUMMARY, Operation.FILTERED, Operation.UPDATE_MANY));
    List<Item> items = TestOrders.configuredOnly(run.name(), 300, 13);
    List<Produced> produced =
        TestOrders.produce(it.bootstrapServers(), it.registry(), run.input(), items);
    Map<OutputKey, Long> expected = ExpectedOutputs.of(produced);
    await("the first instance holds every event, retrying")
        .atMost(LONG)
        .until(() -> first.stats().pendingEvents() == items.size());

    EnricherApp second = start(run, "2");
    await("the second instance re-issued the events of the tasks it took over")
        .atMost(LONG)
        .until(() -> second.stats().restoredEvents() > 0);
    await("the first instance kept only its own tasks' events")
        .atMost(LONG)
        .until(
            () -> first.stats().pendingEvents() + second.stats().pendingEvents() == items.size());
    assertThat(it.sandbox().counters().updates())
        .as("no update reached the API during the outage")
        .isEmpty();

    // the API answers again. A revoked task that still called would link its events a second time
    it.sandbox().resetFaults();
    OutputReader reader = reader(run);
    PipelineAssertions.awaitExactOutputs(reader, expected, run, LONG);
    assertThat(reader.records()).noneMatch(o -> o.role() == Role.DEAD_LETTER);
    PipelineAssertions.assertPerOrderInputOrder(reader.records());

    Map<String, Long> updatesPerOrder = new HashMap<>();
    for (ReceivedUpdate u : it.sandbox().counters().updates()) {
      String orderId = orderIdOf(u.body());
      updatesPerOrder.merge(orderId, 1L, Long::sum);
    }
    assertThat(updatesPerOrder).as("batch updates per order").hasSize(items.size());
    assertThat(updatesPerOrder.values().stream().collect(Collectors.toSet()))
        .as("each order linked exactly once: revoked tasks made no call")
        .containsExactly(1L);
  }

  private static String orderIdOf(String body) {
    var m = java.util.regex.Pattern.compile("\"externalId\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
    assertThat(m.find()).as("externalId in %s", body).isTrue();
    return m.group(1);
  }

  private EnricherApp start(PipelineRun run, String label) {
    EnricherApp app = EnricherApp.start(run.config(tmp.resolve("state-" + label), Map.of()));
    apps.add(app);
    await("Kafka Streams RUNNING")
        .atMost(LONG)
        .until(() -> app.streams().state() == KafkaStreams.State.RUNNING);
    return app;
  }

  private OutputReader reader(PipelineRun run) {
    OutputReader reader = new OutputReader(it.bootstrapServers(), it.registry(), run);
    readers.add(reader);
    return reader;
  }
}
