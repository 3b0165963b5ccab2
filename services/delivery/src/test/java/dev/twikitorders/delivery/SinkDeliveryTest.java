package dev.twikitorders.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twikitorders.auth.AuthEvents;
import dev.twikitorders.auth.AuthSettings;
import dev.twikitorders.auth.Authenticator;
import dev.twikitorders.auth.Authenticators;
import dev.twikitorders.auth.ClientAuthMethod;
import dev.twikitorders.auth.Credentials;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.TokenEndpoint;
import dev.twikitorders.auth.http.JdkAuthHttp;
import dev.twikitorders.sandbox.SandboxConfig;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.sandbox.api.Operation;
import dev.twikitorders.sandbox.sink.SinkItem;
import dev.twikitorders.sandbox.sink.SinkRecording;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The delivery engine against the sandbox's real sink on loopback: order, keys, batching, outages,
 * rejections, authentication schemes, deadlines and close.
 */
class SinkDeliveryTest {

  private static final String API_KEY = "delivery-key-81c3e0";
  private static final String INSTANCE_KEY = "instance-7d2a";
  private static final String AUTHENTICATION = "authentication-44f9";
  private static final String CLIENT_SECRET = "client-secret-a9e1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final DeliveryPolicy FAST =
      DeliveryPolicy.DEFAULT
          .withBackoff(Duration.ofMillis(10), Duration.ofMillis(100))
          .withMaxRetryAfter(Duration.ofSeconds(2));

  private static TwikitSandbox sb;
  private static ScheduledExecutorService scheduler;
  private static JdkAuthHttp authHttp;

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final List<RecordOutcome> outcomes = new CopyOnWriteArrayList<>();
  private String sink;

  @BeforeAll
  static void start() {
    sb =
        TwikitSandbox.start(
            SandboxConfig.builder()
                .port(0)
                .clientId("demo")
                .clientSecret(CLIENT_SECRET)
                .apiKey(API_KEY)
                .staticHeader("TWN-InstanceKey", INSTANCE_KEY)
                .staticHeader("TWN-Authentication", AUTHENTICATION)
                .build());
    scheduler = Executors.newScheduledThreadPool(2);
    authHttp = new JdkAuthHttp(null, Duration.ofSeconds(2), Duration.ofSeconds(10), 1_000_000);
  }

  @AfterAll
  static void stop() {
    authHttp.close();
    scheduler.shutdownNow();
    sb.close();
  }

  @BeforeEach
  void reset(TestInfo info) {
    sb.reset();
    sink = info.getTestMethod().orElseThrow().getName();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private Authenticator auth(AuthSettings settings) {
    Authenticator a =
        Authenticators.create(settings, authHttp, scheduler, AuthEvents.NOOP, Clock.systemUTC());
    toClose.add(a);
    return a;
  }

  private Authenticator apiKey() {
    return auth(new AuthSettings.ApiKey(Secret.of(API_KEY)));
  }

  private HttpDelivery http(URI url, Authenticator auth, Duration responseTimeout) {
    HttpDelivery h =
        new HttpDelivery(
            url, auth, null, Duration.ofSeconds(2), responseTimeout, Clock.systemUTC());
    toClose.add(h);
    return h;
  }

  private PartitionDelivery partition(HttpDelivery http, DeliveryPolicy policy) {
    PartitionDelivery p = new PartitionDelivery(http, policy, scheduler, outcomes::add);
    toClose.add(p);
    return p;
  }

  private PartitionDelivery partition(Authenticator auth, DeliveryPolicy policy) {
    return partition(http(sb.sinkUrl(sink), auth, Duration.ofSeconds(10)), policy);
  }

  private static List<String> keys(List<DeliveryRecord> records) {
    return records.stream().map(DeliveryRecord::idempotencyKey).toList();
  }

  private void awaitOutcomes(int n) {
    await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.size() >= n);
    assertThat(outcomes).hasSize(n);
  }

  private void assertAllDeliveredInOrder(List<DeliveryRecord> records) {
    awaitOutcomes(records.size());
    assertThat(outcomes).extracting(RecordOutcome::record).containsExactlyElementsOf(records);
    assertThat(outcomes).extracting(RecordOutcome::kind).containsOnly(RecordOutcome.Kind.DELIVERED);
    assertThat(sb.sink(sink).keys()).containsExactlyElementsOf(keys(records));
  }

  @Test
  void singleRecordsArriveInOrderWithTheirKeysAndJson() throws Exception {
    List<DeliveryRecord> records = Records.lines(5);
    PartitionDelivery p = partition(apiKey(), FAST);

    records.forEach(p::submit);

    assertAllDeliveredInOrder(records);
    SinkRecording rec = sb.sink(sink);
    for (int i = 0; i < records.size(); i++) {
      SinkItem item = rec.items().get(i);
      assertThat(item.batchKey()).isNull();
      assertThat(JSON.readTree(item.record())).isEqualTo(RecordJson.toJson(records.get(i).value()));
    }
    assertThat(outcomes).extracting(RecordOutcome::status).containsOnly(200);
    assertThat(p.pending()).isZero();
  }

  @Test
  void batchesArriveInOrderUnderTheirBatchKeys() throws Exception {
    List<DeliveryRecord> records = Records.lines(7);
    PartitionDelivery p = partition(apiKey(), FAST.withBatching(3, Duration.ofMillis(200)));

    records.forEach(p::submit);

    assertAllDeliveredInOrder(records);
    SinkRecording rec = sb.sink(sink);
    for (int i = 0; i < 3; i++) {
      assertThat(rec.items().get(i).batchKey()).isEqualTo("order-1/line-0..order-1/line-2/3");
      assertThat(JSON.readTree(rec.items().get(i).record()))
          .isEqualTo(RecordJson.toJson(records.get(i).value()));
    }
    assertThat(sb.counters().sinkRequests()).isLessThan(records.size());
  }

  @Test
  void anOutageWith503And429AndRetryAfterEndsWithEverythingDelivered() {
    List<DeliveryRecord> records = Records.lines(6);
    PartitionDelivery p = partition(apiKey(), FAST.withBatching(2, Duration.ZERO));

    sb.failNext(2, 503, Operation.SINK);
    records.subList(0, 3).forEach(p::submit);
    await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.size() == 3);
    sb.failNext(2, 429, Operation.SINK);
    records.subList(3, 6).forEach(p::submit);

    assertAllDeliveredInOrder(records);
    assertThat(sb.counters().requests(Operation.SINK, 503)).isEqualTo(2);
    assertThat(sb.counters().requests(Operation.SINK, 429)).isEqualTo(2);
    assertThat(sb.sink(sink).duplicates()).isZero();
  }

  @Test
  void aRejectedRecordInTheMiddleOfABatchIsTheOnlyOneRejected() {
    List<DeliveryRecord> records = Records.lines(5);
    sb.rejectSinkKeys(sink, "order-1/line-2");
    PartitionDelivery p = partition(apiKey(), FAST.withBatching(5, Duration.ofMillis(200)));

    records.forEach(p::submit);

    awaitOutcomes(5);
    assertThat(outcomes).extracting(RecordOutcome::record).containsExactlyElementsOf(records);
    assertThat(outcomes)
        .extracting(RecordOutcome::kind)
        .containsExactly(
            RecordOutcome.Kind.DELIVERED,
            RecordOutcome.Kind.DELIVERED,
            RecordOutcome.Kind.REJECTED,
            RecordOutcome.Kind.DELIVERED,
            RecordOutcome.Kind.DELIVERED);
    RecordOutcome rejected = outcomes.get(2);
    assertThat(rejected.status()).isEqualTo(400);
    assertThat(rejected.detail()).contains("invalid_record").contains("order-1/line-2");
    assertThat(sb.sink(sink).keys())
        .containsExactly("order-1/line-0", "order-1/line-1", "order-1/line-3", "order-1/line-4");
  }

  @Test
  void aRecordWithoutJsonIsRejectedAndTheOthersOfItsBatchDelivered() {
    org.apache.avro.generic.GenericData.Record broken =
        new org.apache.avro.generic.GenericData.Record(
            dev.twikitorders.schemas.ConfigurationSummary.getClassSchema());
    broken.put("orderId", "order-1");
    List<DeliveryRecord> records =
        List.of(
            Records.record(0),
            new DeliveryRecord(null, broken, "order-1/broken", Records.TOPIC, 0, 1),
            new DeliveryRecord(
                null, Records.summary("line-2"), "order-1/line-2", Records.TOPIC, 0, 2));
    PartitionDelivery p = partition(apiKey(), FAST.withBatching(3, Duration.ofMillis(200)));

    records.forEach(p::submit);

    awaitOutcomes(3);
    assertThat(outcomes).extracting(RecordOutcome::record).containsExactlyElementsOf(records);
    assertThat(outcomes)
        .extracting(RecordOutcome::kind)
        .containsExactly(
            RecordOutcome.Kind.DELIVERED,
            RecordOutcome.Kind.REJECTED,
            RecordOutcome.Kind.DELIVERED);
    assertThat(outcomes.get(1).status()).isZero();
    assertThat(outcomes.get(1).detail()).contains("ConfigurationSummary.lineId");
    assertThat(sb.sink(sink).keys()).containsExactly("order-1/line-0", "order-1/line-2");
  }

  @Test
  void staticHeadersAndClientCredentialsAreAcceptedBySink() {
    Authenticator headers =
        auth(
            new AuthSettings.StaticHeaders(
                List.of(
                    new Credentials.Header("TWN-InstanceKey", Secret.of(INSTANCE_KEY)),
                    new Credentials.Header("TWN-Authentication", Secret.of(AUTHENTICATION)))));
    Authenticator clientCredentials =
        auth(
            new AuthSettings.ClientCredentials(
                TokenEndpoint.at(sb.tokenUrl()),
                "demo",
                Secret.of(CLIENT_SECRET),
                ClientAuthMethod.CLIENT_SECRET_BASIC,
                null));
    List<DeliveryRecord> records = Records.lines(4);

    PartitionDelivery p1 = partition(headers, FAST);
    records.subList(0, 2).forEach(p1::submit);
    await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.size() == 2);
    PartitionDelivery p2 = partition(clientCredentials, FAST);
    records.subList(2, 4).forEach(p2::submit);

    assertAllDeliveredInOrder(records);
    assertThat(sb.counters().tokensIssued()).isEqualTo(1);
  }

  @Test
  void aWrongApiKeyIsACredentialsProblemRetriedNotRejected() {
    String wrong = "wrong-key-0c77aa";
    ch.qos.logback.classic.Logger log =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.twikitorders");
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
        new ch.qos.logback.core.read.ListAppender<>();
    logged.start();
    log.addAppender(logged);
    toClose.add(() -> log.detachAppender(logged));
    Authenticator bad = auth(new AuthSettings.ApiKey(Secret.of(wrong)));
    HttpDelivery http = http(sb.sinkUrl(sink), bad, Duration.ofSeconds(10));

    DeliveryResult once = http.send(DeliveryRequest.of(Records.lines(1))).join();
    assertThat(once).isInstanceOf(DeliveryResult.CredentialsProblem.class);
    assertThat(((DeliveryResult.CredentialsProblem) once).status()).isEqualTo(401);
    assertThat(once.toString() + http).doesNotContain(wrong);

    PartitionDelivery p = partition(http, FAST);
    Records.lines(2).forEach(p::submit);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> sb.counters().requests(Operation.SINK, 401) >= 4);
    assertThat(outcomes).isEmpty();
    assertThat(p.pending()).isEqualTo(2);
    assertThat(p.toString()).doesNotContain(wrong);
    assertThat(sb.sink(sink).total()).isZero();
    assertThat(logged.list).isNotEmpty();
    for (ch.qos.logback.classic.spi.ILoggingEvent e : logged.list) {
      String line =
          e.getFormattedMessage()
              + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage());
      assertThat(line).doesNotContain(wrong).doesNotContain(API_KEY);
    }
  }

  @Test
  void aDeadlineExhaustsTheRecordsOfAnEndlessOutage() {
    sb.updateFaults(
        f -> f.errorRate(503, 1.0).retryAfter(Duration.ZERO).operations(Operation.SINK));
    List<DeliveryRecord> records = Records.lines(2);
    PartitionDelivery p = partition(apiKey(), FAST.withDeadline(Duration.ofMillis(300)));

    records.forEach(p::submit);

    awaitOutcomes(2);
    assertThat(outcomes).extracting(RecordOutcome::record).containsExactlyElementsOf(records);
    assertThat(outcomes).extracting(RecordOutcome::kind).containsOnly(RecordOutcome.Kind.EXHAUSTED);
    assertThat(outcomes).extracting(RecordOutcome::status).containsOnly(503);
    assertThat(sb.sink(sink).total()).isZero();
  }

  @Test
  void closeDuringAHangAbandonsWithoutReportingDelivered() {
    sb.hangNext(1, Operation.SINK);
    PartitionDelivery p = partition(http(sb.sinkUrl(sink), apiKey(), Duration.ofMinutes(5)), FAST);

    Records.lines(3).forEach(p::submit);
    await().atMost(Duration.ofSeconds(30)).until(() -> sb.counters().sinkRequests() == 1);
    p.close();

    assertThat(p.pending()).isZero();
    assertThatThrownBy(() -> p.submit(Records.record(3))).isInstanceOf(IllegalStateException.class);
    // another partition still delivers to the same sink; the closed one reported nothing
    PartitionDelivery other = partition(apiKey(), FAST);
    List<DeliveryRecord> more = List.of(Records.record(10));
    more.forEach(other::submit);
    assertAllDeliveredInOrder(more);
  }

  @Test
  void finishInFlightLetsTheBatchInFlightSettleAndDropsTheQueuedRecords() throws Exception {
    sb.hangNext(1, Operation.SINK);
    PartitionDelivery p = partition(http(sb.sinkUrl(sink), apiKey(), Duration.ofMillis(500)), FAST);
    List<DeliveryRecord> records = Records.lines(3);

    records.forEach(p::submit);
    await().atMost(Duration.ofSeconds(30)).until(() -> sb.counters().sinkRequests() == 1);
    var finished = p.finishInFlight();

    // the hanging first attempt times out, the retry delivers record 0; records 1 and 2 never go
    finished.get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(outcomes).extracting(RecordOutcome::record).containsExactly(records.get(0));
    assertThat(outcomes.get(0).kind()).isEqualTo(RecordOutcome.Kind.DELIVERED);
    assertThat(outcomes.get(0).attempts()).isEqualTo(2);
    assertThat(sb.sink(sink).keys()).containsExactly(records.get(0).idempotencyKey());
    assertThat(p.pending()).isZero();
    assertThatThrownBy(() -> p.submit(Records.record(3))).isInstanceOf(IllegalStateException.class);
  }
}
