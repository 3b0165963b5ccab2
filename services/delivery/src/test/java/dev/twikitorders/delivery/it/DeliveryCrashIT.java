package dev.twikitorders.delivery.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twikitorders.delivery.it.DeliveryStack.Produced;
import dev.twikitorders.delivery.it.DeliveryStack.Run;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.sandbox.sink.SinkRecording;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * At-least-once delivery across a crash: {@code java -jar delivery.jar deliver} as a child process
 * (configured only by environment variables) against the embedded broker, the real registry and the
 * sandbox's sink with latency, so that every partition always has a batch in flight. The test
 * SIGKILLs it after part of the topic was delivered, starts a new process of the same group and
 * requires every idempotency key at the sink (duplicates only under the same key), per-order order
 * of first arrivals, committed offsets at the end offsets and an empty dead-letter topic. A SIGTERM
 * exits 143 after committing only what the sink acknowledged.
 *
 * <p>Child output goes to {@code target/it-logs/}; every child is killed in {@link #stopAll()}.
 */
class DeliveryCrashIT {
  private static final String API_KEY = "crash-api-key-7c41e9";

  private static DeliveryStack stack;
  private static TwikitSandbox sb;

  @BeforeAll
  static void start() {
    stack = DeliveryStack.start(b -> b.apiKey(API_KEY));
    sb = stack.sandbox();
  }

  @AfterAll
  static void stopAll() {
    DeliveryProcess.killAll();
    if (stack != null) {
      stack.close();
    }
  }

  @AfterEach
  void resetSandbox() {
    sb.reset();
  }

  private Map<String, String> environment(Run run) {
    return stack.environment(
        run,
        Map.of(
            "DELIVERY_AUTH_SCHEME", "api_key",
            "DELIVERY_API_KEY", API_KEY,
            "DELIVERY_BATCH_MAX_RECORDS", "10",
            "DELIVERY_LINGER_MS", "20"));
  }

  @Test
  void killedMidBatchThenRestartedDeliversEveryKeyInOrderPerOrder() {
    Run run = stack.newRun("crash-kill");
    List<Produced> produced = stack.produce(run, 60, 15);
    // 900 records, 30 batches per partition, one request per partition at a time: about 3 s
    sb.setLatency(Duration.ofMillis(100));
    DeliveryProcess first = DeliveryProcess.deliver(run.name() + "-1", environment(run));
    await("a part delivered")
        .atMost(DeliveryProcess.LONG)
        .until(() -> sb.sink(run.sink()).distinctKeys() >= 150);
    assertThat(first.kill()).as("exit status of a SIGKILLed process").isEqualTo(128 + 9);
    long beforeRestart = sb.sink(run.sink()).distinctKeys();
    assertThat(beforeRestart).as("delivered before the kill").isLessThan(produced.size());
    assertCommittedPrefixDelivered(run, produced);

    DeliveryProcess second = DeliveryProcess.deliver(run.name() + "-2", environment(run));
    awaitAllDeliveredAndCommitted(run, produced);
    SinkRecording sink = sb.sink(run.sink());
    System.out.printf(
        "DeliveryCrashIT kill -9: %d records, %d delivered before the kill, sink total %d,"
            + " distinct %d, duplicates %d%n",
        produced.size(), beforeRestart, sink.total(), sink.distinctKeys(), sink.duplicates());
    assertConservedInOrder(run, produced, sink);
    assertThat(second.stop()).as("exit status after SIGTERM").isEqualTo(143);
  }

  @Test
  void sigtermExits143CommitsOnlyWhatWasAcknowledgedAndARestartFinishes() {
    Run run = stack.newRun("crash-term");
    List<Produced> produced = stack.produce(run, 40, 15);
    sb.setLatency(Duration.ofMillis(100));
    DeliveryProcess first = DeliveryProcess.deliver(run.name() + "-1", environment(run));
    await("a part delivered")
        .atMost(DeliveryProcess.LONG)
        .until(() -> sb.sink(run.sink()).distinctKeys() >= 100);
    assertThat(first.stop()).as("exit status after SIGTERM").isEqualTo(143);
    long beforeRestart = sb.sink(run.sink()).distinctKeys();
    assertThat(beforeRestart).as("delivered before the stop").isLessThan(produced.size());
    assertCommittedPrefixDelivered(run, produced);

    DeliveryProcess second = DeliveryProcess.deliver(run.name() + "-2", environment(run));
    awaitAllDeliveredAndCommitted(run, produced);
    SinkRecording sink = sb.sink(run.sink());
    System.out.printf(
        "DeliveryCrashIT SIGTERM: %d records, %d delivered before the stop, sink total %d,"
            + " distinct %d, duplicates %d%n",
        produced.size(), beforeRestart, sink.total(), sink.distinctKeys(), sink.duplicates());
    assertConservedInOrder(run, produced, sink);
    assertThat(second.stop()).as("exit status after SIGTERM").isEqualTo(143);
  }

  /**
   * Scaling: a second instance of the group joins mid-way (cooperative rebalancing hands it a
   * partition), then the first leaves with SIGTERM and the second takes everything over; every key
   * arrives, in per-order order, and the offsets reach the end.
   */
  @Test
  void aSecondInstanceJoinsThenTheFirstLeavesAndNothingIsLostOrReordered() {
    Run run = stack.newRun("crash-scale");
    List<Produced> produced = stack.produce(run, 60, 15);
    // batches of 5 at 150 ms: about 9 s per partition, so the second instance joins mid-way
    sb.setLatency(Duration.ofMillis(150));
    int port1 = DeliveryProcess.freePort();
    int port2 = DeliveryProcess.freePort();
    DeliveryProcess first = DeliveryProcess.deliver(run.name() + "-1", withMetrics(run, port1));
    await("a part delivered")
        .atMost(DeliveryProcess.LONG)
        .until(() -> sb.sink(run.sink()).distinctKeys() >= 100);

    // a slow sink while the second instance starts leaves plenty to share, however slow the start
    sb.setLatency(Duration.ofSeconds(1));
    DeliveryProcess second = DeliveryProcess.deliver(run.name() + "-2", withMetrics(run, port2));
    await("the partitions shared")
        .atMost(DeliveryProcess.LONG)
        .until(() -> assigned(port1) >= 1 && assigned(port2) >= 1);
    double firstWhileShared = delivered(port1);
    sb.setLatency(Duration.ofMillis(150));
    await("both instances delivering")
        .atMost(DeliveryProcess.LONG)
        .until(() -> delivered(port1) > firstWhileShared && delivered(port2) > 0);
    assertThat(first.stop()).as("exit status after SIGTERM").isEqualTo(143);
    await("the second instance owns every partition")
        .atMost(DeliveryProcess.LONG)
        .until(() -> assigned(port2) == DeliveryStack.PARTITIONS);

    awaitAllDeliveredAndCommitted(run, produced);
    SinkRecording sink = sb.sink(run.sink());
    System.out.printf(
        "DeliveryCrashIT scale out and in: %d records, sink total %d, distinct %d, duplicates %d%n",
        produced.size(), sink.total(), sink.distinctKeys(), sink.duplicates());
    assertConservedInOrder(run, produced, sink);
    assertThat(second.stop()).as("exit status after SIGTERM").isEqualTo(143);
  }

  private Map<String, String> withMetrics(Run run, int port) {
    Map<String, String> env = new java.util.HashMap<>(environment(run));
    env.put("DELIVERY_BATCH_MAX_RECORDS", "5");
    env.put("METRICS_PORT", Integer.toString(port));
    env.put("METRICS_BIND_ADDRESS", "127.0.0.1");
    return env;
  }

  private static double delivered(int port) {
    return DeliveryProcess.sample(
        DeliveryProcess.get(port, "/metrics").body(), "order_delivery_records_delivered_total");
  }

  private static double assigned(int port) {
    return DeliveryProcess.sample(
        DeliveryProcess.get(port, "/metrics").body(), "order_delivery_partitions_assigned");
  }

  private static void awaitAllDeliveredAndCommitted(Run run, List<Produced> produced) {
    sb.setLatency(Duration.ofMillis(5));
    await("every key at the sink")
        .atMost(DeliveryProcess.LONG)
        .until(() -> sb.sink(run.sink()).distinctKeys() == produced.size());
    await("the group's offsets at the end")
        .atMost(DeliveryProcess.LONG)
        .until(() -> stack.committed(run).equals(stack.endOffsets(run.topic())));
  }

  /** Every record below a committed offset of its partition is at the sink. */
  private static void assertCommittedPrefixDelivered(Run run, List<Produced> produced) {
    Map<TopicPartition, Long> committed = stack.committed(run);
    Map<String, Long> atSink = sb.sink(run.sink()).countByKey();
    List<String> committedNotDelivered =
        produced.stream()
            .filter(p -> p.offset() < committed.get(new TopicPartition(run.topic(), p.partition())))
            .map(Produced::key)
            .filter(k -> !atSink.containsKey(k))
            .toList();
    assertThat(committedNotDelivered).as("committed but never delivered").isEmpty();
  }

  private static void assertConservedInOrder(Run run, List<Produced> produced, SinkRecording sink) {
    assertThat(sink.truncated()).isFalse();
    assertThat(sink.countByKey().keySet())
        .containsExactlyInAnyOrderElementsOf(produced.stream().map(Produced::key).toList());
    assertThat(sink.distinctKeys()).isEqualTo(produced.size());
    // a duplicate is only ever another copy under the same key
    assertThat(sink.total() - sink.distinctKeys()).isEqualTo(sink.duplicates());
    assertThat(sink.countByKey().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(sink.total());
    Map<String, List<String>> expected = DeliveryStack.keysByOrder(produced);
    Map<String, List<String>> arrived = DeliveryStack.firstArrivalsByOrder(sink.items());
    assertThat(arrived.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach(
        (order, keys) -> assertThat(arrived.get(order)).as(order).containsExactlyElementsOf(keys));
    assertThat(stack.deadLetters(run)).as("dead letters").isEmpty();
  }
}
