package dev.twikitorders.enricher.records;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers every output record carries (docs/contracts.md, "Headers"): {@code event-id} (the
 * input's {@code topic/partition/offset} when the event id cannot be read), {@code idempotency-key}
 * ({@code <eventId>:<lineId>}, identical on every replay), {@code source} ({@code
 * topic/partition/offset} of the input) and, on replays, {@code replay-id}.
 *
 * <p>Stateless and thread-safe.
 */
public final class OutputHeaders {
  public static final String EVENT_ID = "event-id";
  public static final String IDEMPOTENCY_KEY = "idempotency-key";
  public static final String SOURCE = "source";
  public static final String REPLAY_ID = "replay-id";

  private OutputHeaders() {}

  /** The idempotency key of one line of one event. */
  public static String idempotencyKey(String eventId, String lineId) {
    return eventId + ":" + lineId;
  }

  /** {@code topic/partition/offset}. */
  public static String source(String topic, int partition, long offset) {
    return topic + "/" + partition + "/" + offset;
  }

  /**
   * The line id of an idempotency key {@code <eventId>:<lineId>} of that event, or null when the
   * key is not one of a line of {@code eventId} (an event-level key, or either is null). Both ids
   * may contain ':', so the key is split at the end of the event id, not at a ':'.
   */
  public static String lineIdOf(String idempotencyKey, String eventId) {
    if (idempotencyKey == null || eventId == null) {
      return null;
    }
    String prefix = eventId + ":";
    return idempotencyKey.startsWith(prefix) ? idempotencyKey.substring(prefix.length()) : null;
  }

  /** The coordinates of a {@code source} header value. */
  public record Source(String topic, int partition, long offset) {}

  /**
   * Parses a {@code source} header value {@code topic/partition/offset}, or returns null when it is
   * missing or malformed.
   */
  public static Source parseSource(String source) {
    if (source == null) {
      return null;
    }
    int last = source.lastIndexOf('/');
    int second = last <= 0 ? -1 : source.lastIndexOf('/', last - 1);
    if (second <= 0) {
      return null;
    }
    try {
      int partition = Integer.parseInt(source.substring(second + 1, last));
      long offset = Long.parseLong(source.substring(last + 1));
      return partition < 0 || offset < 0
          ? null
          : new Source(source.substring(0, second), partition, offset);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Builds the header set; {@code eventId} and {@code replayId} may be null and are then left out
   * ({@link Outputs} always gives an event id).
   */
  public static Headers of(String eventId, String idempotencyKey, String source, String replayId) {
    RecordHeaders headers = new RecordHeaders();
    if (eventId != null) {
      headers.add(EVENT_ID, utf8(eventId));
    }
    headers.add(IDEMPOTENCY_KEY, utf8(idempotencyKey));
    headers.add(SOURCE, utf8(source));
    if (replayId != null) {
      headers.add(REPLAY_ID, utf8(replayId));
    }
    return headers;
  }

  /** The UTF-8 value of the last header of that name, or null. */
  public static String get(Headers headers, String name) {
    var header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
