package dev.twikitorders.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application's HTTP endpoint for metrics and health probes, bound to the address it is given.
 *
 * <p>Paths (exact; anything else is 404 {@code not found\n}):
 *
 * <ul>
 *   <li>{@code /metrics}: the registry's Prometheus text format 0.0.4 ({@code text/plain;
 *       version=0.0.4; charset=utf-8}).
 *   <li>{@code /health/live}: {@link Health#live()}.
 *   <li>{@code /health/ready}: {@link Health#ready()}.
 *   <li>{@code /health}: the same as {@code /health/ready}.
 *   <li>{@code /} and {@code /status.json}, only when a {@link StatusSource} is given: the status
 *       page (plain HTML, CSS and JavaScript from this jar, no external resource, refreshing itself
 *       every 3 s from {@code status.json}) and the {@link StatusReport} as JSON ({@code
 *       application/json}).
 * </ul>
 *
 * <p>A health answer has the verdict's status (200 or 503) and body, as {@code text/plain;
 * charset=utf-8}. Only {@code GET} and {@code HEAD} are served; any other method gets 405 with
 * {@code Allow: GET, HEAD}. A {@code HEAD} answer has the headers of the {@code GET} answer, {@code
 * Content-Length} included, and no body. When a scrape or a health decision throws, the answer is a
 * bare 500 {@code internal error\n}: the detail goes to the log only, never to whoever can reach
 * the port.
 *
 * <p>Requests are served by a small bounded pool of {@value #THREADS} daemon threads named {@code
 * metrics-http-N}, so that a slow scrape does not hold up a health probe; when the pool and its
 * queue of {@value #QUEUE} are full, further connections are closed unanswered. {@link #close()}
 * stops the server, then the pool, then closes what was handed to {@link #serve(InetSocketAddress,
 * PrometheusMeterRegistry, Health, AutoCloseable)}.
 *
 * <p>Thread-safe.
 */
public final class OpsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);

  /** Threads serving requests. */
  public static final int THREADS = 4;

  /** Requests accepted while all threads are busy; beyond that connections are closed. */
  public static final int QUEUE = 32;

  private static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final String TEXT_TYPE = "text/plain; charset=utf-8";
  private static final String ALLOW = "GET, HEAD";
  private static final String HTML_TYPE = "text/html; charset=utf-8";
  private static final String JSON_TYPE = "application/json";

  private final HttpServer server;
  private final ExecutorService pool;
  private final AutoCloseable onClose;
  private final AtomicBoolean closed = new AtomicBoolean();

  private OpsServer(HttpServer server, ExecutorService pool, AutoCloseable onClose) {
    this.server = server;
    this.pool = pool;
    this.onClose = onClose;
  }

  /**
   * Serves {@code registry} and {@code health} on {@code address}, registering no meter.
   *
   * @param address where to listen; port 0 picks a free port (see {@link #address()})
   * @throws UncheckedIOException when the address cannot be bound
   */
  public static OpsServer serve(
      InetSocketAddress address, PrometheusMeterRegistry registry, Health health) {
    return serve(address, registry, health, () -> {});
  }

  /**
   * Serves {@code registry} and {@code health} on {@code address}; {@link #close()} closes {@code
   * onClose} last (for example a meter binding). When binding fails, {@code onClose} is not closed:
   * it stays the caller's.
   *
   * @param address where to listen; port 0 picks a free port (see {@link #address()})
   * @throws UncheckedIOException when the address cannot be bound
   */
  public static OpsServer serve(
      InetSocketAddress address,
      PrometheusMeterRegistry registry,
      Health health,
      AutoCloseable onClose) {
    return serve(address, registry, health, null, onClose);
  }

  /**
   * Serves {@code registry}, {@code health} and, when {@code status} is not null, the status page
   * and {@code /status.json} on {@code address}; {@link #close()} closes {@code onClose} last.
   *
   * @param address where to listen; port 0 picks a free port (see {@link #address()})
   * @param status what the status page shows, or null for no page
   * @throws UncheckedIOException when the address cannot be bound
   */
  public static OpsServer serve(
      InetSocketAddress address,
      PrometheusMeterRegistry registry,
      Health health,
      StatusSource status,
      AutoCloseable onClose) {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(onClose, "onClose");
    AtomicInteger threadIds = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            r -> {
              Thread t = new Thread(r, "metrics-http-" + threadIds.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      pool.shutdownNow();
      throw new UncheckedIOException("cannot serve metrics on " + address, e);
    }
    server.setExecutor(pool);
    server.createContext("/", ex -> handle(ex, registry, health, status));
    server.start();
    return new OpsServer(server, pool, onClose);
  }

  private record Response(int status, String type, String body) {}

  private static void handle(
      HttpExchange ex, PrometheusMeterRegistry registry, Health health, StatusSource status)
      throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      boolean known =
          switch (path) {
            case "/metrics", "/health", "/health/live", "/health/ready" -> true;
            case "/", "/status.json" -> status != null;
            default -> false;
          };
      String method = ex.getRequestMethod();
      boolean head = method.equals("HEAD");
      Response response;
      if (!known) {
        response = new Response(404, TEXT_TYPE, "not found\n");
      } else if (!head && !method.equals("GET")) {
        ex.getResponseHeaders().set("Allow", ALLOW);
        response = new Response(405, TEXT_TYPE, "method not allowed\n");
      } else {
        response = answer(path, registry, health, status);
      }
      byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", response.type());
      // the page and its data are live: a cached copy would show an old state
      ex.getResponseHeaders().set("Cache-Control", "no-store");
      if (head) {
        ex.getResponseHeaders().set("Content-Length", Integer.toString(bytes.length));
        ex.sendResponseHeaders(response.status(), -1);
        return;
      }
      ex.sendResponseHeaders(response.status(), bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static Response answer(
      String path, PrometheusMeterRegistry registry, Health health, StatusSource status) {
    try {
      if (path.equals("/metrics")) {
        return new Response(200, METRICS_TYPE, registry.scrape());
      }
      if (path.equals("/")) {
        return new Response(200, HTML_TYPE, StatusPage.html());
      }
      if (path.equals("/status.json")) {
        return new Response(200, JSON_TYPE, StatusPage.json(status.status()));
      }
      Verdict verdict = path.equals("/health/live") ? health.live() : health.ready();
      return new Response(verdict.status(), TEXT_TYPE, verdict.body());
    } catch (RuntimeException e) {
      // the detail goes to the log only: it is not for whoever can reach this port
      LOG.warn("Cannot answer {}", path, e);
      return new Response(500, TEXT_TYPE, "internal error\n");
    }
  }

  /** The bound address: with port 0 requested, the port actually chosen. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /**
   * Stops serving at once (open exchanges are cut), then the pool, then closes what was handed to
   * {@link #serve(InetSocketAddress, PrometheusMeterRegistry, Health, AutoCloseable)}. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(0);
    pool.shutdownNow();
    try {
      if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("Metrics HTTP threads still busy after close");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      onClose.close();
    } catch (Exception e) {
      LOG.warn("Cannot release what the metrics endpoint was closing", e);
    }
  }
}
