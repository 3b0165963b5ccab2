package dev.twikitorders.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A canned delivery endpoint on loopback (the JDK's HTTP server) that holds every request until the
 * test answers it ({@link #answer}), or answers at once with {@link #autoAnswer}. It notes what
 * arrived (idempotency keys and the orders of the records, in arrival order), how many requests it
 * held at once, and per order how many requests it held at once: a request counts as held from its
 * arrival until just before its response is written, so a client that waits for the response before
 * sending the next request of an order is never seen twice.
 *
 * <p>Thread-safe.
 */
final class HoldingEndpoint implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One request that arrived.
   *
   * @param keys the idempotency keys of its records, in body order
   * @param orders the order ids of its records, in body order
   * @param answer completed by the test with the status to answer
   */
  record Request(List<String> keys, List<String> orders, CompletableFuture<Integer> answer) {}

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<Request> arrived = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> heldByOrder = new ConcurrentHashMap<>();
  private final AtomicInteger held = new AtomicInteger();
  private final AtomicInteger maxHeld = new AtomicInteger();
  private final AtomicInteger maxHeldPerOrder = new AtomicInteger();
  private volatile Function<Request, Integer> autoAnswer;

  HoldingEndpoint() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/records", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/records");
  }

  /** From now on, requests are answered at once with the status {@code answer} gives. */
  void autoAnswer(Function<Request, Integer> answer) {
    autoAnswer = answer;
  }

  /** The requests in arrival order. */
  List<Request> arrived() {
    return List.copyOf(arrived);
  }

  /** The idempotency keys of each request, in arrival order. */
  List<List<String>> arrivedKeys() {
    return arrived.stream().map(Request::keys).toList();
  }

  /** The request that carries {@code key}. */
  Request request(String key) {
    return arrived.stream()
        .filter(r -> r.keys().contains(key))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no request with " + key + " arrived"));
  }

  /** Answers the held request carrying {@code key} with {@code status}. */
  void answer(String key, int status) {
    request(key).answer().complete(status);
  }

  /** Requests held now. */
  int held() {
    return held.get();
  }

  /** The most requests held at once. */
  int maxHeld() {
    return maxHeld.get();
  }

  /** The most requests with records of one order held at once. */
  int maxHeldPerOrder() {
    return maxHeldPerOrder.get();
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      byte[] body;
      try (InputStream in = x.getRequestBody()) {
        body = in.readAllBytes();
      }
      JsonNode json = JSON.readTree(body);
      List<String> keys = new ArrayList<>();
      List<String> orders = new ArrayList<>();
      if (json.has("records")) {
        for (JsonNode r : json.get("records")) {
          keys.add(r.get("idempotencyKey").asText());
          orders.add(r.get("record").get("orderId").asText());
        }
      } else {
        keys.add(x.getRequestHeaders().getFirst("Idempotency-Key"));
        orders.add(json.get("orderId").asText());
      }
      Request request =
          new Request(List.copyOf(keys), List.copyOf(orders), new CompletableFuture<>());
      maxHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
      for (String order : orders.stream().distinct().toList()) {
        maxHeldPerOrder.accumulateAndGet(heldByOrder.merge(order, 1, Integer::sum), Math::max);
      }
      arrived.add(request);
      Function<Request, Integer> auto = autoAnswer;
      int status;
      try {
        status = auto != null ? auto.apply(request) : request.answer().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        status = 503;
      }
      for (String order : orders.stream().distinct().toList()) {
        heldByOrder.merge(order, -1, Integer::sum);
      }
      held.decrementAndGet();
      byte[] answer =
          (status >= 400
                  ? "{\"error\":\"invalid_record\",\"keys\":\"" + String.join(",", keys) + "\"}"
                  : "{}")
              .getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().add("Content-Type", "application/json");
      x.sendResponseHeaders(status, answer.length);
      try (OutputStream out = x.getResponseBody()) {
        out.write(answer);
      }
    }
  }

  @Override
  public void close() {
    autoAnswer = r -> 503;
    arrived.forEach(r -> r.answer().complete(503));
    server.stop(0);
    threads.shutdownNow();
  }
}
