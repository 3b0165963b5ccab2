package dev.twikitorders.twikit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A loopback HTTP server with canned answers per path, for answers the sandbox never gives
 * (redirects, oversized or non-JSON bodies, incomplete batch results). A test fake of the server,
 * not of the client's HTTP layer: the client talks real HTTP to it. Or HTTPS: {@link
 * #CannedServer(SSLContext, boolean)}. Thread-safe.
 */
final class CannedServer implements AutoCloseable {

  /** Writes one answer. */
  interface Reply {
    void send(HttpExchange exchange) throws IOException;
  }

  private final HttpServer server;
  private final Map<String, Reply> routes = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

  private final String scheme;

  CannedServer() throws IOException {
    this(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), "http");
  }

  /**
   * An HTTPS server presenting the key of {@code tls}, requiring a client certificate (trusted by
   * {@code tls}) when {@code needClientAuth}.
   */
  CannedServer(SSLContext tls, boolean needClientAuth) throws IOException {
    this(https(tls, needClientAuth), "https");
  }

  private static HttpsServer https(SSLContext tls, boolean needClientAuth) throws IOException {
    HttpsServer https =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    https.setHttpsConfigurator(
        new HttpsConfigurator(tls) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters p = tls.getDefaultSSLParameters();
            p.setNeedClientAuth(needClientAuth);
            params.setSSLParameters(p);
          }
        });
    return https;
  }

  private CannedServer(HttpServer server, String scheme) {
    this.server = server;
    this.scheme = scheme;
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
    return URI.create(
        scheme
            + "://"
            + (scheme.equals("https") ? "localhost" : "127.0.0.1")
            + ":"
            + server.getAddress().getPort()
            + path);
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
