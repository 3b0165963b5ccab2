package dev.twikitorders.enricher.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.enricher.config.Settings;
import dev.twikitorders.enricher.records.OutputHeaders;
import dev.twikitorders.enricher.records.PipelineTopics;
import dev.twikitorders.registry.mock.MockSchemaRegistryClient;
import dev.twikitorders.schemas.DeadLetter;
import dev.twikitorders.schemas.ErrorType;
import dev.twikitorders.settings.ConfigSources;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The production exception handler as Kafka Streams gets it: configured from the Streams properties
 * that {@link Wiring} builds, sharing the pipeline's dead-letter serializer.
 */
class DeadLetterProductionExceptionHandlerTest {
  private final String scope = "handler-test-" + UUID.randomUUID();
  private final Wiring wiring =
      Wiring.of(
          EnricherConfig.from(
              new ConfigSources(Settings.CATALOG)
                  .set("schema.registry.url", "mock://" + scope, "test")
                  // never connected to: the handler is called directly
                  .set("kafka.bootstrap.servers", "localhost:9", "test")));
  private PipelineTopics topics;
  private DeadLetterProductionExceptionHandler handler;

  /**
   * What Streams passes as context: the input record being processed when the failure surfaced,
   * which for an asynchronous send failure is not the one the refused output belongs to.
   */
  private record Context(String topic, int partition, long offset, long timestamp)
      implements ErrorHandlerContext {
    @Override
    public Headers headers() {
      return OutputHeaders.of("e-1", "e-1:2", "order-events/3/42", null);
    }

    @Override
    public String processorNodeId() {
      return "erp-sink";
    }

    @Override
    public TaskId taskId() {
      return new TaskId(0, partition);
    }

    @Override
    public byte[] sourceRawKey() {
      return "o-1".getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] sourceRawValue() {
      return new byte[] {0, 0, 0, 0, 1};
    }
  }

  @BeforeEach
  void configureFromTheWiredStreamsProperties() {
    topics = wiring.topics(MockSchemaRegistryClient.forScope(scope));
    Map<String, Object> configs = new HashMap<>();
    wiring
        .streamsProperties(topics, StreamsInstance.fixed("test-0", null))
        .forEach((k, v) -> configs.put(k.toString(), v));
    handler = new DeadLetterProductionExceptionHandler();
    handler.configure(configs);
  }

  @Test
  void anOutputTheBrokerRefusesBecomesADeadLetterNamingItsOwnSourceEventNotTheContext() {
    var record =
        new ProducerRecord<>(
            topics.erp().name(),
            null,
            "o-1".getBytes(StandardCharsets.UTF_8),
            new byte[10],
            OutputHeaders.of("e-1", "e-1:2", "order-events/3/42", null));

    // the failure surfaces while another event (partition 0, offset 7) is processed
    var response =
        handler.handleError(
            new Context("order-events", 0, 7, 1_000), record, new RecordTooLargeException("big"));

    assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
    assertThat(response.deadLetterQueueRecords()).hasSize(1);
    var out = response.deadLetterQueueRecords().get(0);
    assertThat(out.topic()).isEqualTo(topics.deadLetters().name());
    DeadLetter letter =
        topics.deadLetters().valueSerde().deserializer().deserialize(out.topic(), out.value());
    assertThat(letter.getErrorType()).isEqualTo(ErrorType.PRODUCTION_ERROR);
    assertThat(letter.getSourceTopic()).isEqualTo("order-events");
    assertThat(letter.getSourcePartition()).isEqualTo(3);
    assertThat(letter.getSourceOffset()).isEqualTo(42L);
    assertThat(letter.getOrderId()).isEqualTo("o-1");
    assertThat(letter.getLineId()).isEqualTo("2");
    assertThat(letter.getEventId()).isEqualTo("e-1");
    assertThat(letter.getRefusedTopic()).isEqualTo(topics.erp().name());
    assertThat(letter.getMessage()).contains(topics.erp().name(), "RecordTooLargeException");
    // the context's input bytes belong to another event: none are stored, a re-drive reads them
    assertThat(letter.getKey()).isNull();
    assertThat(letter.getValue()).isNull();
    assertThat(letter.getReplayId()).isNull();
    assertThat(out.key()).isEqualTo("o-1".getBytes(StandardCharsets.UTF_8));
    assertThat(OutputHeaders.get(out.headers(), OutputHeaders.SOURCE))
        .isEqualTo("order-events/3/42");
    assertThat(OutputHeaders.get(out.headers(), OutputHeaders.EVENT_ID)).isEqualTo("e-1");
    assertThat(OutputHeaders.get(out.headers(), OutputHeaders.IDEMPOTENCY_KEY)).isEqualTo("e-1:2");
    assertThat(OutputHeaders.get(out.headers(), OutputHeaders.REPLAY_ID)).isNull();
  }

  @Test
  void aReplayedOutputKeepsItsReplayIdAndALineIdWithColons() {
    var record =
        new ProducerRecord<>(
            topics.fulfillment().name(),
            null,
            "o-1".getBytes(StandardCharsets.UTF_8),
            new byte[10],
            OutputHeaders.of("e:1", "e:1:L:2", "order-events/1/5", "replay-7"));

    var response =
        handler.handleError(
            new Context("order-events", 0, 7, 1_000), record, new RecordTooLargeException("big"));

    var out = response.deadLetterQueueRecords().get(0);
    DeadLetter letter =
        topics.deadLetters().valueSerde().deserializer().deserialize(out.topic(), out.value());
    assertThat(letter.getEventId()).isEqualTo("e:1");
    assertThat(letter.getLineId()).isEqualTo("L:2");
    assertThat(letter.getSourcePartition()).isEqualTo(1);
    assertThat(letter.getSourceOffset()).isEqualTo(5L);
    assertThat(letter.getReplayId()).isEqualTo("replay-7");
    assertThat(OutputHeaders.get(out.headers(), OutputHeaders.REPLAY_ID)).isEqualTo("replay-7");
  }

  @Test
  void anOutputWithoutASourceHeaderCannotBeDeadLetteredAndStopsThePipeline() {
    var record =
        new ProducerRecord<>(
            topics.erp().name(),
            null,
            new byte[1],
            new byte[1],
            OutputHeaders.of("e-1", "e-1:2", "not-a-source", null));

    var response =
        handler.handleError(
            new Context("order-events", 0, 7, 1_000), record, new RecordTooLargeException("big"));

    assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
  }

  @Test
  void brokenInfrastructureAndAFailingDeadLetterTopicStopThePipeline() {
    var erp =
        new ProducerRecord<>(
            topics.erp().name(),
            null,
            new byte[1],
            new byte[1],
            OutputHeaders.of(null, "k", "s/0/1", null));
    var dlq =
        new ProducerRecord<>(
            topics.deadLetters().name(),
            null,
            new byte[1],
            new byte[1],
            OutputHeaders.of(null, "k", "s/0/1", null));
    var context = new Context("order-events", 0, 1, 1_000);

    var timeout = handler.handleError(context, erp, new TimeoutException("broker down"));
    var dlqTooLarge = handler.handleError(context, dlq, new RecordTooLargeException("big"));

    assertThat(timeout.result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
    assertThat(dlqTooLarge.result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
  }
}
