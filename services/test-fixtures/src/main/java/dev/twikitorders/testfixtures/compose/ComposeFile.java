package dev.twikitorders.testfixtures.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed Compose file with every {@code ${VAR:-default}} replaced by its default, as {@code
 * docker compose} sees it without a {@code .env}. Compose-level variables must be named {@code
 * STACK_*} (so they never collide with the application's own environment variables, which a
 * developer may have exported in the shell) and must have a default.
 *
 * <p>Shared by the compose tests of the order enricher and the delivery service. Lookups of what is
 * missing throw {@link AssertionError} (a failed test, not an error of the test). Immutable after
 * {@link #load}; thread-safe.
 *
 * @param path the file read
 * @param root its content, interpolated
 */
public record ComposeFile(Path path, JsonNode root) {
  /**
   * {@code $$}, {@code ${NAME}}, {@code ${NAME:-default}} / {@code ${NAME-default}}, or a stray
   * {@code $}.
   */
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}|\\$");

  /** The prefix every compose-level variable must have. */
  public static final String COMPOSE_VARIABLE_PREFIX = "STACK_";

  /**
   * Reads and interpolates {@code path}.
   *
   * @throws AssertionError when a variable has no default or is not named {@code STACK_*}
   */
  public static ComposeFile load(Path path) {
    try {
      JsonNode raw = new YAMLMapper().readTree(Files.readString(path));
      return new ComposeFile(path, interpolate(raw, path.getFileName().toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  /**
   * The repository root: the nearest directory upwards holding {@code docker-compose.yml} and
   * {@code mvnw}.
   */
  public static Path repoRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("docker-compose.yml"))
          && Files.isRegularFile(p.resolve("mvnw"))) {
        return p;
      }
    }
    throw new IllegalStateException("no docker-compose.yml above " + Path.of("").toAbsolutePath());
  }

  /**
   * The service named {@code name}.
   *
   * @throws AssertionError when there is none
   */
  public JsonNode service(String name) {
    JsonNode s = root.path("services").path(name);
    if (s.isMissingNode()) {
      throw new AssertionError(
          String.format("%s has no service '%s' (services: %s)", path, name, serviceNames()));
    }
    return s;
  }

  /** The service named {@code name}, if there is one. */
  public Optional<JsonNode> optionalService(String name) {
    JsonNode s = root.path("services").path(name);
    return s.isMissingNode() ? Optional.empty() : Optional.of(s);
  }

  /** The names of the services, in file order. */
  public List<String> serviceNames() {
    List<String> names = new ArrayList<>();
    root.path("services").fieldNames().forEachRemaining(names::add);
    return names;
  }

  /**
   * A service's {@code environment}, in map or {@code KEY=VALUE} list form; null values become "".
   */
  public Map<String, String> environment(String service) {
    return environmentOf(service(service));
  }

  /** A service node's {@code environment}, as {@link #environment(String)}. */
  public static Map<String, String> environmentOf(JsonNode service) {
    Map<String, String> env = new LinkedHashMap<>();
    JsonNode e = service.path("environment");
    if (e.isObject()) {
      e.fields()
          .forEachRemaining(
              f -> env.put(f.getKey(), f.getValue().isNull() ? "" : f.getValue().asText()));
    } else if (e.isArray()) {
      for (JsonNode item : e) {
        String s = item.asText();
        int eq = s.indexOf('=');
        env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
      }
    }
    return env;
  }

  /** {@code command} (or another string-or-list field) as a list of arguments. */
  public static List<String> args(JsonNode node) {
    List<String> args = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> args.add(n.asText()));
    } else if (node.isTextual()) {
      args.addAll(List.of(node.asText().trim().split("\\s+")));
    }
    return args;
  }

  /** The value of {@code --name=value} or {@code --name value} in {@code args}. */
  public static Optional<String> option(List<String> args, String name) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith(name + "=")) {
        return Optional.of(a.substring(name.length() + 1));
      }
      if (a.equals(name) && i + 1 < args.size()) {
        return Optional.of(args.get(i + 1));
      }
    }
    return Optional.empty();
  }

  /** Names of the secrets a service mounts (short or long syntax). */
  public static List<String> secretsOf(JsonNode service) {
    List<String> names = new ArrayList<>();
    for (JsonNode s : service.path("secrets")) {
      names.add(s.isTextual() ? s.asText() : s.path("source").asText());
    }
    return names;
  }

  private static JsonNode interpolate(JsonNode node, String where) {
    if (node.isTextual()) {
      return JsonNodeFactory.instance.textNode(interpolate(node.asText(), where));
    }
    if (node.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      node.forEach(n -> copy.add(interpolate(n, where)));
      return copy;
    }
    if (node.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      node.fields()
          .forEachRemaining(
              f -> copy.set(f.getKey(), interpolate(f.getValue(), where + "." + f.getKey())));
      return copy;
    }
    return node;
  }

  private static String interpolate(String s, String where) {
    Matcher m = VARIABLE.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group().equals("$$")) {
        replacement = "$";
      } else if (m.group().equals("$")) {
        throw new AssertionError(
            where + ": a '$' that is not ${VAR:-default}; write $$ for a literal dollar: " + s);
      } else if (m.group(2) == null) {
        throw new AssertionError(
            where
                + ": ${"
                + m.group(1)
                + "} needs a default (${"
                + m.group(1)
                + ":-...}) so that the file works without a .env");
      } else if (!m.group(1).startsWith(COMPOSE_VARIABLE_PREFIX)) {
        throw new AssertionError(
            where
                + ": compose variable ${"
                + m.group(1)
                + "} must start with "
                + COMPOSE_VARIABLE_PREFIX
                + " (a shell that exports an application variable must not rewire the stack)");
      } else {
        replacement = m.group(2);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
