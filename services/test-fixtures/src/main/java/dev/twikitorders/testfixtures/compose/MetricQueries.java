package dev.twikitorders.testfixtures.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The PromQL of the observability kit under {@code compose/} (Grafana dashboards, Prometheus alert
 * rules) and the metric names it uses, to check them against a real {@code /metrics} scrape.
 *
 * <p>A metric name is an identifier of the expression starting with one of {@link #PREFIXES}
 * (string literals such as label values are removed first; label names and PromQL functions have
 * none of these prefixes). The rule file's structure is checked as Prometheus needs it: {@code
 * groups} with a {@code name} and {@code rules}, each rule with {@code alert}, {@code expr}, {@code
 * for}, {@code labels.severity}, {@code annotations.summary} and {@code annotations.description}.
 * Problems are {@link AssertionError}s naming the file and the rule or panel.
 *
 * <p>Stateless; thread-safe.
 */
public final class MetricQueries {
  /** The prefixes of the metric names the pipeline, the delivery service and their JVMs export. */
  public static final List<String> PREFIXES =
      List.of(
          "order_enricher_",
          "order_delivery_",
          "twikit_client_",
          "kafka_",
          "jvm_",
          "process_",
          "system_");

  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");
  private static final Pattern DURATION = Pattern.compile("[0-9]+[smhdw]");

  private MetricQueries() {}

  /**
   * One alerting rule.
   *
   * @param group its group's name
   * @param alert the alert's name
   * @param expr its PromQL
   * @param forDuration its {@code for:} duration, such as {@code 10m}
   * @param severity its {@code severity} label
   */
  public record Rule(
      String group,
      String alert,
      String expr,
      String forDuration,
      String severity,
      String summary,
      String description) {}

  /**
   * One query of a dashboard panel.
   *
   * @param panel the panel's title
   * @param expr its PromQL
   */
  public record PanelQuery(String panel, String expr) {}

  /**
   * The alerting rules of {@code file}, checked for the structure described above.
   *
   * @throws AssertionError when the file is not such a rule file
   */
  public static List<Rule> rules(Path file) {
    JsonNode root = read(file, new YAMLMapper());
    JsonNode groups = root.path("groups");
    check(groups.isArray() && !groups.isEmpty(), file, "no groups list");
    List<Rule> rules = new ArrayList<>();
    for (JsonNode g : groups) {
      String group = text(g, "name", file, "a group");
      JsonNode list = g.path("rules");
      check(list.isArray() && !list.isEmpty(), file, "group " + group + " has no rules list");
      for (JsonNode r : list) {
        String alert = text(r, "alert", file, "a rule of group " + group);
        String where = "rule " + alert;
        String expr = text(r, "expr", file, where);
        String forDuration = text(r, "for", file, where);
        check(DURATION.matcher(forDuration).matches(), file, where + ": for is not a duration");
        String severity = text(r.path("labels"), "severity", file, where + " labels");
        check(
            Set.of("critical", "warning", "info").contains(severity),
            file,
            where + ": severity " + severity + " is not critical, warning or info");
        String summary = text(r.path("annotations"), "summary", file, where + " annotations");
        String description =
            text(r.path("annotations"), "description", file, where + " annotations");
        rules.add(new Rule(group, alert, expr, forDuration, severity, summary, description));
      }
    }
    return rules;
  }

  /**
   * The queries of every panel of the Grafana dashboard {@code file} (rows and nested panels
   * included).
   *
   * @throws AssertionError when the file has no panels or a panel has no query
   */
  public static List<PanelQuery> dashboardQueries(Path file) {
    JsonNode root = read(file, new ObjectMapper());
    JsonNode panels = root.path("panels");
    check(panels.isArray() && !panels.isEmpty(), file, "no panels");
    List<PanelQuery> queries = new ArrayList<>();
    collect(panels, file, queries);
    return queries;
  }

  private static void collect(JsonNode panels, Path file, List<PanelQuery> into) {
    for (JsonNode p : panels) {
      String title = p.path("title").asText("");
      if ("row".equals(p.path("type").asText())) {
        collect(p.path("panels"), file, into);
        continue;
      }
      JsonNode targets = p.path("targets");
      check(targets.isArray() && !targets.isEmpty(), file, "panel " + title + " has no targets");
      for (JsonNode t : targets) {
        into.add(new PanelQuery(title, text(t, "expr", file, "a target of panel " + title)));
      }
    }
  }

  /** The metric names (identifiers with one of {@link #PREFIXES}) used by {@code promql}. */
  public static Set<String> metricNames(String promql) {
    String code = STRING.matcher(promql).replaceAll("\"\"");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(code);
    while (m.find()) {
      String id = m.group();
      if (PREFIXES.stream().anyMatch(id::startsWith)) {
        names.add(id);
      }
    }
    return names;
  }

  /** The sample names of a Prometheus text-format scrape (comments skipped). */
  public static Set<String> sampleNames(String scrape) {
    Set<String> names = new TreeSet<>();
    Matcher m = SAMPLE.matcher(scrape);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** Every {@code *.json} file under {@code dir} (the provisioned dashboards). */
  public static List<Path> dashboards(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> list = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
      check(!list.isEmpty(), dir, "no dashboard (*.json)");
      return list;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** {@code file} parsed as YAML (JSON is YAML too). */
  public static JsonNode yaml(Path file) {
    return read(file, new YAMLMapper());
  }

  private static JsonNode read(Path file, ObjectMapper mapper) {
    try {
      return mapper.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static String text(JsonNode node, String field, Path file, String where) {
    JsonNode v = node.path(field);
    check(v.isValueNode() && !v.asText().isBlank(), file, where + " has no " + field);
    return v.asText();
  }

  private static void check(boolean ok, Path file, String problem) {
    if (!ok) {
      throw new AssertionError(file + ": " + problem);
    }
  }
}
