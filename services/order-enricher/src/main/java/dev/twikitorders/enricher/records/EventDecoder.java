package dev.twikitorders.enricher.records;

import dev.twikitorders.registry.SchemaRegistryException;
import dev.twikitorders.schemas.ErrorType;
import dev.twikitorders.schemas.OrderEvent;
import dev.twikitorders.schemas.OrderLine;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads an input record's raw bytes into an {@link OrderEvent} and checks it against the input
 * contract (docs/contracts.md, "Input"). Never throws for bad data: the result says why a record is
 * rejected, without quoting the payload. A schema registry that cannot be reached is not bad data:
 * its {@link SchemaRegistryException} propagates, the task fails without committing, and the record
 * is read again once the registry answers.
 *
 * <p>An event with more configured lines than the limit ({@value #MAX_LINES_SETTING}) is invalid:
 * its lines are enriched concurrently and written in one transaction, so the limit bounds the calls
 * and the output of one event.
 *
 * <p>Thread-safe when the deserializer is.
 */
public final class EventDecoder {
  /** The default of {@value #MAX_LINES_SETTING}. */
  public static final int DEFAULT_MAX_CONFIGURED_LINES = 500;

  /** The setting that gives the limit, named in the message of an event over it. */
  public static final String MAX_LINES_SETTING = "enrichment.max.lines.per.event";

  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
  private static final int MAX_ID_LENGTH = 256;

  private final Deserializer<OrderEvent> deserializer;
  private final int maxConfiguredLines;

  /** A decoder with the default limit of configured lines per event. */
  public EventDecoder(Deserializer<OrderEvent> deserializer) {
    this(deserializer, DEFAULT_MAX_CONFIGURED_LINES);
  }

  /**
   * @param maxConfiguredLines the most configured lines (with a configurationId) an event may have
   */
  public EventDecoder(Deserializer<OrderEvent> deserializer, int maxConfiguredLines) {
    this.deserializer = Objects.requireNonNull(deserializer, "deserializer");
    if (maxConfiguredLines < 1) {
      throw new IllegalArgumentException(
          MAX_LINES_SETTING + " must be at least 1, was " + maxConfiguredLines);
    }
    this.maxConfiguredLines = maxConfiguredLines;
  }

  /** The most configured lines an event may have. */
  public int maxConfiguredLines() {
    return maxConfiguredLines;
  }

  public DecodedEvent decode(String topic, byte[] key, byte[] value) {
    if (value == null) {
      return new DecodedEvent.Rejected(
          ErrorType.UNREADABLE, "record has no value (tombstone)", null, null, null);
    }
    OrderEvent event;
    try {
      event = deserializer.deserialize(topic, value);
    } catch (SchemaRegistryException e) {
      // the registry is down or refuses us: infrastructure, not bad data; never dead-letter for it
      throw e;
    } catch (RuntimeException e) {
      return new DecodedEvent.Rejected(
          ErrorType.UNREADABLE,
          "value cannot be read: " + e.getMessage(),
          null,
          null,
          e.getClass().getName());
    }
    if (event == null) {
      return new DecodedEvent.Rejected(
          ErrorType.UNREADABLE, "value decoded to null", null, null, null);
    }
    String problem = validate(event, key, maxConfiguredLines);
    if (problem != null) {
      return new DecodedEvent.Rejected(
          ErrorType.INVALID_EVENT,
          problem,
          blankToNull(event.getEventId()),
          blankToNull(event.getOrderId()),
          null);
    }
    return new DecodedEvent.Valid(event);
  }

  /** {@link #validate(OrderEvent, byte[], int)} with the default limit. */
  static String validate(OrderEvent event, byte[] key) {
    return validate(event, key, DEFAULT_MAX_CONFIGURED_LINES);
  }

  /** Returns the first contract violation, or null when the event is valid. */
  static String validate(OrderEvent event, byte[] key, int maxConfiguredLines) {
    if (isBlank(event.getEventId())) {
      return "eventId is missing";
    }
    if (event.getEventId().length() > MAX_ID_LENGTH) {
      return "eventId is longer than " + MAX_ID_LENGTH + " characters";
    }
    if (isBlank(event.getOrderId())) {
      return "orderId is missing";
    }
    if (event.getOrderId().length() > MAX_ID_LENGTH) {
      return "orderId is longer than " + MAX_ID_LENGTH + " characters";
    }
    if (key != null) {
      String keyText = utf8OrNull(key);
      if (keyText == null) {
        return "record key is not UTF-8";
      }
      if (!keyText.equals(event.getOrderId())) {
        return "record key does not match orderId '" + event.getOrderId() + "'";
      }
    }
    if (event.getEventType() == null) {
      return "eventType is missing";
    }
    if (event.getCurrency() == null || !CURRENCY.matcher(event.getCurrency()).matches()) {
      return "currency is not an ISO 4217 code";
    }
    if (event.getOccurredAt() == null) {
      return "occurredAt is missing";
    }
    if (event.getLines() == null) {
      return "lines are missing";
    }
    Set<String> lineIds = new HashSet<>();
    int configured = 0;
    for (int i = 0; i < event.getLines().size(); i++) {
      OrderLine line = event.getLines().get(i);
      if (line == null || isBlank(line.getLineId())) {
        return "line " + i + " has no lineId";
      }
      if (line.getLineId().length() > MAX_ID_LENGTH) {
        return "line " + i + " has a lineId longer than " + MAX_ID_LENGTH + " characters";
      }
      if (!lineIds.add(line.getLineId())) {
        return "lineId '" + line.getLineId() + "' is not unique within the order";
      }
      if (isBlank(line.getSku())) {
        return "line '" + line.getLineId() + "' has no sku";
      }
      if (line.getQuantity() <= 0) {
        return "line '"
            + line.getLineId()
            + "' has quantity "
            + line.getQuantity()
            + " (must be > 0)";
      }
      String configurationId = line.getConfigurationId();
      if (configurationId != null && !isUuid(configurationId)) {
        return "line '" + line.getLineId() + "' has a configurationId that is not a UUID";
      }
      if (configurationId != null) {
        configured++;
      }
    }
    if (configured > maxConfiguredLines) {
      return "event has "
          + configured
          + " configured lines, more than the "
          + maxConfiguredLines
          + " allowed ("
          + MAX_LINES_SETTING
          + ")";
    }
    return null;
  }

  static boolean isUuid(String s) {
    if (s.length() != 36) {
      return false;
    }
    try {
      UUID.fromString(s);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Decodes strict UTF-8, or null when the bytes are not valid UTF-8. */
  static String utf8OrNull(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  private static String blankToNull(String s) {
    return isBlank(s) ? null : s;
  }
}
