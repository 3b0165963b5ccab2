package dev.twikitorders.twikit.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;

/**
 * The client's JSON mapping: lenient reading (unknown properties ignored, missing ones null),
 * ISO-8601 instants.
 *
 * <p>Thread-safety: thread-safe (a fully configured {@link ObjectMapper} is).
 */
public final class Json {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private Json() {}

  /** Thrown when a body is not the expected JSON. */
  public static final class InvalidJsonException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidJsonException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Reads {@code body} as {@code type}; an empty body, {@code null} or a shape mismatch fails. */
  public static <T> T read(byte[] body, Class<T> type) throws InvalidJsonException {
    if (body == null || body.length == 0) {
      throw new InvalidJsonException(
          "empty body where " + type.getSimpleName() + " JSON was expected", null);
    }
    try {
      // one pass straight into the type (this runs for every response: no intermediate tree)
      if (firstNonWhitespace(body) != '{') {
        throw new InvalidJsonException("expected a JSON object for " + type.getSimpleName(), null);
      }
      T value = MAPPER.readValue(body, type);
      if (value == null) {
        throw new InvalidJsonException(
            "expected a JSON object for " + type.getSimpleName() + ", got null", null);
      }
      return value;
    } catch (IOException e) {
      // Jackson's message may quote a snippet of the body; keep only the location-free summary
      throw new InvalidJsonException(
          "malformed " + type.getSimpleName() + " JSON (" + e.getClass().getSimpleName() + ")",
          null);
    }
  }

  private static int firstNonWhitespace(byte[] body) {
    int i =
        body.length >= 3
                && body[0] == (byte) 0xEF
                && body[1] == (byte) 0xBB
                && body[2] == (byte) 0xBF
            ? 3
            : 0;
    for (; i < body.length; i++) {
      byte b = body[i];
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return b;
      }
    }
    return -1;
  }

  /** Reads {@code error} and {@code message} of an API error body, when there is one. */
  public static String[] errorOf(byte[] body) {
    if (body == null || body.length == 0) {
      return new String[] {null, null};
    }
    try {
      JsonNode tree = MAPPER.readTree(body);
      if (tree != null && tree.isObject()) {
        return new String[] {text(tree.get("error")), text(tree.get("message"))};
      }
    } catch (IOException e) {
      // not JSON: no details
    }
    return new String[] {null, null};
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }

  /** Serializes a request body. */
  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot serialize " + value.getClass().getSimpleName(), e);
    }
  }
}
