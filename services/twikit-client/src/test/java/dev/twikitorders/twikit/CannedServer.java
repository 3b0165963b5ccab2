package dev.twikitorders.twikit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server with canned answers per path, for answers the sandbox never gives
 * (redirects, oversized or non-JSON bodies, incomplete batch results). A test fake of the server,
 * not of the client's HTTP layer: the client talks real HTTP to it. Thread-safe.
 */
final class CannedServer implements AutoCloseable {

  /** Writes one answer. */
  interface Reply {
    void send(HttpExchange exchange) throws IOException;
  }

  private final HttpServer server;
  private final Map<String, Reply> routes = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

  CannedServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            String path = exchange.getRequestURI().getPath();
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            Reply r = routes.get(path);
            if (r == null) {
              exchange.sendResponseHeaders(404, -1);
            } else {
              r.send(exchange);
            }
          } catch (IOException clientWentAway) {
            // expected when the client refuses a body half-way
          }
        });
    server.start();
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  int port() {
    return server.getAddress().getPort();
  }

  CannedServer on(String path, Reply reply) {
    routes.put(path, reply);
    return this;
  }

  int hits(String path) {
    AtomicInteger n = hits.get(path);
    return n == null ? 0 : n.get();
  }

  /** {@code body} with {@code contentType}; chunked (no Content-Length) when asked. */
  static Reply body(int status, String contentType, byte[] body, boolean chunked) {
    return exchange -> {
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(status, chunked ? 0 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    };
  }

  static Reply json(int status, String json) {
    return body(status, "application/json", json.getBytes(StandardCharsets.UTF_8), false);
  }

  static Reply redirect(int status, String location) {
    return exchange -> {
      exchange.getResponseHeaders().set("Location", location);
      exchange.sendResponseHeaders(status, -1);
    };
  }

  /** A valid client credentials token response. */
  static Reply token() {
    return json(
        200, "{\"access_token\":\"canned-token\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
