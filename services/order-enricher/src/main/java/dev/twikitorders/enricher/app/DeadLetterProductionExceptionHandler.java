package dev.twikitorders.enricher.app;

import dev.twikitorders.enricher.records.OutputHeaders;
import dev.twikitorders.enricher.records.OutputMapper;
import dev.twikitorders.enricher.records.SourceRecord;
import dev.twikitorders.ops.logging.LogContext;
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
import org.apache.kafka.common.header.internals.RecordHeaders;
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
 * <p><b>Which event the dead letter names.</b> Kafka Streams passes as context the input record
 * being processed when the failure surfaced; for an asynchronous send failure (the broker's answer
 * arrives later) that is another event. The dead letter therefore names the refused output's own
 * event, from the output's headers, never from the context: {@code source} gives {@code
 * sourceTopic/Partition/Offset}, {@code event-id} the {@code eventId}, {@code idempotency-key} the
 * {@code lineId}, the record key the {@code orderId}, {@code replay-id} the {@code replayId};
 * {@code refusedTopic} is the topic that refused it. The input's bytes are not at hand, so {@code
 * key} and {@code value} are null: {@code dlq redrive} reads the source record back from the input
 * by its coordinates and writes the refused output only. The dead-letter record carries the refused
 * record's headers and key. An output without a valid {@code source} header cannot be named and
 * fails the pipeline.
 *
 * <p><b>What happens under {@code exactly_once_v2} (Kafka Streams and clients 4.3.1).</b>
 *
 * <ul>
 *   <li>A serialization failure happens on the stream thread before the send: the dead letter is
 *       written in the task's transaction and processing goes on; the event's other outputs are
 *       written as usual.
 *   <li>A send the broker refuses (e.g. the topic's {@code max.message.bytes}): {@link
 *       #handleError} is invoked, on the producer's network thread, with the refused record and the
 *       {@code RecordTooLargeException}. But the transactional producer has put the open
 *       transaction into an abortable error state ({@code TransactionManager.handleFailedBatch}
 *       runs right after the callback), so the commit fails: the dead letter and every other output
 *       of that transaction, the rest of the refused record's event included, are aborted, the
 *       stream thread dies and the task is processed again from its last commit, where the same
 *       record is refused again. Consumers reading {@code read_committed} see none of it; the
 *       pipeline does not get past that event. Besides, Streams sends the dead letter from that
 *       network thread: when the producer has not yet written to the dead-letter topic, the send
 *       waits for metadata that this very thread would fetch, until {@code max.block.ms}.
 *   <li>A record over the producer's {@code max.request.size} fails inside {@code send()} on the
 *       stream thread, with the same abortable transaction as a result.
 * </ul>
 *
 * So under exactly-once a refused record must be caught before it is sent (the processor checks the
 * size of its outputs); this handler is the safety net that names the right event and, under {@code
 * at_least_once} (where the rest of the event's outputs are written and only the refused record is
 * replaced), writes a dead letter that can be re-driven.
 *
 * <p>Configured through the Streams configuration: {@value #DEAD_LETTER_TOPIC_CONFIG} and, as an
 * object, the dead-letter value serializer under {@value #DEAD_LETTER_SERIALIZER_CONFIG} ({@link
 * Wiring#streamsProperties} puts both there, so the handler shares the pipeline's registry client).
 * Logs topics and source coordinates, never payloads.
 *
 * <p>Thread-safe after {@link #configure} (Streams calls it from stream and producer threads).
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
          "Cannot produce to {} (task {}, output of {}): {}; stopping",
          target,
          context.taskId(),
          OutputHeaders.get(record.headers(), OutputHeaders.SOURCE),
          exception.toString());
      return Response.fail();
    }
    // The context is the record being processed when the failure surfaced (an asynchronous send
    // fails later, during another record): the refused output names its own event in its headers.
    String sourceHeader = OutputHeaders.get(record.headers(), OutputHeaders.SOURCE);
    OutputHeaders.Source source = OutputHeaders.parseSource(sourceHeader);
    if (source == null) {
      // every output carries its source: without it the dead letter could not name its event
      LOG.error(
          "Output to {} refused ({}) and it has no valid {} header, so it cannot be"
              + " dead-lettered; stopping",
          target,
          exception.getClass().getSimpleName(),
          OutputHeaders.SOURCE);
      return Response.fail();
    }
    String eventId = OutputHeaders.get(record.headers(), OutputHeaders.EVENT_ID);
    String idKey = OutputHeaders.get(record.headers(), OutputHeaders.IDEMPOTENCY_KEY);
    String orderId = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    try (LogContext c = LogContext.event(eventId, orderId)) {
      LOG.warn(
          "Output to {} refused ({}); dead-lettering it (output of {})",
          target,
          exception.getClass().getSimpleName(),
          sourceHeader);
    }
    // the input's bytes are not at hand here: a re-drive reads them from the source coordinates
    SourceRecord origin =
        new SourceRecord(source.topic(), source.partition(), source.offset(), -1, null, null);
    DeadLetter letter =
        OutputMapper.deadLetter(
            ErrorType.PRODUCTION_ERROR,
            "output to " + target + " refused: " + exception.getClass().getSimpleName(),
            origin,
            eventId,
            orderId,
            OutputHeaders.lineIdOf(idKey, eventId),
            null,
            1,
            exception.getClass().getName(),
            OutputHeaders.get(record.headers(), OutputHeaders.REPLAY_ID),
            Instant.now());
    letter.setRefusedTopic(target);
    byte[] value = serializer.serialize(deadLetterTopic, letter);
    // the refused record's event-id, idempotency-key and source (and replay-id) are the dead
    // letter's: it replaces that record
    var out =
        new ProducerRecord<>(
            deadLetterTopic, null, record.key(), value, new RecordHeaders(record.headers()));
    return Response.resume(List.of(out));
  }
}
