package dev.twikitorders.ops;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a deployable's status page shows, served as {@code /status.json} and rendered by the page at
 * {@code /}: the service, its overall state and sections of facts, rate charts and tables. The page
 * knows no service: it renders whatever sections a {@link StatusSource} returns, in order.
 *
 * <p>Never holds a secret or record bytes: sources build it from meters and states only. Immutable.
 *
 * @param service the deployable, e.g. {@code order-enricher}
 * @param version its version
 * @param state one word for the whole instance, e.g. {@code RUNNING}, {@code PAUSED}
 * @param level how the page colours {@code state}
 * @param generatedAt when this report was made
 * @param sections the page's sections, in order
 */
public record StatusReport(
    String service,
    String version,
    String state,
    Level level,
    Instant generatedAt,
    List<Section> sections) {

  /** How a value is shown: fine, worth a look, or wrong. */
  public enum Level {
    OK,
    INFO,
    WARN,
    BAD
  }

  public StatusReport {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(generatedAt, "generatedAt");
    version = version == null ? "development" : version;
    sections = List.copyOf(sections);
  }

  /** One titled section: facts first, then charts, then tables. */
  public record Section(String title, List<Fact> facts, List<Series> charts, List<Table> tables) {
    public Section {
      Objects.requireNonNull(title, "title");
      facts = List.copyOf(facts);
      charts = List.copyOf(charts);
      tables = List.copyOf(tables);
    }

    /** A section of facts only. */
    public static Section facts(String title, List<Fact> facts) {
      return new Section(title, facts, List.of(), List.of());
    }
  }

  /** A labelled value, already formatted for people. */
  public record Fact(String label, String value, Level level) {
    public Fact {
      Objects.requireNonNull(label, "label");
      value = value == null ? "-" : value;
      Objects.requireNonNull(level, "level");
    }

    public static Fact info(String label, Object value) {
      return new Fact(label, value == null ? null : String.valueOf(value), Level.INFO);
    }
  }

  /**
   * A rate over the last minutes, oldest point first, one point per {@code stepSeconds}; drawn as a
   * small chart with the latest value.
   */
  public record Series(String label, String unit, int stepSeconds, List<Double> points) {
    public Series {
      Objects.requireNonNull(label, "label");
      unit = unit == null ? "" : unit;
      points = List.copyOf(points);
    }
  }

  /** A table of formatted cells; every row has one cell per column. */
  public record Table(String title, List<String> columns, List<List<String>> rows) {
    public Table {
      Objects.requireNonNull(title, "title");
      columns = List.copyOf(columns);
      rows = rows.stream().map(List::copyOf).toList();
      for (List<String> row : rows) {
        if (row.size() != columns.size()) {
          throw new IllegalArgumentException(
              "table " + title + ": a row has " + row.size() + " cells for " + columns.size());
        }
      }
    }
  }
}
