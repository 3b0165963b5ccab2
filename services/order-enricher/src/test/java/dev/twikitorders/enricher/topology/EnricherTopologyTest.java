package dev.twikitorders.enricher.topology;

import static dev.twikitorders.enricher.records.Orders.cancelled;
import static dev.twikitorders.enricher.records.Orders.configured;
import static dev.twikitorders.enricher.records.Orders.placed;
import static dev.twikitorders.enricher.records.Orders.plain;
import static dev.twikitorders.enricher.records.Orders.uuid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.enricher.app.Wiring;
import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.enricher.config.Settings;
import dev.twikitorders.enricher.flow.InputGate;
import dev.twikitorders.enricher.flow.SystemPauses;
import dev.twikitorders.enricher.records.OutputHeaders;
import dev.twikitorders.enricher.records.Outputs;
import dev.twikitorders.enricher.records.PipelineTopics;
import dev.twikitorders.enricher.records.SourceRecord;
import dev.twikitorders.enricher.records.Topic;
import dev.twikitorders.enricher.stats.PipelineStats;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.SchemaRegistryException;
import dev.twikitorders.registry.mock.MockSchemaRegistryClient;
import dev.twikitorders.schemas.ConfigurationSummary;
import dev.twikitorders.schemas.DeadLetter;
import dev.twikitorders.schemas.ErrorType;
import dev.twikitorders.schemas.FulfillmentConfiguration;
import dev.twikitorders.schemas.FulfillmentStatus;
import dev.twikitorders.schemas.LineStatus;
import dev.twikitorders.schemas.OrderEvent;
import dev.twikitorders.schemas.OrderLine;
import dev.twikitorders.settings.ConfigSources;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EnricherTopologyTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  private final String scope = "topology-test-" + UUID.randomUUID();

  /** The pipeline's own wiring over an in-memory registry and short topic names. */
  private final Wiring wiring =
      Wiring.of(
          EnricherConfig.from(
              new ConfigSources(Settings.CATALOG)
                  .set("schema.registry.url", "mock://" + scope, "test")
                  .set("topic.order.events", "order-events", "test")
                  .set("topic.erp", "erp", "test")
                  .set("topic.fulfillment", "fulfillment", "test")
                  .set("topic.dead.letters", "dlq", "test")));

  private final StubEnricher enricher = new StubEnricher();
  private final PipelineStats stats = new PipelineStats();
  private final SystemPauses pauses = SystemPauses.create();
  private final InputGate gate = new InputGate(pauses);
  private SchemaRegistryClient registry;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> input;
  private TestOutputTopic<String, ConfigurationSummary> erp;
  private TestOutputTopic<String, FulfillmentConfiguration> fulfillment;
  private TestOutputTopic<String, DeadLetter> dlq;
  private Serializer<OrderEvent> eventSerializer;

  @BeforeEach
  void setUp() {
    start(OrderEnrichmentProcessor.Settings.defaults());
  }

  private void start(OrderEnrichmentProcessor.Settings settings) {
    start(settings, false);
  }

  private void start(OrderEnrichmentProcessor.Settings settings, boolean flakyRegistry) {
    registry = MockSchemaRegistryClient.forScope(scope);
    PipelineTopics topics = wiring.topics(registry);
    if (flakyRegistry) {
      topics = withFlakyRegistry(topics);
    }
    var topology =
        EnricherTopology.build(
            topics,
            wiring.eventDecoder(registry),
            enricher,
            settings,
            gate,
            stats,
            Clock.fixed(NOW, ZoneOffset.UTC));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    driver = new TopologyTestDriver(topology, props);
    input = driver.createInputTopic("order-events", (t, b) -> b, (t, b) -> b);
    erp =
        driver.createOutputTopic(
            "erp", new StringDeserializer(), topics.erp().valueSerde().deserializer());
    fulfillment =
        driver.createOutputTopic(
            "fulfillment",
            new StringDeserializer(),
            topics.fulfillment().valueSerde().deserializer());
    dlq =
        driver.createOutputTopic(
            "dlq", new StringDeserializer(), topics.deadLetters().valueSerde().deserializer());
    eventSerializer = wiring.orderEventSerializer(registry);
  }

  @AfterEach
  void tearDown() {
    if (driver != null) {
      driver.close();
    }
    MockSchemaRegistryClient.drop(scope);
  }

  private void send(OrderEvent event) {
    input.pipeInput(utf8(event.getOrderId()), eventSerializer.serialize("order-events", event));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String header(Headers headers, String name) {
    return OutputHeaders.get(headers, name);
  }

  @Test
  void placedOrderGivesOneErpAndOneFulfillmentRecordPerConfiguredLineWithHeaders() {
    send(placed("e1", "o1", configured("1", uuid(1)), plain("2"), configured("3", uuid(3))));

    List<TestRecord<String, ConfigurationSummary>> summaries = erp.readRecordsToList();
    List<TestRecord<String, FulfillmentConfiguration>> configurations =
        fulfillment.readRecordsToList();
    assertThat(summaries).extracting(r -> r.value().getLineId()).containsExactly("1", "3");
    assertThat(configurations).extracting(r -> r.value().getLineId()).containsExactly("1", "3");
    assertThat(dlq.isEmpty()).isTrue();

    TestRecord<String, ConfigurationSummary> first = summaries.get(0);
    assertThat(first.key()).isEqualTo("o1");
    ConfigurationSummary s = first.value();
    assertThat(s.getStatus()).isEqualTo(LineStatus.PLACED);
    assertThat(s.getConfigurationId()).isEqualTo(uuid(1));
    assertThat(s.getProductTitle()).isEqualTo("Title " + uuid(1).substring(0, 8));
    assertThat(s.getPrice()).isEqualTo("12.50");
    assertThat(s.getCurrency()).isEqualTo("EUR");
    assertThat(s.getSku()).isEqualTo("SKU-1");
    assertThat(s.getQuantity()).isEqualTo(1);
    assertThat(s.getParameters()).hasSize(1);
    assertThat(s.getEnrichedAt()).isEqualTo(NOW);
    assertThat(s.getOccurredAt()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
    assertThat(header(first.headers(), "event-id")).isEqualTo("e1");
    assertThat(header(first.headers(), "idempotency-key")).isEqualTo("e1:1");
    assertThat(header(first.headers(), "source")).isEqualTo("order-events/0/0");
    assertThat(first.headers().lastHeader("replay-id")).isNull();

    FulfillmentConfiguration f = configurations.get(1).value();
    assertThat(f.getStatus()).isEqualTo(FulfillmentStatus.PLACED);
    assertThat(f.getParameters())
        .extracting(p -> p.getName() + "=" + p.getValue())
        .containsExactly("color=red");
    assertThat(f.getResources()).hasSize(1);
    assertThat(header(configurations.get(1).headers(), "idempotency-key")).isEqualTo("e1:3");
  }

  @Test
  void outputsAreCountedByRoleAndTheEventTimeToOutputIsReported() {
    List<Duration> latencies = new java.util.concurrent.CopyOnWriteArrayList<>();
    stats.onEndToEnd(latencies::add);
    send(placed("e1", "o1", configured("1", uuid(1)), plain("2"), configured("3", uuid(3))));
    send(placed("e2", "o2", plain("1")));

    assertThat(erp.readRecordsToList()).hasSize(2);
    assertThat(stats.outputsWritten(Outputs.Role.ERP.name())).isEqualTo(2);
    assertThat(stats.outputsWritten(Outputs.Role.FULFILLMENT.name())).isEqualTo(2);
    assertThat(stats.outputsWritten(Outputs.Role.DEAD_LETTER.name())).isZero();
    // occurredAt 10:00, emitted at the fixed clock's 12:00; e2 has no output, so no latency
    assertThat(latencies).containsExactly(Duration.ofHours(2));
  }

  @Test
  void orderWithoutConfiguredLinesProducesNothing() {
    send(placed("e1", "o1", plain("1"), plain("2")));
    assertThat(erp.isEmpty()).isTrue();
    assertThat(fulfillment.isEmpty()).isTrue();
    assertThat(dlq.isEmpty()).isTrue();
  }

  @Test
  void cancellationGivesCancelledRecordsAfterThePlacedOnes() {
    send(placed("e1", "o1", configured("1", uuid(1))));
    send(cancelled("e2", "o1", configured("1", uuid(1))));

    assertThat(erp.readValuesToList())
        .extracting(ConfigurationSummary::getStatus)
        .containsExactly(LineStatus.PLACED, LineStatus.CANCELLED);
    assertThat(fulfillment.readValuesToList())
        .extracting(FulfillmentConfiguration::getStatus)
        .containsExactly(FulfillmentStatus.PLACED, FulfillmentStatus.CANCELLED);
  }

  @Test
  void unreadableValueIsDeadLetteredWithNullKeyAndOriginalBytes() {
    byte[] garbage = {0, 0, 0, 0, 42, 1, 2, 3};
    input.pipeInput(utf8("o9"), garbage);

    TestRecord<String, DeadLetter> letter = dlq.readRecord();
    assertThat(letter.key()).isNull();
    DeadLetter d = letter.value();
    assertThat(d.getErrorType()).isEqualTo(ErrorType.UNREADABLE);
    assertThat(d.getSourceTopic()).isEqualTo("order-events");
    assertThat(d.getSourcePartition()).isZero();
    assertThat(d.getSourceOffset()).isZero();
    assertThat(bytes(d.getValue())).containsExactly(garbage);
    assertThat(bytes(d.getKey())).containsExactly(utf8("o9"));
    assertThat(d.getMessage()).isNotBlank();
    assertThat(header(letter.headers(), "source")).isEqualTo("order-events/0/0");
    assertThat(dlq.isEmpty()).isTrue();
    assertThat(erp.isEmpty()).isTrue();
  }

  @Test
  void deadLettersOfUnreadableRecordsCarryTheirCoordinatesAsEventId() {
    input.pipeInput(utf8("o9"), new byte[] {0, 0, 0, 0, 42, 1});
    input.pipeInput(utf8("o9"), (byte[]) null);
    OrderEvent noEventId = placed("e1", "o1", configured("1", uuid(1)));
    noEventId.setEventId("");
    send(noEventId);

    List<TestRecord<String, DeadLetter>> letters = dlq.readRecordsToList();
    assertThat(letters).hasSize(3);
    for (int offset = 0; offset < 3; offset++) {
      TestRecord<String, DeadLetter> letter = letters.get(offset);
      String source = "order-events/0/" + offset;
      assertThat(header(letter.headers(), "source")).isEqualTo(source);
      assertThat(header(letter.headers(), "event-id")).isEqualTo(source);
      assertThat(header(letter.headers(), "idempotency-key")).isEqualTo(source);
      // the value's eventId stays what could be read: nothing
      assertThat(letter.value().getEventId()).isNull();
    }
    assertThat(letters)
        .extracting(r -> r.value().getErrorType())
        .containsExactly(ErrorType.UNREADABLE, ErrorType.UNREADABLE, ErrorType.INVALID_EVENT);
  }

  @Test
  void anEventWithMoreConfiguredLinesThanTheLimitIsOneInvalidEventDeadLetter() {
    OrderLine[] lines = new OrderLine[502];
    for (int i = 0; i < 501; i++) {
      lines[i] = configured("c" + i, uuid(i));
    }
    lines[501] = plain("p");
    send(placed("e1", "o1", lines));

    List<TestRecord<String, DeadLetter>> letters = dlq.readRecordsToList();
    assertThat(letters).hasSize(1);
    DeadLetter d = letters.get(0).value();
    assertThat(d.getErrorType()).isEqualTo(ErrorType.INVALID_EVENT);
    assertThat(d.getMessage()).contains("501 configured lines", "enrichment.max.lines.per.event");
    assertThat(d.getLineId()).isNull();
    assertThat(header(letters.get(0).headers(), "event-id")).isEqualTo("e1");
    assertThat(header(letters.get(0).headers(), "idempotency-key")).isEqualTo("e1");
    assertThat(erp.isEmpty()).isTrue();
    assertThat(enricher.calls).isEmpty();
  }

  @Test
  void tombstoneIsDeadLetteredAsUnreadable() {
    input.pipeInput(utf8("o9"), (byte[]) null);
    assertThat(dlq.readValue().getErrorType()).isEqualTo(ErrorType.UNREADABLE);
  }

  @Test
  void invalidEventIsDeadLetteredOnceWithItsOrderId() {
    OrderEvent event =
        placed("e1", "o1", configured("1", uuid(1)), new OrderLine("2", "SKU", 0, uuid(2)));
    send(event);

    List<TestRecord<String, DeadLetter>> letters = dlq.readRecordsToList();
    assertThat(letters).hasSize(1);
    assertThat(letters.get(0).key()).isEqualTo("o1");
    DeadLetter d = letters.get(0).value();
    assertThat(d.getErrorType()).isEqualTo(ErrorType.INVALID_EVENT);
    assertThat(d.getMessage()).contains("quantity");
    assertThat(d.getEventId()).isEqualTo("e1");
    assertThat(d.getOrderId()).isEqualTo("o1");
    assertThat(erp.isEmpty()).isTrue();
    assertThat(enricher.calls).isEmpty();
  }

  @Test
  void keyThatDoesNotMatchTheOrderIdMakesTheEventInvalid() {
    OrderEvent event = placed("e1", "o1", configured("1", uuid(1)));
    input.pipeInput(utf8("other"), eventSerializer.serialize("order-events", event));
    assertThat(dlq.readValue().getErrorType()).isEqualTo(ErrorType.INVALID_EVENT);
  }

  @Test
  void malformedConfigurationIdMakesTheEventInvalid() {
    send(placed("e1", "o1", configured("1", "not-a-uuid")));
    assertThat(dlq.readValue().getMessage()).contains("not a UUID");
  }

  @Test
  void failedLineIsDeadLetteredWhileTheOtherLinesAreEnriched() {
    enricher.notFound.add(uuid(2));
    send(placed("e1", "o1", configured("1", uuid(1)), configured("2", uuid(2))));

    assertThat(erp.readValuesToList())
        .extracting(ConfigurationSummary::getLineId)
        .containsExactly("1");
    assertThat(fulfillment.readValuesToList())
        .extracting(FulfillmentConfiguration::getLineId)
        .containsExactly("1");
    TestRecord<String, DeadLetter> letter = dlq.readRecord();
    assertThat(letter.key()).isEqualTo("o1");
    assertThat(letter.value().getErrorType()).isEqualTo(ErrorType.NOT_FOUND);
    assertThat(letter.value().getLineId()).isEqualTo("2");
    assertThat(letter.value().getConfigurationId()).isEqualTo(uuid(2));
    assertThat(header(letter.headers(), "idempotency-key")).isEqualTo("e1:2");
  }

  @Test
  void laterEventOfTheSameOrderWaitsForTheEarlierOneButOtherOrdersDoNot() {
    enricher.held.add("a1");
    send(placed("a1", "A", configured("1", uuid(1))));
    send(cancelled("a2", "A", configured("1", uuid(1))));
    send(placed("b1", "B", configured("1", uuid(2))));
    driver.advanceWallClockTime(Duration.ofMillis(50));

    assertThat(erp.readValuesToList()).extracting(v -> v.getEventId()).containsExactly("b1");
    assertThat(stats.pendingEvents()).isEqualTo(2);

    enricher.release("a1");
    driver.advanceWallClockTime(Duration.ofMillis(50));
    assertThat(erp.readValuesToList())
        .extracting(v -> v.getEventId() + "/" + v.getStatus())
        .containsExactly("a1/PLACED", "a2/CANCELLED");
    assertThat(stats.pendingEvents()).isZero();
  }

  @Test
  void pendingEventsAreKeptInTheChangeloggedStoreUntilEmitted() {
    enricher.held.add("a1");
    send(placed("a1", "A", configured("1", uuid(1))));
    var store =
        driver.<org.apache.kafka.common.utils.Bytes, byte[]>getKeyValueStore(
            OrderEnrichmentProcessor.STORE);
    assertThat(store.approximateNumEntries()).isEqualTo(1);
    SourceRecord pending =
        SourceRecord.decode(
            store.get(org.apache.kafka.common.utils.Bytes.wrap(SourceRecord.storeKey(0, 0))));
    assertThat(pending.source()).isEqualTo("order-events/0/0");

    enricher.release("a1");
    driver.advanceWallClockTime(Duration.ofMillis(10));
    assertThat(erp.readValuesToList()).hasSize(1);
    assertThat(store.get(org.apache.kafka.common.utils.Bytes.wrap(SourceRecord.storeKey(0, 0))))
        .isNull();
  }

  @Test
  void beyondMaxPendingEventsWaitUnstartedAndThePartitionIsHeld() {
    driver.close();
    MockSchemaRegistryClient.drop(scope);
    start(settings(1));
    TopicPartition partition = new TopicPartition("order-events", 0);
    enricher.held.add("a1");
    send(placed("a1", "A", configured("1", uuid(1))));
    send(placed("b1", "B", configured("1", uuid(2))));
    send(placed("c1", "C", configured("1", uuid(3))));

    // one event in flight; the others are stored but not started, and the source is held
    assertThat(enricher.calls).containsExactly("a1");
    assertThat(stats.pendingEvents()).isEqualTo(3);
    assertThat(stats.parkedEvents()).isEqualTo(2);
    assertThat(gate.holds(partition)).isTrue();

    enricher.release("a1");
    driver.advanceWallClockTime(Duration.ofMillis(10));
    assertThat(enricher.calls).containsExactly("a1", "b1", "c1");
    assertThat(erp.readValuesToList())
        .extracting(v -> v.getEventId())
        .containsExactly("a1", "b1", "c1");
    assertThat(stats.pendingEvents()).isZero();
    assertThat(stats.parkedEvents()).isZero();
    assertThat(gate.holds(partition)).isFalse();
  }

  @Test
  void aSystemPauseHoldsEveryPartitionAndStartsNothingNewWhileOneEventIsInFlight() {
    enricher.held.add("a1");
    send(placed("a1", "A", configured("1", uuid(1))));
    pauses.report(SystemPauses.Cause.TWIKIT_FORBIDDEN, "HTTP 403");
    send(placed("b1", "B", configured("1", uuid(2))));

    assertThat(gate.holds(new TopicPartition("order-events", 7))).isTrue();
    assertThat(enricher.calls).containsExactly("a1");
    assertThat(stats.parkedEvents()).isEqualTo(1);

    pauses.twikitAnswered();
    enricher.release("a1");
    driver.advanceWallClockTime(Duration.ofMillis(10));
    assertThat(erp.readValuesToList()).extracting(v -> v.getEventId()).containsExactly("a1", "b1");
    assertThat(dlq.isEmpty()).isTrue();
  }

  @Test
  void closingTheTaskCancelsTheCallsOfItsPendingEvents() {
    enricher.held.add("a1");
    send(placed("a1", "A", configured("1", uuid(1))));
    var inFlight = enricher.returned.get("a1");
    assertThat(inFlight).isNotDone();

    driver.close();

    assertThat(inFlight).isCancelled();
    driver = null;
  }

  @Test
  void anOutputLargerThanTheProducerAllowsBecomesOneDeadLetterForItsLine() {
    driver.close();
    MockSchemaRegistryClient.drop(scope);
    start(
        new OrderEnrichmentProcessor.Settings(
            1000, Duration.ZERO, false, Duration.ofMillis(5), 300, null));
    send(placed("e1", "o1", configured("1", uuid(1))));

    assertThat(erp.isEmpty()).isTrue();
    assertThat(fulfillment.isEmpty()).isTrue();
    DeadLetter letter = dlq.readValue();
    assertThat(letter.getErrorType()).isEqualTo(ErrorType.PRODUCTION_ERROR);
    assertThat(letter.getLineId()).isEqualTo("1");
    assertThat(letter.getMessage()).contains("limit of 300 bytes");
    assertThat(dlq.isEmpty()).isTrue();
  }

  @Test
  void aRegistryThatCannotGiveAnOutputSchemaIdPausesAndNothingIsDeadLettered() {
    driver.close();
    MockSchemaRegistryClient.drop(scope);
    registryDown.set(true);
    start(OrderEnrichmentProcessor.Settings.defaults(), true);
    send(placed("e1", "o1", configured("1", uuid(1))));
    send(placed("e2", "o1", configured("1", uuid(2))));

    assertThat(erp.isEmpty()).isTrue();
    assertThat(fulfillment.isEmpty()).isTrue();
    assertThat(dlq.isEmpty()).as("a registry failure is not about the order").isTrue();
    assertThat(pauses.active()).containsOnlyKeys(SystemPauses.Cause.SCHEMA_REGISTRY);
    assertThat(gate.holds(new TopicPartition("order-events", 3))).isTrue();

    registryDown.set(false);
    driver.advanceWallClockTime(Duration.ofSeconds(31)); // past the longest backoff step
    assertThat(erp.readValuesToList()).extracting(v -> v.getEventId()).containsExactly("e1", "e2");
    assertThat(fulfillment.readValuesToList()).hasSize(2);
    assertThat(dlq.isEmpty()).isTrue();
    assertThat(pauses.paused()).isFalse();
  }

  @Test
  void syncModeWaitsAtMostMaxBlockForAnEventAndLaterEventsWaitUnstarted() {
    driver.close();
    MockSchemaRegistryClient.drop(scope);
    start(
        new OrderEnrichmentProcessor.Settings(
            1,
            Duration.ofMillis(20),
            true,
            Duration.ofMillis(5),
            OrderEnrichmentProcessor.Settings.DEFAULT_MAX_OUTPUT_BYTES,
            null));
    enricher.held.add("a1");
    // process() returns although a1 never completes by itself
    send(placed("a1", "A", configured("1", uuid(1))));
    send(placed("b1", "B", configured("1", uuid(2))));
    assertThat(enricher.calls).containsExactly("a1");
    assertThat(stats.parkedEvents()).isEqualTo(1);

    enricher.release("a1");
    driver.advanceWallClockTime(Duration.ofMillis(10));
    assertThat(erp.readValuesToList()).extracting(v -> v.getEventId()).containsExactly("a1", "b1");
  }

  private final AtomicBoolean registryDown = new AtomicBoolean();

  /** The ERP topic's serializer fails like a registry that refuses while {@link #registryDown}. */
  private PipelineTopics withFlakyRegistry(PipelineTopics t) {
    Serializer<ConfigurationSummary> real = t.erp().valueSerde().serializer();
    Serializer<ConfigurationSummary> flaky =
        new Serializer<>() {
          @Override
          public byte[] serialize(String topic, ConfigurationSummary value) {
            return serialize(topic, null, value);
          }

          @Override
          public byte[] serialize(
              String topic,
              org.apache.kafka.common.header.Headers headers,
              ConfigurationSummary v) {
            if (registryDown.get()) {
              throw new org.apache.kafka.common.errors.SerializationException(
                  "cannot get the schema id of subject erp-value",
                  new SchemaRegistryException("Subject not found", 404, 40401));
            }
            return real.serialize(topic, headers, v);
          }
        };
    return new PipelineTopics(
        t.orderEvents(),
        new Topic<>(
            t.erp().name(),
            t.erp().keySerde(),
            Serdes.serdeFrom(flaky, t.erp().valueSerde().deserializer())),
        t.fulfillment(),
        t.deadLetters());
  }

  private static OrderEnrichmentProcessor.Settings settings(int maxPending) {
    return new OrderEnrichmentProcessor.Settings(
        maxPending,
        Duration.ZERO,
        false,
        Duration.ofMillis(5),
        OrderEnrichmentProcessor.Settings.DEFAULT_MAX_OUTPUT_BYTES,
        null);
  }

  @Test
  void replayIdIsAddedAsHeaderWhenSet() {
    driver.close();
    MockSchemaRegistryClient.drop(scope);
    start(OrderEnrichmentProcessor.Settings.defaults().withReplayId("replay-42"));
    send(placed("e1", "o1", configured("1", uuid(1))));
    TestRecord<String, ConfigurationSummary> r = erp.readRecord();
    assertThat(header(r.headers(), "replay-id")).isEqualTo("replay-42");
    assertThat(header(r.headers(), "idempotency-key")).isEqualTo("e1:1");
  }

  private static byte[] bytes(java.nio.ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
