package dev.twikitorders.auth;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * A loopback HTTP(S) server with canned answers per path, for the answers the sandbox never gives
 * (issuer mismatches, redirects, oversized bodies, silence) and to see requests as sent. A test
 * fake of the server, not of our HTTP layer: the code under test talks real HTTP to it.
 * Thread-safe.
 */
public final class CannedServer implements AutoCloseable {

  /** Writes one answer. */
  public interface Reply {
    void send(HttpExchange exchange) throws IOException;
  }

  /** One request as received. */
  public record Received(
      String method, String path, String query, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      for (Map.Entry<String, List<String>> h : headers.entrySet()) {
        if (h.getKey().equalsIgnoreCase(name)) {
          return h.getValue().get(0);
        }
      }
      return null;
    }
  }

  private final HttpServer server;
  private final String scheme;
  private final ExecutorService executor;
  private final Map<String, Reply> routes = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();

  public CannedServer() throws IOException {
    this(null);
  }

  /** HTTPS with {@code tls} when not null. */
  public CannedServer(SSLContext tls) throws IOException {
    InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (tls != null) {
      HttpsServer https = HttpsServer.create(at, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      server = https;
      scheme = "https";
    } else {
      server = HttpServer.create(at, 0);
      scheme = "http";
    }
    executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "canned-server");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor); // a handler that hangs blocks neither others nor close()
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            String body =
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            received.add(
                new Received(
                    exchange.getRequestMethod(),
                    path,
                    exchange.getRequestURI().getRawQuery(),
                    Map.copyOf(exchange.getRequestHeaders()),
                    body));
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

  /** {@code http(s)://localhost:<port><path>} ("localhost" so that TLS host checks pass). */
  public URI url(String path) {
    return URI.create(scheme + "://localhost:" + server.getAddress().getPort() + path);
  }

  public CannedServer on(String path, Reply reply) {
    routes.put(path, reply);
    return this;
  }

  /** The requests received so far, in order. */
  public List<Received> received() {
    return List.copyOf(received);
  }

  /** The requests received for {@code path}. */
  public List<Received> received(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  public static Reply body(int status, String contentType, byte[] body, boolean chunked) {
    return exchange -> {
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(status, chunked ? 0 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    };
  }

  public static Reply json(int status, String json) {
    return body(status, "application/json", json.getBytes(StandardCharsets.UTF_8), false);
  }

  public static Reply withHeader(String name, String value, Reply reply) {
    return exchange -> {
      exchange.getResponseHeaders().set(name, value);
      reply.send(exchange);
    };
  }

  public static Reply redirect(int status, String location) {
    return exchange -> {
      exchange.getResponseHeaders().set("Location", location);
      exchange.sendResponseHeaders(status, -1);
    };
  }

  /** A valid bearer token response with {@code token} and an hour's lifetime. */
  public static Reply token(String token) {
    return json(
        200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
  }

  @Override
  public void close() {
    executor.shutdownNow(); // interrupts hanging handlers
    server.stop(0);
  }
}
