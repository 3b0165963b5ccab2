package dev.twikitorders.enricher.cli;

import static dev.twikitorders.enricher.cli.ItStack.args;
import static dev.twikitorders.enricher.cli.ItStack.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twikitorders.enricher.app.EnricherApp;
import dev.twikitorders.enricher.records.OutputHeaders;
import dev.twikitorders.sandbox.data.SeedConfiguration;
import dev.twikitorders.schemas.DeadLetter;
import dev.twikitorders.schemas.ErrorType;
import dev.twikitorders.schemas.FulfillmentConfiguration;
import dev.twikitorders.schemas.OrderEventType;
import dev.twikitorders.schemas.OrderLine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * An output the broker refuses (the fulfillment topic's {@code max.message.bytes} is smaller than
 * one fulfillment record) is dead-lettered by the production exception handler, naming its own
 * source event, and {@code dlq redrive} writes it once the topic takes it, reading the source
 * record back from the input. The tests run in order: the re-drive changes the outputs.
 *
 * <p>The processor checks outputs against the topic limits it reads at start and dead-letters such
 * a line itself ({@link OversizedOutputIT}); here the limit is lowered after the start, so only the
 * broker sees it: the case the production exception handler is for.
 *
 * <p>The live pipeline runs {@code at_least_once} here: under {@code exactly_once_v2} a refused
 * send makes the open transaction abortable, so the handler's dead letter is never committed (see
 * {@link dev.twikitorders.enricher.app.DeadLetterProductionExceptionHandler}). And the producer
 * must know the dead-letter topic before the refusal: Kafka Streams sends the handler's dead letter
 * from the producer's network thread, where a metadata fetch cannot complete (the send blocks until
 * {@code max.block.ms}); an unreadable record of the same order, dead-lettered first, sees to that.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RefusedOutputRedriveIT {
  private static final int EVENTS = 12;
  private static final int BIG_EVENT = 7;
  private static final int FULFILLMENT_MAX_BYTES = 8_192;

  /** A configuration whose filtered configuration has many resources: about 20 KB of output. */
  private static final String BIG = History.known(900_001);

  private static ItStack it;
  private static ItStack.Topics topics;
  private static List<ItStack.Written> history;
  private static ItStack.Written big;

  @BeforeAll
  static void aLivePipelineMeetsAFulfillmentTopicThatRefusesOneRecord() throws Exception {
    it = ItStack.get();
    topics =
        ItStack.Topics.prefixed("refused-it-" + UUID.randomUUID().toString().substring(0, 8) + ".");
    List<NewTopic> newTopics = new ArrayList<>();
    for (String t : List.of(topics.input(), topics.erp(), topics.dlq())) {
      newTopics.add(new NewTopic(t, 2, (short) 1));
    }
    newTopics.add(new NewTopic(topics.fulfillment(), 2, (short) 1));
    it.stack.kafka().createTopics(newTopics);

    SeedConfiguration.Builder seed = SeedConfiguration.builder(BIG).productTitle("Big");
    for (int i = 0; i < 200; i++) {
      // random, so that compression does not bring the record under the limit
      seed.resource(
          "part-" + i + ".stl",
          "https://files.example/" + UUID.randomUUID() + "/" + UUID.randomUUID() + ".stl",
          "stl");
    }
    it.sandbox.seed(seed.build());

    try (EnricherApp app =
        EnricherApp.start(
            it.config(
                topics,
                "refused-it-live-" + UUID.randomUUID(),
                Map.of("kafka.processing.guarantee", "at_least_once")))) {
      await().atMost(Duration.ofMinutes(1)).until(() -> app.awaitRunning(Duration.ofSeconds(1)));
      // lowered after the start: the processor's own check does not know it, the broker does
      ConfigResource fulfillment =
          new ConfigResource(ConfigResource.Type.TOPIC, topics.fulfillment());
      it.admin()
          .incrementalAlterConfigs(
              Map.of(
                  fulfillment,
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry(
                              TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                              String.valueOf(FULFILLMENT_MAX_BYTES)),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get(30, TimeUnit.SECONDS);
      Instant now = Instant.now();
      List<ItStack.Input> inputs = new ArrayList<>();
      for (int i = 0; i < EVENTS; i++) {
        List<OrderLine> lines = new ArrayList<>();
        lines.add(new OrderLine("L0", "SKU-A", 1, History.known(200_000 + i)));
        if (i == BIG_EVENT) {
          lines.add(new OrderLine("L1", "SKU-BIG", 1, BIG));
          lines.add(new OrderLine("L2", "SKU-B", 1, History.known(300_000 + i)));
        }
        lines.add(new OrderLine("P", "PLAIN", 1, null));
        String orderId = "ro-order-" + i;
        if (i == BIG_EVENT) {
          inputs.add(
              new ItStack.Input(
                  orderId,
                  null,
                  "not avro".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                  now.toEpochMilli()));
        }
        inputs.add(
            new ItStack.Input(
                orderId,
                History.event("ro-e-" + i, orderId, OrderEventType.ORDER_PLACED, now, lines),
                null,
                now.toEpochMilli()));
      }
      history = it.produce(topics.input(), inputs);
      big = history.get(BIG_EVENT + 1);
      await()
          .atMost(Duration.ofMinutes(2))
          .until(
              () ->
                  app.fatalError() != null
                      || (it.readAll(topics.erp()).size() >= EVENTS + 2
                          && it.readAll(topics.dlq()).size() >= 2));
      assertThat(app.fatalError()).isNull();
    }
  }

  private static List<String> dlq(String command, String... rest) {
    return args(List.of("dlq", command, "--no-progress"), it.flags(topics), rest);
  }

  private static String idKey(ItStack.Written w, String lineId) {
    return OutputHeaders.idempotencyKey(w.input().event().getEventId(), lineId);
  }

  @Test
  @Order(1)
  void theRefusedOutputIsDeadLetteredOnceNamingItsOwnSourceEvent() {
    List<ItStack.Out> all = it.readAll(topics.dlq());
    List<ItStack.Out> letters =
        all.stream()
            .filter(o -> ((DeadLetter) o.value()).getErrorType() == ErrorType.PRODUCTION_ERROR)
            .toList();

    assertThat(all).hasSize(2);
    assertThat(letters).hasSize(1);
    ItStack.Out out = letters.get(0);
    DeadLetter d = (DeadLetter) out.value();
    assertThat(d.getErrorType()).isEqualTo(ErrorType.PRODUCTION_ERROR);
    assertThat(d.getSourceTopic()).isEqualTo(topics.input());
    assertThat(d.getSourcePartition()).isEqualTo(big.partition());
    assertThat(d.getSourceOffset()).isEqualTo(big.offset());
    assertThat(d.getEventId()).isEqualTo("ro-e-" + BIG_EVENT);
    assertThat(d.getOrderId()).isEqualTo("ro-order-" + BIG_EVENT);
    assertThat(d.getLineId()).isEqualTo("L1");
    assertThat(d.getRefusedTopic()).isEqualTo(topics.fulfillment());
    assertThat(d.getValue()).isNull();
    assertThat(d.getReplayId()).isNull();
    assertThat(d.getMessage()).contains(topics.fulfillment(), "RecordTooLargeException");
    // the dead letter's own headers are those of the record it replaces
    assertThat(out.key()).isEqualTo("ro-order-" + BIG_EVENT);
    assertThat(out.header(OutputHeaders.SOURCE)).isEqualTo(big.source(topics.input()));
    assertThat(out.header(OutputHeaders.EVENT_ID)).isEqualTo("ro-e-" + BIG_EVENT);
    assertThat(out.header(OutputHeaders.IDEMPOTENCY_KEY)).isEqualTo(idKey(big, "L1"));
    assertThat(out.header(OutputHeaders.REPLAY_ID)).isNull();

    // every other output reached its topic: the ERP record of the refused line too
    assertThat(keys(it.readAll(topics.erp())))
        .containsExactlyInAnyOrderElementsOf(allLines())
        .doesNotHaveDuplicates();
    List<String> expectedFulfillment = new ArrayList<>(allLines());
    expectedFulfillment.remove(idKey(big, "L1"));
    assertThat(keys(it.readAll(topics.fulfillment())))
        .containsExactlyInAnyOrderElementsOf(expectedFulfillment);
  }

  @Test
  @Order(2)
  void onceTheTopicTakesItTheRedriveWritesThatOutputOnly() throws Exception {
    ConfigResource fulfillment =
        new ConfigResource(ConfigResource.Type.TOPIC, topics.fulfillment());
    Collection<AlterConfigOp> raise =
        List.of(
            new AlterConfigOp(
                new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1048588"),
                AlterConfigOp.OpType.SET));
    it.admin().incrementalAlterConfigs(Map.of(fulfillment, raise)).all().get(30, TimeUnit.SECONDS);

    ItStack.CliResult r =
        cli(dlq("redrive", "--error-type", "PRODUCTION_ERROR", "--replay-id", "it-refused-1"));

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.count("selected")).isEqualTo(1);
    assertThat(r.count("source events read back from the input (no stored bytes)")).isEqualTo(1);
    assertThat(r.count("written to " + topics.fulfillment())).isEqualTo(1);
    assertThat(r.count("written to " + topics.erp())).isZero();
    assertThat(r.count("dead-lettered again")).isZero();

    // exactly once: every line of every event has one record on each output topic
    assertThat(keys(it.readAll(topics.erp())))
        .containsExactlyInAnyOrderElementsOf(allLines())
        .doesNotHaveDuplicates();
    List<ItStack.Out> outputs = it.readAll(topics.fulfillment());
    assertThat(keys(outputs))
        .containsExactlyInAnyOrderElementsOf(allLines())
        .doesNotHaveDuplicates();
    List<ItStack.Out> redriven =
        outputs.stream()
            .filter(o -> "it-refused-1".equals(o.header(OutputHeaders.REPLAY_ID)))
            .toList();
    assertThat(redriven).hasSize(1);
    ItStack.Out o = redriven.get(0);
    assertThat(o.key()).isEqualTo("ro-order-" + BIG_EVENT);
    assertThat(o.header(OutputHeaders.SOURCE)).isEqualTo(big.source(topics.input()));
    assertThat(o.header(OutputHeaders.IDEMPOTENCY_KEY)).isEqualTo(idKey(big, "L1"));
    FulfillmentConfiguration f = (FulfillmentConfiguration) o.value();
    assertThat(f.getConfigurationId()).isEqualTo(BIG);
    assertThat(f.getResources()).hasSize(200);
    assertThat(it.readAll(topics.dlq())).hasSize(2);
  }

  private static List<String> allLines() {
    List<String> keys = new ArrayList<>();
    for (ItStack.Written w : history) {
      if (w.input().event() == null) {
        continue;
      }
      for (OrderLine l : w.input().event().getLines()) {
        if (l.getConfigurationId() != null) {
          keys.add(idKey(w, l.getLineId()));
        }
      }
    }
    return keys;
  }

  private static List<String> keys(List<ItStack.Out> outs) {
    return outs.stream().map(o -> o.header(OutputHeaders.IDEMPOTENCY_KEY)).toList();
  }
}
