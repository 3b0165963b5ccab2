package dev.twikitorders.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The results of the peer benchmark ({@code --peers}): its {@code --json} file read into one row
 * per peer ({@code pc}, {@code pc-tx}, {@code streams-sync}), shown in the bench's table as {@code
 * peer:<name>} rows, and the best verified peer the {@code >= 2x best peer} target compares the
 * {@code async} round with.
 *
 * <p>The file is the peer benchmark's own format: an object with a {@code results} list, one object
 * per peer with the components of its {@code Result} record ({@code peer}, {@code orders}, {@code
 * lines}, {@code status}, {@code seconds}, {@code linesPerSec}, {@code callsPerSec}, {@code p50},
 * {@code p99}, {@code missingErp}, ...). Stateless; thread-safe.
 */
final class PeerResults {
  /** The peers the peer benchmark runs with {@code --peer all}, in its order. */
  static final List<String> ALL = List.of("pc", "pc-tx", "streams-sync");

  private PeerResults() {}

  /**
   * One peer's measured round, as the peer benchmark reported it. Latencies in ms, -1 when not
   * measured; rates per second over its window (first produce to last line complete).
   *
   * @param peer the peer's name, e.g. {@code pc-tx}
   * @param status the peer benchmark's status: {@code ok}, {@code ok-with-violations}, {@code
   *     failed: ...}, {@code timeout after ...}, or (from the bench) {@code no result}
   */
  record Row(
      String peer,
      int orders,
      long lines,
      double seconds,
      double linesPerSec,
      double callsPerSec,
      long p50,
      long p99,
      long missingErp,
      long missingFulfillment,
      long duplicates,
      long unknown,
      long orderViolations,
      String status) {

    /** A peer the file has no result for (the peer benchmark stopped before it). */
    static Row missing(String peer) {
      return new Row(peer, 0, 0, -1, 0, 0, -1, -1, 0, 0, 0, 0, 0, "no result");
    }

    /** The row's name in the table: {@code peer:<name>}. */
    String round() {
      return "peer:" + peer;
    }

    /**
     * Completed, and every line exactly once on both outputs in order per key (the peer benchmark's
     * own verification).
     */
    boolean verified() {
      return status.equals("ok")
          && missingErp + missingFulfillment + duplicates + unknown + orderViolations == 0;
    }

    /** {@code ok}, or {@code peer verification FAILED: ...} with the status and the counts. */
    String verdict() {
      if (verified()) {
        return "ok";
      }
      return "peer verification FAILED: "
          + status
          + String.format(
              java.util.Locale.ROOT,
              " (missing erp %d, missing fulfillment %d, duplicates %d, unknown %d, order violations"
                  + " %d)",
              missingErp,
              missingFulfillment,
              duplicates,
              unknown,
              orderViolations);
    }
  }

  /**
   * Reads the peer benchmark's JSON file.
   *
   * @throws IOException when it cannot be read, is not JSON, or has no {@code results} list or a
   *     result without one of the fields used here (the message names the file and the result)
   */
  static List<Row> parse(Path file) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new IOException(
          "peer results " + file + ": not readable as JSON: " + e.getMessage(), e);
    }
    JsonNode results = root == null ? null : root.get("results");
    if (results == null || !results.isArray()) {
      throw new IOException("peer results " + file + ": no 'results' list");
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      JsonNode r = results.get(i);
      String where = "peer results " + file + ": results[" + i + "]";
      rows.add(
          new Row(
              text(r, "peer", where),
              (int) number(r, "orders", where),
              (long) number(r, "lines", where),
              optional(r, "seconds", -1),
              number(r, "linesPerSec", where),
              optional(r, "callsPerSec", 0),
              (long) optional(r, "p50", -1),
              (long) optional(r, "p99", -1),
              (long) number(r, "missingErp", where),
              (long) number(r, "missingFulfillment", where),
              (long) number(r, "duplicates", where),
              (long) number(r, "unknown", where),
              (long) number(r, "orderViolations", where),
              text(r, "status", where)));
    }
    return rows;
  }

  /**
   * {@code rows} and a {@link Row#missing} row for every peer of {@code expected} without one, in
   * the order of {@code expected} (rows of other peers last).
   */
  static List<Row> complete(List<Row> rows, Collection<String> expected) {
    List<Row> out = new ArrayList<>();
    for (String name : expected) {
      out.add(
          rows.stream()
              .filter(r -> r.peer().equals(name))
              .findFirst()
              .orElseGet(() -> Row.missing(name)));
    }
    rows.stream().filter(r -> !expected.contains(r.peer())).forEach(out::add);
    return out;
  }

  /**
   * The verified peer with the most lines/s: a peer that lost, duplicated or reordered records, or
   * did not finish, has no rate to compare with.
   */
  static Optional<Row> bestVerified(List<Row> rows) {
    return rows.stream().filter(Row::verified).max(Comparator.comparingDouble(Row::linesPerSec));
  }

  private static String text(JsonNode r, String field, String where) throws IOException {
    JsonNode v = r == null ? null : r.get(field);
    if (v == null || v.isNull()) {
      throw new IOException(where + " has no '" + field + "'");
    }
    return v.asText();
  }

  private static double number(JsonNode r, String field, String where) throws IOException {
    JsonNode v = r == null ? null : r.get(field);
    if (v == null || !v.isNumber()) {
      throw new IOException(where + " has no number '" + field + "'");
    }
    return v.asDouble();
  }

  /** The field's value; {@code absent} when missing or null (the peer writes NaN as null). */
  private static double optional(JsonNode r, String field, double absent) {
    JsonNode v = r.get(field);
    return v == null || !v.isNumber() ? absent : v.asDouble();
  }
}
