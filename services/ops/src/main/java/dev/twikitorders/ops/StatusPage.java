package dev.twikitorders.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The status page's two answers: the page itself ({@code status.html} from this jar, read once) and
 * a {@link StatusReport} as JSON (instants as ISO-8601 strings, record components as fields, in
 * declaration order). Thread-safe.
 */
final class StatusPage {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private static final String HTML = load();

  private StatusPage() {}

  static String html() {
    return HTML;
  }

  static String json(StatusReport report) {
    try {
      return JSON.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the status report as JSON", e);
    }
  }

  private static String load() {
    try (InputStream in = StatusPage.class.getResourceAsStream("status.html")) {
      if (in == null) {
        throw new IllegalStateException("status.html is missing from the ops jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
