package dev.twikitorders.registry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.twikitorders.registry.CompatibilityLevel;
import dev.twikitorders.registry.RegisteredSchema;
import dev.twikitorders.registry.SchemaRegistryException;
import dev.twikitorders.registry.mock.MockSchemaRegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A small HTTP server speaking the Confluent Schema Registry REST API (the endpoints the client
 * uses), backed by an unscoped {@link MockSchemaRegistryClient} for the registry semantics. It
 * answers like Confluent: JSON bodies of media type {@code application/vnd.schemaregistry.v1+json},
 * errors as {@code {"error_code":..., "message":...}}.
 *
 * <p>Test helpers: a base path (to mimic Apicurio's {@code /apis/ccompat/v7}), required Basic
 * credentials, a request log, and injected failures. Meant to sit beside (or be replaced by) the
 * real Apicurio registry in interop tests.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ConfluentCompatibleTestServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MockSchemaRegistryClient registry = MockSchemaRegistryClient.unscoped();
  private final HttpServer server;
  private final String basePath;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final Map<String, String> lastHeaders = new ConcurrentHashMap<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile int failureStatus = 503;
  private volatile String requiredAuthorization;

  private ConfluentCompatibleTestServer(String basePath) throws IOException {
    this.basePath = basePath;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(basePath.isEmpty() ? "/" : basePath, this::handle);
    server.start();
  }

  /** A server at the root path. */
  public static ConfluentCompatibleTestServer start() throws IOException {
    return new ConfluentCompatibleTestServer("");
  }

  /** A server whose API sits under {@code basePath}, e.g. {@code /apis/ccompat/v7}. */
  public static ConfluentCompatibleTestServer start(String basePath) throws IOException {
    return new ConfluentCompatibleTestServer(basePath);
  }

  /** The base URL clients should use, including the base path. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + basePath;
  }

  /** Requests received so far, as {@code METHOD /path}. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  public int requestCount() {
    return requests.size();
  }

  /** Headers of the last request (lower-case names). */
  public Map<String, String> lastHeaders() {
    return Map.copyOf(lastHeaders);
  }

  /** The next {@code count} requests get {@code status} with a Confluent-style error body. */
  public void failNext(int count, int status) {
    failureStatus = status;
    failuresLeft.set(count);
  }

  /** From now on, requests without this exact {@code Authorization} header get 401. */
  public void requireAuthorization(String headerValue) {
    requiredAuthorization = headerValue;
  }

  /** The registry behind the server, for arranging state directly. */
  public MockSchemaRegistryClient registry() {
    return registry;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String rawPath = exchange.getRequestURI().getRawPath().substring(basePath.length());
      requests.add(method + " " + rawPath);
      lastHeaders.clear();
      exchange
          .getRequestHeaders()
          .forEach((k, v) -> lastHeaders.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        sendError(exchange, failureStatus, 50001, "injected failure");
        return;
      }
      String auth = requiredAuthorization;
      if (auth != null && !auth.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        sendError(exchange, 401, 401, "Unauthorized");
        return;
      }
      try {
        route(exchange, method, rawPath, body);
      } catch (SchemaRegistryException e) {
        sendError(exchange, e.httpStatus(), e.errorCode(), e.getMessage());
      } catch (SchemaParseException | IllegalArgumentException e) {
        sendError(
            exchange,
            422,
            SchemaRegistryException.INVALID_SCHEMA,
            "Invalid schema: " + e.getMessage());
      }
    }
  }

  private void route(HttpExchange ex, String method, String rawPath, byte[] body)
      throws IOException {
    String[] p = rawPath.replaceAll("^/+", "").split("/");
    for (int i = 0; i < p.length; i++) {
      p[i] = URLDecoder.decode(p[i], StandardCharsets.UTF_8);
    }
    switch (method + " " + shape(p)) {
      case "GET subjects" -> {
        ArrayNode out = JSON.createArrayNode();
        registry.subjects().forEach(out::add);
        send(ex, 200, out);
      }
      case "POST subjects/*/versions" -> {
        int id = registry.register(p[1], schemaOf(body));
        send(ex, 200, JSON.createObjectNode().put("id", id));
      }
      case "POST subjects/*" -> {
        RegisteredSchema found = registry.lookup(p[1], schemaOf(body));
        send(ex, 200, describe(found));
      }
      case "GET subjects/*/versions" -> {
        ArrayNode out = JSON.createArrayNode();
        registry.versions(p[1]).forEach(out::add);
        send(ex, 200, out);
      }
      case "GET subjects/*/versions/*" -> {
        RegisteredSchema v =
            p[3].equals("latest")
                ? registry.latestVersion(p[1])
                : registry.version(p[1], parseVersion(p[3]));
        send(ex, 200, describe(v));
      }
      case "GET schemas/ids/*" -> {
        Schema schema = registry.getById(parseId(p[2]));
        send(ex, 200, JSON.createObjectNode().put("schema", schema.toString()));
      }
      case "POST compatibility/subjects/*/versions/*" -> {
        if (!p[4].equals("latest")) {
          registry.version(p[2], parseVersion(p[4]));
        } else if (registry.subjects().contains(p[2])) {
          registry.latestVersion(p[2]);
        } else {
          // Confluent answers 404 40401 for a subject without versions
          throw new SchemaRegistryException(
              "Subject '" + p[2] + "' not found.", 404, SchemaRegistryException.SUBJECT_NOT_FOUND);
        }
        boolean ok = registry.isCompatible(p[2], schemaOf(body));
        send(ex, 200, JSON.createObjectNode().put("is_compatible", ok));
      }
      case "PUT config", "PUT config/*" -> {
        JsonNode req = JSON.readTree(body);
        String level = req.path("compatibility").asText();
        CompatibilityLevel parsed;
        try {
          parsed = CompatibilityLevel.valueOf(level);
        } catch (IllegalArgumentException e) {
          throw new SchemaRegistryException(
              "Invalid compatibility level",
              422,
              SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL);
        }
        registry.setCompatibility(p.length > 1 ? p[1] : null, parsed);
        send(ex, 200, JSON.createObjectNode().put("compatibility", level));
      }
      case "GET config", "GET config/*" ->
          send(
              ex,
              200,
              JSON.createObjectNode()
                  .put(
                      "compatibilityLevel",
                      registry.compatibility(p.length > 1 ? p[1] : null).name()));
      default -> sendError(ex, 404, 404, "HTTP 404 Not Found");
    }
  }

  /** The route of a path: variable segments (subjects, versions, ids) replaced by {@code *}. */
  private static String shape(String[] p) {
    java.util.Set<Integer> variable =
        switch (p[0]) {
          case "subjects" -> java.util.Set.of(1, 3);
          case "schemas" -> java.util.Set.of(2);
          case "compatibility" -> java.util.Set.of(2, 4);
          case "config" -> java.util.Set.of(1);
          default -> java.util.Set.of();
        };
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < p.length; i++) {
      s.append(i == 0 ? "" : "/").append(variable.contains(i) ? "*" : p[i]);
    }
    return s.toString();
  }

  private static Schema schemaOf(byte[] body) throws IOException {
    JsonNode req = JSON.readTree(body);
    JsonNode type = req.get("schemaType");
    if (type != null && !type.asText().equals("AVRO")) {
      throw new SchemaRegistryException(
          "Unsupported schema type", 422, SchemaRegistryException.INVALID_SCHEMA);
    }
    if (!req.path("schema").isTextual()) {
      throw new SchemaRegistryException(
          "Empty schema", 422, SchemaRegistryException.INVALID_SCHEMA);
    }
    return new Schema.Parser().parse(req.get("schema").asText());
  }

  private static ObjectNode describe(RegisteredSchema v) {
    return JSON.createObjectNode()
        .put("subject", v.subject())
        .put("id", v.id())
        .put("version", v.version())
        .put("schema", v.schema().toString());
  }

  private static int parseId(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new SchemaRegistryException(
          "Schema " + s + " not found", 404, SchemaRegistryException.SCHEMA_NOT_FOUND);
    }
  }

  private static int parseVersion(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new SchemaRegistryException("Invalid version", 422, 42202);
    }
  }

  private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  private static void sendError(HttpExchange ex, int status, int code, String message)
      throws IOException {
    send(ex, status, JSON.createObjectNode().put("error_code", code).put("message", message));
  }
}
