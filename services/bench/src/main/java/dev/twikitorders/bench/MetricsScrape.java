package dev.twikitorders.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a pipeline child's Prometheus {@code /metrics} and keeps the counters the soak reports:
 * {@code order_enricher_pauses_total{cause=...}}, {@code
 * order_enricher_twikit_failed_attempts_total{kind=...}} and {@code
 * order_enricher_dead_letters_total{error_type=...}}, each by its label value, without zeros.
 *
 * <p>Thread-safe (stateless but for the shared HTTP client).
 */
final class MetricsScrape {
  static final String PAUSES = "order_enricher_pauses_total";
  static final String FAILED_ATTEMPTS = "order_enricher_twikit_failed_attempts_total";
  static final String DEAD_LETTERS = "order_enricher_dead_letters_total";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private MetricsScrape() {}

  /**
   * The counters of the child serving on {@code port}, as {@code name -> label value -> value}, or
   * null when it does not answer (not up yet, or gone).
   */
  static Map<String, Map<String, Double>> scrape(int port) {
    String text = fetch(port);
    return text == null ? null : parse(text);
  }

  /**
   * The Prometheus text of the child serving {@code /metrics} on {@code port} (loopback), or null
   * when it does not answer (not up yet, or gone).
   */
  static String fetch(int port) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                  .timeout(Duration.ofSeconds(3))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Parses the Prometheus text format for the counters named above. */
  static Map<String, Map<String, Double>> parse(String text) {
    Map<String, Map<String, Double>> out = new TreeMap<>();
    Map<String, String> labels =
        Map.of(PAUSES, "cause", FAILED_ATTEMPTS, "kind", DEAD_LETTERS, "error_type");
    for (String line : text.split("\n")) {
      labels.forEach(
          (name, label) -> {
            if (!line.startsWith(name + "{")) {
              return;
            }
            int close = line.indexOf('}');
            int at = line.indexOf(label + "=\"");
            int end = at < 0 ? -1 : line.indexOf('"', at + label.length() + 2);
            if (close < 0 || end < 0 || end > close) {
              return;
            }
            try {
              double v = Double.parseDouble(line.substring(close + 1).trim().split(" ")[0]);
              if (v != 0) {
                out.computeIfAbsent(name, k -> new TreeMap<>())
                    .put(line.substring(at + label.length() + 2, end), v);
              }
            } catch (NumberFormatException e) {
              // not a sample line
            }
          });
    }
    return out;
  }
}
