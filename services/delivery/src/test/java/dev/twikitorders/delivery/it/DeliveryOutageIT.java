package dev.twikitorders.delivery.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twikitorders.delivery.it.DeliveryProcess.Answer;
import dev.twikitorders.delivery.it.DeliveryStack.Produced;
import dev.twikitorders.delivery.it.DeliveryStack.Run;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.sandbox.api.Operation;
import dev.twikitorders.sandbox.sink.SinkRecording;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An endpoint outage delays, never drops: {@code java -jar delivery.jar deliver} as a child process
 * while the sandbox's sink answers 503 to everything, hangs (shorter request timeout), or answers
 * 429 with {@code Retry-After}. Nothing is dead-lettered (no retry deadline by default), {@code
 * /health/ready} keeps answering, {@code order_delivery_requests_retried_total} counts the retries,
 * and after the outage every record arrives in per-order order and the offsets reach the end.
 *
 * <p>Child output goes to {@code target/it-logs/}; every child is killed in {@link #stopAll()}.
 */
class DeliveryOutageIT {
  private static final String API_KEY = "outage-api-key-31f0a2";

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

  private Map<String, String> environment(Run run, int metricsPort, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    env.put("DELIVERY_AUTH_SCHEME", "api_key");
    env.put("DELIVERY_API_KEY", API_KEY);
    env.put("DELIVERY_BATCH_MAX_RECORDS", "5");
    env.put("METRICS_PORT", Integer.toString(metricsPort));
    env.put("METRICS_BIND_ADDRESS", "127.0.0.1");
    env.putAll(extra);
    return stack.environment(run, env);
  }

  @Test
  void aLongRunOf503sDelaysButDropsNothing() {
    Run run = stack.newRun("outage-503");
    sb.updateFaults(f -> f.errorRate(503, 1.0).operations(Operation.SINK));
    List<Produced> produced = stack.produce(run, 12, 5);
    int port = DeliveryProcess.freePort();
    DeliveryProcess p = DeliveryProcess.deliver(run.name(), environment(run, port, Map.of()));

    await("a long run of 503s")
        .atMost(DeliveryProcess.LONG)
        .until(() -> sb.counters().requests(Operation.SINK, 503) >= 12);
    assertDuringOutage(run, port);

    sb.resetFaults();
    assertDeliveredAfterOutage(run, produced, port);
    assertThat(p.stop()).isEqualTo(143);
  }

  @Test
  void hangingRequestsTimeOutAndAreRetried() {
    Run run = stack.newRun("outage-hang");
    // every partition's first requests hang; the request timeout ends each, then a retry
    sb.hangNext(9, Operation.SINK);
    List<Produced> produced = stack.produce(run, 12, 5);
    int port = DeliveryProcess.freePort();
    DeliveryProcess p =
        DeliveryProcess.deliver(
            run.name(), environment(run, port, Map.of("DELIVERY_REQUEST_TIMEOUT_MS", "500")));

    await("the hung requests timed out and were retried")
        .atMost(DeliveryProcess.LONG)
        .until(() -> sb.counters().requests(Operation.SINK, 0) >= 9);
    assertDeliveredAfterOutage(run, produced, port);
    assertThat(p.stop()).isEqualTo(143);
  }

  @Test
  void tooManyRequestsWithRetryAfterDelaysButDropsNothing() {
    Run run = stack.newRun("outage-429");
    sb.updateFaults(
        f -> f.errorRate(429, 1.0).retryAfter(Duration.ofSeconds(1)).operations(Operation.SINK));
    List<Produced> produced = stack.produce(run, 12, 5);
    int port = DeliveryProcess.freePort();
    DeliveryProcess p = DeliveryProcess.deliver(run.name(), environment(run, port, Map.of()));

    await("429s with Retry-After on every partition")
        .atMost(DeliveryProcess.LONG)
        .until(() -> sb.counters().requests(Operation.SINK, 429) >= 6);
    assertDuringOutage(run, port);

    sb.resetFaults();
    assertDeliveredAfterOutage(run, produced, port);
    assertThat(p.stop()).isEqualTo(143);
  }

  /**
   * An endpoint with a rate limit the service was not told of: its 429s lower the rate for every
   * request of the instance (and shrink the in-flight limit), so everything arrives, in per-order
   * order, with fewer 429s than records, while the records of distinct orders went alongside each
   * other; the capacity meters are exported.
   */
  @Test
  void aRateLimitedEndpointGetsEverythingInOrderWithFewer429sThanRecords() {
    Run run = stack.newRun("rate-limit");
    sb.setLatency(Duration.ofMillis(20));
    sb.setRateLimit(50);
    List<Produced> produced = stack.produce(run, 30, 4);
    int port = DeliveryProcess.freePort();
    DeliveryProcess p =
        DeliveryProcess.deliver(
            run.name(), environment(run, port, Map.of("DELIVERY_BATCH_MAX_RECORDS", "1")));

    await("every key at the sink")
        .atMost(DeliveryProcess.LONG)
        .until(() -> sb.sink(run.sink()).distinctKeys() == produced.size());
    await("the group's offsets at the end")
        .atMost(DeliveryProcess.LONG)
        .until(() -> stack.committed(run).equals(stack.endOffsets(run.topic())));

    long refused = sb.counters().rateLimited();
    assertThat(refused).as("429s of the rate limit").isPositive().isLessThan(produced.size());
    assertThat(sb.counters().maxConcurrent())
        .as("requests served at once (3 partitions)")
        .isGreaterThan(DeliveryStack.PARTITIONS);
    SinkRecording sink = sb.sink(run.sink());
    Map<String, List<String>> arrived = DeliveryStack.firstArrivalsByOrder(sink.items());
    DeliveryStack.keysByOrder(produced)
        .forEach(
            (order, keys) ->
                assertThat(arrived.get(order)).as(order).containsExactlyElementsOf(keys));
    assertThat(stack.deadLetters(run)).as("dead letters").isEmpty();
    String metrics = DeliveryProcess.get(port, "/metrics").body();
    assertThat(DeliveryProcess.sample(metrics, "order_delivery_concurrency_limit"))
        .as("order_delivery_concurrency_limit")
        .isBetween(1.0, 64.0);
    assertThat(DeliveryProcess.sample(metrics, "order_delivery_requests_in_flight"))
        .as("order_delivery_requests_in_flight")
        .isGreaterThanOrEqualTo(0);
    assertThat(DeliveryProcess.sample(metrics, "order_delivery_rate_limit"))
        .as("order_delivery_rate_limit, lowered by the 429s")
        .isPositive();
    assertThat(p.stop()).isEqualTo(143);
  }

  /**
   * With {@code DELIVERY_RETRY_DEADLINE_MS} set, what still fails at the deadline is dead-lettered
   * as {@code DELIVERY_EXHAUSTED} with the last status; what comes after the outage is delivered.
   */
  @Test
  void withARetryDeadlineAnOutageDeadLettersWhatItHeldUpAsExhausted() throws Exception {
    Run run = stack.newRun("outage-deadline");
    sb.updateFaults(
        f -> f.errorRate(503, 1.0).retryAfter(Duration.ZERO).operations(Operation.SINK));
    List<Produced> held = stack.produce(run, 3, 1);
    int port = DeliveryProcess.freePort();
    DeliveryProcess p =
        DeliveryProcess.deliver(
            run.name(),
            environment(
                run,
                port,
                Map.of("DELIVERY_RETRY_DEADLINE_MS", "1000", "DELIVERY_BATCH_MAX_RECORDS", "1")));

    await("the held records dead-lettered at the deadline")
        .atMost(DeliveryProcess.LONG)
        .until(() -> stack.deadLetters(run).size() == held.size());
    sb.resetFaults();
    List<Produced> after = stack.produce(run, 3, 1);
    await("the later records delivered")
        .atMost(DeliveryProcess.LONG)
        .until(() -> sb.sink(run.sink()).distinctKeys() == after.size());
    await("the group's offsets at the end")
        .atMost(DeliveryProcess.LONG)
        .until(() -> stack.committed(run).equals(stack.endOffsets(run.topic())));

    var letters = stack.deadLetters(run);
    assertThat(letters)
        .extracting(d -> d.getIdempotencyKey())
        .containsExactlyInAnyOrderElementsOf(held.stream().map(Produced::key).toList());
    assertThat(letters)
        .allSatisfy(
            d -> {
              assertThat(d.getErrorType())
                  .isEqualTo(dev.twikitorders.schemas.ErrorType.DELIVERY_EXHAUSTED);
              assertThat(d.getHttpStatus()).isEqualTo(503);
              assertThat(d.getAttempts()).isGreaterThan(1);
            });
    assertThat(
            DeliveryProcess.sample(
                DeliveryProcess.get(port, "/metrics").body(),
                "order_delivery_dead_letters_total{error_type=\"DELIVERY_EXHAUSTED\"}"))
        .isEqualTo(held.size());
    // the status page shows the same count and each held record among the last dead letters
    JsonNode status = new ObjectMapper().readTree(DeliveryProcess.get(port, "/status.json").body());
    JsonNode deadLetters = section(status, "Dead letters").path("tables");
    assertThat(deadLetters.get(0).path("rows").toString())
        .contains("[\"DELIVERY_EXHAUSTED\",\"" + held.size() + "\"]");
    List<String> recentKeys = new java.util.ArrayList<>();
    deadLetters.get(1).path("rows").forEach(r -> recentKeys.add(r.get(6).asText()));
    assertThat(recentKeys)
        .hasSize(Math.min(held.size(), 20))
        .isSubsetOf(held.stream().map(Produced::key).toList());
    assertThat(DeliveryProcess.get(port, "/").body()).contains("status.json");
    assertThat(p.stop()).isEqualTo(143);
  }

  /** The section of a status.json document with {@code title}. */
  static JsonNode section(JsonNode status, String title) {
    for (JsonNode s : status.path("sections")) {
      if (s.path("title").asText().equals(title)) {
        return s;
      }
    }
    throw new AssertionError("no section " + title + " in " + status);
  }

  /** Nothing delivered or dead-lettered, retries counted, the probes answer. */
  private static void assertDuringOutage(Run run, int port) {
    assertThat(sb.sink(run.sink()).total()).as("delivered during the outage").isZero();
    await("retries in /metrics")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                DeliveryProcess.sample(
                        DeliveryProcess.get(port, "/metrics").body(),
                        "order_delivery_requests_retried_total")
                    > 0);
    Answer ready = DeliveryProcess.get(port, "/health/ready");
    assertThat(ready.status()).as("/health/ready during an outage: " + ready.body()).isEqualTo(200);
    assertThat(DeliveryProcess.get(port, "/health/live").status()).isEqualTo(200);
    assertThat(stack.deadLetters(run)).as("dead letters during the outage").isEmpty();
  }

  private static void assertDeliveredAfterOutage(Run run, List<Produced> produced, int port) {
    await("every key at the sink")
        .atMost(DeliveryProcess.LONG)
        .until(() -> sb.sink(run.sink()).distinctKeys() == produced.size());
    await("the group's offsets at the end")
        .atMost(DeliveryProcess.LONG)
        .until(() -> stack.committed(run).equals(stack.endOffsets(run.topic())));
    SinkRecording sink = sb.sink(run.sink());
    assertThat(sink.countByKey().keySet())
        .containsExactlyInAnyOrderElementsOf(produced.stream().map(Produced::key).toList());
    assertThat(sink.total() - sink.distinctKeys()).isEqualTo(sink.duplicates());
    Map<String, List<String>> arrived = DeliveryStack.firstArrivalsByOrder(sink.items());
    DeliveryStack.keysByOrder(produced)
        .forEach(
            (order, keys) ->
                assertThat(arrived.get(order)).as(order).containsExactlyElementsOf(keys));
    assertThat(stack.deadLetters(run)).as("dead letters").isEmpty();
    String metrics = DeliveryProcess.get(port, "/metrics").body();
    assertThat(DeliveryProcess.sample(metrics, "order_delivery_requests_retried_total"))
        .isGreaterThan(0);
    assertThat(DeliveryProcess.sample(metrics, "order_delivery_records_delivered_total"))
        .isGreaterThanOrEqualTo(produced.size());
    assertThat(metrics).doesNotContain(API_KEY);
    assertThat(DeliveryProcess.get(port, "/health/ready").status()).isEqualTo(200);
  }
}
