package dev.twikitorders.enricher.app;

import dev.twikitorders.enricher.records.OutputHeaders;
import dev.twikitorders.enricher.records.OutputMapper;
import dev.twikitorders.enricher.records.SourceRecord;
import dev.twikitorders.schemas.DeadLetter;
import dev.twikitorders.schemas.ErrorType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes output records that the broker refuses for their content (too large, invalid) or that
 * cannot be serialized for their content to the dead-letter topic as a {@code PRODUCTION_ERROR}
 * (KIP-1034 dead-letter records), and fails on everything else: a broker or registry that is down
 * is infrastructure, not bad data, and must stop the pipeline loudly rather than drop output.
 *
 * <p>Configured through the Streams configuration: {@value #DEAD_LETTER_TOPIC_CONFIG} and, as an
 * object, the dead-letter value serializer under {@value #DEAD_LETTER_SERIALIZER_CONFIG} ({@link
 * Wiring#streamsProperties} puts both there, so the handler shares the pipeline's registry client).
 * Logs topic, partition and offset, never payloads.
 *
 * <p>Thread-safe after {@link #configure}.
 */
public final class DeadLetterProductionExceptionHandler implements ProductionExceptionHandler {
  /** Streams configuration key of the dead-letter topic. */
  public static final String DEAD_LETTER_TOPIC_CONFIG = "twikit.dead.letter.topic";

  /** Streams configuration key of the dead-letter value serializer (a {@code Serializer}). */
  public static final String DEAD_LETTER_SERIALIZER_CONFIG = "twikit.dead.letter.serializer";

  private static final Logger LOG =
      LoggerFactory.getLogger(DeadLetterProductionExceptionHandler.class);

  private String deadLetterTopic;
  private Serializer<DeadLetter> serializer;

  @Override
  public void configure(Map<String, ?> configs) {
    Object topic = configs.get(DEAD_LETTER_TOPIC_CONFIG);
    if (topic == null) {
      throw new IllegalArgumentException(
          "missing " + DEAD_LETTER_TOPIC_CONFIG + " in the Streams configuration");
    }
    deadLetterTopic = topic.toString();
    if (!(configs.get(DEAD_LETTER_SERIALIZER_CONFIG) instanceof Serializer<?> s)) {
      throw new IllegalArgumentException(
          "missing " + DEAD_LETTER_SERIALIZER_CONFIG + " in the Streams configuration");
    }
    @SuppressWarnings("unchecked")
    Serializer<DeadLetter> deadLetters = (Serializer<DeadLetter>) s;
    serializer = deadLetters;
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    boolean content =
        exception instanceof RecordTooLargeException
            || exception instanceof RecordBatchTooLargeException
            || exception instanceof InvalidRecordException;
    return route(context, record, exception, content);
  }

  @Override
  @SuppressWarnings("rawtypes")
  public Response handleSerializationError(
      ErrorHandlerContext context,
      ProducerRecord record,
      Exception exception,
      SerializationExceptionOrigin origin) {
    // a serializer that cannot reach the registry throws something else than SerializationException
    boolean content = exception instanceof SerializationException;
    byte[] key = record.key() instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : null;
    return route(
        context,
        new ProducerRecord<>(record.topic(), null, key, null, record.headers()),
        exception,
        content);
  }

  private Response route(
      ErrorHandlerContext context,
      ProducerRecord<byte[], byte[]> record,
      Exception exception,
      boolean content) {
    String target = record.topic();
    if (!content || deadLetterTopic.equals(target)) {
      LOG.error(
          "Cannot produce to {} (task {}, source {}-{}@{}): {}; stopping",
          target,
          context.taskId(),
          context.topic(),
          context.partition(),
          context.offset(),
          exception.toString());
      return Response.fail();
    }
    LOG.warn(
        "Output to {} refused ({}); dead-lettering it (task {}, source {}-{}@{})",
        target,
        exception.getClass().getSimpleName(),
        context.taskId(),
        context.topic(),
        context.partition(),
        context.offset());
    String source = OutputHeaders.get(record.headers(), OutputHeaders.SOURCE);
    String eventId = OutputHeaders.get(record.headers(), OutputHeaders.EVENT_ID);
    String idKey = OutputHeaders.get(record.headers(), OutputHeaders.IDEMPOTENCY_KEY);
    String sourceTopic = context.topic() != null ? context.topic() : topicOf(source);
    SourceRecord origin =
        new SourceRecord(
            sourceTopic == null ? "unknown" : sourceTopic,
            context.topic() != null ? context.partition() : partitionOf(source),
            context.topic() != null ? context.offset() : offsetOf(source),
            context.timestamp(),
            context.sourceRawKey(),
            context.sourceRawValue());
    String orderId = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    String lineId =
        idKey != null && idKey.contains(":") ? idKey.substring(idKey.lastIndexOf(':') + 1) : null;
    DeadLetter letter =
        OutputMapper.deadLetter(
            ErrorType.PRODUCTION_ERROR,
            "output to " + target + " refused: " + exception.getClass().getSimpleName(),
            origin,
            eventId,
            orderId,
            lineId,
            null,
            1,
            exception.getClass().getName(),
            OutputHeaders.get(record.headers(), OutputHeaders.REPLAY_ID),
            Instant.now());
    byte[] value = serializer.serialize(deadLetterTopic, letter);
    var out = new ProducerRecord<>(deadLetterTopic, null, record.key(), value, record.headers());
    return Response.resume(List.of(out));
  }

  private static String topicOf(String source) {
    if (source == null) {
      return null;
    }
    int second = source.lastIndexOf('/', source.lastIndexOf('/') - 1);
    return second < 0 ? null : source.substring(0, second);
  }

  private static int partitionOf(String source) {
    try {
      String[] parts = source.split("/");
      return Integer.parseInt(parts[parts.length - 2]);
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private static long offsetOf(String source) {
    try {
      String[] parts = source.split("/");
      return Long.parseLong(parts[parts.length - 1]);
    } catch (RuntimeException e) {
      return -1;
    }
  }
}
