package dev.twikitorders.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twikitorders.auth.AuthEvents;
import dev.twikitorders.auth.AuthSettings;
import dev.twikitorders.auth.Authenticator;
import dev.twikitorders.auth.Authenticators;
import dev.twikitorders.auth.http.JdkAuthHttp;
import dev.twikitorders.capacity.ConcurrencySettings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several requests of one partition in flight, against a real HTTP endpoint on loopback that holds
 * each request until the test answers it ({@link HoldingEndpoint}): records of one key wait for
 * each other and arrive in offset order, records of other keys go alongside, outcomes come in
 * offset order, refused batches are split without breaking a key's order, one request per partition
 * behaves as before, and the instance-wide limit of requests in flight ({@link DeliveryCapacity})
 * caps all partitions together and gets its slots back.
 */
class ConcurrentDeliveryTest {

  private static final DeliveryPolicy FAST =
      DeliveryPolicy.DEFAULT
          .withBackoff(Duration.ofMillis(10), Duration.ofMillis(100))
          .withMaxRetryAfter(Duration.ofSeconds(1));

  /** Batches form only when the test flushes. */
  private static final Duration NEVER = Duration.ofMinutes(10);

  private static ScheduledExecutorService scheduler;
  private static JdkAuthHttp authHttp;

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final List<RecordOutcome> outcomes = new CopyOnWriteArrayList<>();
  private HoldingEndpoint endpoint;
  private Authenticator none;

  @BeforeAll
  static void startScheduler() {
    scheduler = Executors.newScheduledThreadPool(2);
    authHttp = new JdkAuthHttp(null, Duration.ofSeconds(2), Duration.ofSeconds(10), 1_000_000);
  }

  @AfterAll
  static void stopScheduler() {
    authHttp.close();
    scheduler.shutdownNow();
  }

  @BeforeEach
  void startEndpoint() throws Exception {
    endpoint = new HoldingEndpoint();
    none =
        Authenticators.create(
            new AuthSettings.None(), authHttp, scheduler, AuthEvents.NOOP, Clock.systemUTC());
    toClose.add(endpoint);
    toClose.add(none);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private HttpDelivery http(DeliveryCapacity capacity) {
    HttpDelivery h =
        new HttpDelivery(
            endpoint.url(),
            none,
            null,
            Duration.ofSeconds(2),
            Duration.ofSeconds(30),
            Clock.systemUTC(),
            capacity);
    toClose.add(h);
    return h;
  }

  private PartitionDelivery partition(HttpDelivery http, DeliveryPolicy policy) {
    PartitionDelivery p = new PartitionDelivery(http, policy, scheduler, outcomes::add);
    toClose.add(p);
    return p;
  }

  private PartitionDelivery partition(DeliveryPolicy policy) {
    return partition(http(null), policy);
  }

  /** Line {@code line} of order {@code order} at {@code offset} of partition {@code partition}. */
  private static DeliveryRecord record(String order, int line, int partition, long offset) {
    return new DeliveryRecord(
        order.getBytes(StandardCharsets.UTF_8),
        Records.summary(order, line),
        Records.key(order, line),
        Records.TOPIC,
        partition,
        offset);
  }

  /** Records of partition 0 at offsets 0.. from "order:line" names, e.g. "A:0". */
  private static List<DeliveryRecord> records(String... names) {
    List<DeliveryRecord> out = new ArrayList<>();
    for (String n : names) {
      String[] p = n.split(":");
      out.add(record(p[0], Integer.parseInt(p[1]), 0, out.size()));
    }
    return out;
  }

  private static String key(String name) {
    String[] p = name.split(":");
    return Records.key(p[0], Integer.parseInt(p[1]));
  }

  private static List<String> keys(String... names) {
    return java.util.Arrays.stream(names).map(ConcurrentDeliveryTest::key).toList();
  }

  private void awaitArrived(int n) {
    await().atMost(Duration.ofSeconds(30)).until(() -> endpoint.arrived().size() >= n);
    assertThat(endpoint.arrived()).hasSize(n);
  }

  private void awaitOutcomes(int n) {
    await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.size() >= n);
    assertThat(outcomes).hasSize(n);
  }

  private void awaitRequestsInFlight(PartitionDelivery p, int n) {
    await().atMost(Duration.ofSeconds(30)).until(() -> p.requestsInFlight() == n);
  }

  private List<DeliveryRecord> reported() {
    return outcomes.stream().map(RecordOutcome::record).toList();
  }

  @Test
  void recordsOfOneKeyWaitForEachOtherWhileOtherKeysGoAlongsideAndOutcomesKeepOffsetOrder() {
    List<DeliveryRecord> records = records("A:0", "B:0", "A:1", "C:0", "A:2");
    PartitionDelivery p = partition(FAST);

    records.forEach(p::submit);

    // A:1 and A:2 wait for A:0; B:0 and C:0 go alongside it
    assertThat(p.requestsInFlight()).isEqualTo(3);
    assertThat(p.pending()).isEqualTo(5);
    awaitArrived(3);
    assertThat(endpoint.arrivedKeys().stream().flatMap(List::stream).toList())
        .containsExactlyInAnyOrderElementsOf(keys("A:0", "B:0", "C:0"));
    assertThat(endpoint.maxHeld()).as("requests of distinct keys held at once").isEqualTo(3);

    endpoint.answer(key("A:0"), 200);
    awaitArrived(4);
    assertThat(endpoint.arrived().get(3).keys()).containsExactly(key("A:1"));
    awaitOutcomes(1);
    assertThat(reported()).containsExactly(records.get(0));

    // C:0 settles before B:0 and A:1: its outcome waits for theirs
    endpoint.answer(key("C:0"), 200);
    awaitRequestsInFlight(p, 2);
    assertThat(reported()).containsExactly(records.get(0));

    endpoint.answer(key("B:0"), 200);
    awaitRequestsInFlight(p, 1);
    assertThat(reported()).containsExactly(records.get(0), records.get(1));

    endpoint.answer(key("A:1"), 200);
    awaitArrived(5);
    assertThat(endpoint.arrived().get(4).keys()).containsExactly(key("A:2"));
    awaitOutcomes(4);
    assertThat(reported()).containsExactlyElementsOf(records.subList(0, 4));

    endpoint.answer(key("A:2"), 200);
    awaitOutcomes(5);
    assertThat(reported()).containsExactlyElementsOf(records);
    assertThat(outcomes).extracting(RecordOutcome::kind).containsOnly(RecordOutcome.Kind.DELIVERED);
    assertThat(endpoint.maxHeldPerOrder()).as("requests of one order held at once").isEqualTo(1);
    assertThat(p.pending()).isZero();
    assertThat(p.requestsInFlight()).isZero();
  }

  @Test
  void oneRequestPerPartitionSendsEveryRecordInOffsetOrderOneAtATime() {
    List<DeliveryRecord> records = records("A:0", "B:0", "C:0", "A:1");
    PartitionDelivery p = partition(FAST.withMaxInFlightRequests(1));

    records.forEach(p::submit);

    assertThat(p.requestsInFlight()).isEqualTo(1);
    for (int i = 0; i < records.size(); i++) {
      awaitArrived(i + 1);
      assertThat(endpoint.arrived().get(i).keys()).containsExactly(records.get(i).idempotencyKey());
      endpoint.arrived().get(i).answer().complete(200);
    }
    awaitOutcomes(4);
    assertThat(reported()).containsExactlyElementsOf(records);
    assertThat(endpoint.maxHeld()).isEqualTo(1);
  }

  @Test
  void fullBatchesOfEligibleRecordsGoSideBySideWhileAPartialBatchWaitsForThem() {
    List<DeliveryRecord> records =
        records("A:0", "B:0", "A:1", "C:0", "B:1", "D:0", "E:0", "F:0", "G:0");
    PartitionDelivery p = partition(FAST.withBatching(3, NEVER));

    records.forEach(p::submit);
    p.flush();

    // A:0, B:0, A:1 and then C:0, D:0, E:0 filled batches and went (a batch may carry several
    // records of a key; B:1 waits for B:0); F:0 and G:0 would only make a partial batch
    assertThat(p.requestsInFlight()).isEqualTo(2);
    awaitArrived(2);
    assertThat(endpoint.arrivedKeys())
        .containsExactlyInAnyOrder(keys("A:0", "B:0", "A:1"), keys("C:0", "D:0", "E:0"));
    assertThat(endpoint.maxHeld()).isEqualTo(2);

    endpoint.answer(key("A:0"), 200);
    awaitArrived(3);
    assertThat(endpoint.arrived().get(2).keys())
        .containsExactlyElementsOf(keys("B:1", "F:0", "G:0"));
    endpoint.answer(key("C:0"), 200);
    endpoint.answer(key("B:1"), 200);

    awaitOutcomes(9);
    assertThat(reported()).containsExactlyElementsOf(records);
    assertThat(endpoint.maxHeldPerOrder()).isEqualTo(1);
  }

  @Test
  void aPartialBatchWaitsForThePartitionsRequestsInFlightAndThenGoesWithWhatQueuedUp() {
    List<DeliveryRecord> records = records("A:0", "B:0", "C:0", "D:0");
    PartitionDelivery p = partition(FAST.withBatching(3, Duration.ZERO));

    p.submit(records.get(0));
    awaitArrived(1);
    records.subList(1, 4).forEach(p::submit);

    // B:0, C:0, D:0 fill a batch and go alongside A:0
    assertThat(p.requestsInFlight()).isEqualTo(2);
    awaitArrived(2);
    assertThat(endpoint.arrived().get(1).keys())
        .containsExactlyElementsOf(keys("B:0", "C:0", "D:0"));
    List<DeliveryRecord> more = List.of(record("E", 0, 0, 4), record("F", 0, 0, 5));
    more.forEach(p::submit);
    assertThat(p.requestsInFlight()).as("E:0, F:0 wait").isEqualTo(2);
    endpoint.answer(key("A:0"), 200);
    awaitRequestsInFlight(p, 1);
    assertThat(endpoint.arrived()).hasSize(2);
    endpoint.answer(key("B:0"), 200);
    awaitArrived(3);
    assertThat(endpoint.arrived().get(2).keys()).containsExactlyElementsOf(keys("E:0", "F:0"));
    endpoint.answer(key("E:0"), 200);

    awaitOutcomes(6);
    assertThat(reported())
        .containsExactlyElementsOf(
            java.util.stream.Stream.concat(records.stream(), more.stream()).toList());
  }

  @Test
  void withOneRequestPerPartitionABatchIsTheNextQueuedRecordsWhateverTheirKeys() {
    List<DeliveryRecord> records = records("A:0", "B:0", "A:1", "C:0", "B:1", "D:0");
    PartitionDelivery p = partition(FAST.withBatching(3, NEVER).withMaxInFlightRequests(1));

    records.forEach(p::submit);
    p.flush();

    assertThat(p.requestsInFlight()).isEqualTo(1);
    awaitArrived(1);
    endpoint.answer(key("A:0"), 200);
    awaitArrived(2);
    endpoint.answer(key("C:0"), 200);

    awaitOutcomes(6);
    assertThat(endpoint.arrivedKeys())
        .containsExactly(keys("A:0", "B:0", "A:1"), keys("C:0", "B:1", "D:0"));
    assertThat(reported()).containsExactlyElementsOf(records);
  }

  @Test
  void aRefusedBatchIsSplitAndALaterRecordOfTheRefusedKeyStillWaitsForIt() {
    endpoint.autoAnswer(r -> r.keys().contains(key("B:0")) ? 400 : 200);
    List<DeliveryRecord> records = records("A:0", "B:0", "A:1", "B:1", "C:0");
    PartitionDelivery p = partition(FAST.withBatching(3, NEVER));

    records.forEach(p::submit);
    p.flush();

    awaitOutcomes(5);
    assertThat(reported()).containsExactlyElementsOf(records);
    assertThat(outcomes)
        .extracting(RecordOutcome::kind)
        .containsExactly(
            RecordOutcome.Kind.DELIVERED,
            RecordOutcome.Kind.REJECTED,
            RecordOutcome.Kind.DELIVERED,
            RecordOutcome.Kind.DELIVERED,
            RecordOutcome.Kind.DELIVERED);
    assertThat(outcomes.get(1).status()).isEqualTo(400);
    List<List<String>> arrived = endpoint.arrivedKeys();
    // the split goes in order; B:1 (with C:0, a partial batch) only after B:0 was refused alone
    assertThat(arrived)
        .containsExactly(
            keys("A:0", "B:0", "A:1"), keys("A:0"), keys("B:0"), keys("A:1"), keys("B:1", "C:0"));
    assertThat(endpoint.maxHeldPerOrder()).isEqualTo(1);
  }

  @Test
  void finishInFlightLetsTheRequestsInFlightSettleAndDropsTheRecordsWaitingForTheirKey()
      throws Exception {
    List<DeliveryRecord> records = records("A:0", "B:0", "A:1");
    PartitionDelivery p = partition(FAST);
    records.forEach(p::submit);
    awaitArrived(2);

    CompletableFuture<Void> finished = p.finishInFlight();
    assertThat(finished).isNotDone();
    assertThat(p.pending()).isEqualTo(2);
    endpoint.answer(key("B:0"), 200);
    endpoint.answer(key("A:0"), 200);

    finished.get(30, TimeUnit.SECONDS);
    awaitOutcomes(2);
    assertThat(reported()).containsExactly(records.get(0), records.get(1));
    assertThat(endpoint.arrived()).hasSize(2);
    assertThat(p.pending()).isZero();
  }

  @Test
  void theInstanceLimitCapsTheRequestsOfAllPartitionsTogether() {
    DeliveryCapacity capacity = DeliveryCapacity.create(ConcurrencySettings.fixed(2), 0, scheduler);
    HttpDelivery http = http(capacity);
    PartitionDelivery p0 = partition(http, FAST);
    PartitionDelivery p1 = partition(http, FAST);

    p0.submit(record("A", 0, 0, 0));
    p0.submit(record("B", 0, 0, 1));
    p1.submit(record("C", 0, 1, 0));
    p1.submit(record("D", 0, 1, 1));

    assertThat(p0.requestsInFlight() + p1.requestsInFlight()).isEqualTo(4);
    awaitArrived(2);
    await().atMost(Duration.ofSeconds(30)).until(() -> capacity.queued() == 2);
    assertThat(capacity.inFlight()).isEqualTo(2);
    assertThat(capacity.limit()).isEqualTo(2);

    endpoint.autoAnswer(r -> 200);
    endpoint.arrived().forEach(r -> r.answer().complete(200));

    awaitOutcomes(4);
    assertThat(outcomes).extracting(RecordOutcome::kind).containsOnly(RecordOutcome.Kind.DELIVERED);
    assertThat(endpoint.maxHeld()).isEqualTo(2);
    await().atMost(Duration.ofSeconds(30)).until(() -> capacity.inFlight() == 0);
  }

  @Test
  void closingGivesBackTheSlotsOfItsRequestsWaitingOrSent() {
    DeliveryCapacity capacity = DeliveryCapacity.create(ConcurrencySettings.fixed(1), 0, scheduler);
    HttpDelivery http = http(capacity);
    PartitionDelivery p0 = partition(http, FAST);
    PartitionDelivery p1 = partition(http, FAST);

    p0.submit(record("A", 0, 0, 0));
    awaitArrived(1);
    p1.submit(record("B", 0, 1, 0));
    await().atMost(Duration.ofSeconds(30)).until(() -> capacity.queued() == 1);

    p1.close();
    await().atMost(Duration.ofSeconds(30)).until(() -> capacity.queued() == 0);
    assertThat(capacity.inFlight()).isEqualTo(1);
    p0.close();
    await().atMost(Duration.ofSeconds(30)).until(() -> capacity.inFlight() == 0);

    assertThat(outcomes).isEmpty();
    assertThat(endpoint.arrived()).hasSize(1);
  }

  @Test
  void a429LowersTheRateForEveryRequestAndTheRecordIsDeliveredOnRetry() {
    DeliveryCapacity capacity =
        DeliveryCapacity.create(ConcurrencySettings.adaptive(1, 8), 0, scheduler);
    AtomicInteger answered = new AtomicInteger();
    endpoint.autoAnswer(r -> answered.getAndIncrement() == 1 ? 429 : 200);
    PartitionDelivery p = partition(http(capacity), FAST);
    List<DeliveryRecord> records = records("A:0", "A:1", "A:2");
    assertThat(capacity.rate()).as("unlimited at first").isZero();

    records.forEach(p::submit);

    awaitOutcomes(3);
    assertThat(reported()).containsExactlyElementsOf(records);
    assertThat(outcomes).extracting(RecordOutcome::kind).containsOnly(RecordOutcome.Kind.DELIVERED);
    assertThat(outcomes.get(1).attempts()).isEqualTo(2);
    assertThat(capacity.rateLimited()).isEqualTo(1);
    assertThat(capacity.rate()).as("lowered by the 429").isPositive();
    assertThat(capacity.toString()).contains("adaptive 1..8");
  }
}
