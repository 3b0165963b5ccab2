package dev.twikitorders.ops.logging;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.MDC;

/**
 * Puts the identifiers of the order, event, line and configuration being worked on into the SLF4J
 * MDC for the duration of a try-with-resources block, so that a log line written inside it carries
 * them (the JSON log format writes them as the fields {@code orderId}, {@code eventId}, {@code
 * lineId} and {@code configurationId}; the text format ignores them).
 *
 * <pre>{@code
 * try (LogContext ignored = LogContext.line(eventId, orderId, lineId, configurationId)) {
 *   LOG.warn("Line {} dead-lettered: {}", lineId, reason);
 * }
 * }</pre>
 *
 * <p>Null values are skipped. {@link #close()} restores the values the keys had before (usually
 * none), so a pooled thread (Kafka client callbacks, HTTP client threads) never keeps the
 * identifiers of an earlier record. Only identifiers belong here, never secrets or payloads.
 *
 * <p>The MDC is per thread: an instance must be closed on the thread that opened it, and is not
 * thread-safe.
 */
public final class LogContext implements AutoCloseable {

  /** The MDC key of the order id. */
  public static final String ORDER_ID = "orderId";

  /** The MDC key of the input event id. */
  public static final String EVENT_ID = "eventId";

  /** The MDC key of the order line id. */
  public static final String LINE_ID = "lineId";

  /** The MDC key of the Twikit configuration id. */
  public static final String CONFIGURATION_ID = "configurationId";

  private final List<String[]> previous = new ArrayList<>(4);

  private LogContext() {}

  /** Sets the four identifiers that are not null; any of them may be null. */
  public static LogContext line(
      String eventId, String orderId, String lineId, String configurationId) {
    LogContext c = new LogContext();
    c.put(EVENT_ID, eventId);
    c.put(ORDER_ID, orderId);
    c.put(LINE_ID, lineId);
    c.put(CONFIGURATION_ID, configurationId);
    return c;
  }

  /** Sets the event and order ids that are not null. */
  public static LogContext event(String eventId, String orderId) {
    return line(eventId, orderId, null, null);
  }

  private void put(String key, String value) {
    if (value == null) {
      return;
    }
    previous.add(new String[] {key, MDC.get(key)});
    MDC.put(key, value);
  }

  /** Restores the keys this context set to their earlier values (removes them if they had none). */
  @Override
  public void close() {
    for (int i = previous.size() - 1; i >= 0; i--) {
      String[] kv = previous.get(i);
      if (kv[1] == null) {
        MDC.remove(kv[0]);
      } else {
        MDC.put(kv[0], kv[1]);
      }
    }
    previous.clear();
  }
}
