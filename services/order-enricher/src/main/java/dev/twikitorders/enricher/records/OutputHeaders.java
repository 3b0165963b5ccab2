package dev.twikitorders.enricher.records;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers every output record carries (docs/contracts.md, "Headers"): {@code event-id}, {@code
 * idempotency-key} ({@code <eventId>:<lineId>}, identical on every replay), {@code source} ({@code
 * topic/partition/offset} of the input) and, on replays, {@code replay-id}.
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
   * Builds the header set; {@code eventId} and {@code replayId} may be null and are then left out.
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
