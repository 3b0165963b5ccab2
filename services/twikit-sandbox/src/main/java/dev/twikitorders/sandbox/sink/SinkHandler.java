package dev.twikitorders.sandbox.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twikitorders.sandbox.api.ApiHandler;
import dev.twikitorders.sandbox.api.Operation;
import dev.twikitorders.sandbox.auth.ApiAuthenticator;
import dev.twikitorders.sandbox.counters.CounterRecorder;
import dev.twikitorders.sandbox.data.Json;
import dev.twikitorders.sandbox.faults.FaultController;
import dev.twikitorders.sandbox.faults.InjectedFaults;
import dev.twikitorders.sandbox.http.Replies;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The delivery sink: {@code POST /sink} (sink {@code default}) and {@code POST /sink/{name}}, on
 * the event loop. A delivery service posts records here; the sink records each accepted item in
 * arrival order ({@link SinkStore}) so tests can check conservation, order and authentication.
 *
 * <p>Wire format (module README, "Sink"): a single record is the JSON object body with header
 * {@code Idempotency-Key}; a batch is {@code {"records":[{"idempotencyKey":k,"record":{..}},..]}}
 * (the header then names the batch and is optional). Answers 200 {@code
 * {"accepted":n,"duplicates":d}} (a known key is still accepted: idempotent receiver), 400 {@code
 * invalid_request} for a malformed delivery, 400 {@code invalid_record} (nothing of the request
 * recorded) when the reject rule refuses an item, 401 without a credential the API accepts.
 *
 * <p>Per request, as the API: read the body; the rate limit and capacity; the faults of {@link
 * Operation#SINK} (latency by timer, {@code failNext}/error rates with {@code Retry-After} on 429
 * and 503, hangs, truncated replies); authenticate ({@link ApiAuthenticator}, no scope needed);
 * parse; record. Logs nothing (neither credentials nor records).
 *
 * <p>Thread-safe: holds only thread-safe collaborators.
 */
public final class SinkHandler implements Handler<HttpServerRequest> {
  /** The path of the default sink; {@code PATH + "/" + name} for a named one. */
  public static final String PATH = "/sink";

  /** The request header naming a single record (or a batch). */
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private static final int MAX_KEY_LENGTH = 1000;
  private static final String BEARER_INVALID =
      "Bearer realm=\"twikit-sandbox\", error=\"invalid_token\"";

  private final Vertx vertx;
  private final SinkStore sinks;
  private final ApiAuthenticator authenticator;
  private final FaultController faults;
  private final CounterRecorder counters;

  public SinkHandler(
      Vertx vertx,
      SinkStore sinks,
      ApiAuthenticator authenticator,
      FaultController faults,
      CounterRecorder counters) {
    this.vertx = vertx;
    this.sinks = sinks;
    this.authenticator = authenticator;
    this.faults = faults;
    this.counters = counters;
  }

  /** Whether a request path belongs to the sink. */
  public static boolean handles(String path) {
    return path.equals(PATH) || path.startsWith(PATH + "/");
  }

  @Override
  public void handle(HttpServerRequest req) {
    String path = req.path();
    String name = path.length() <= PATH.length() + 1 ? SinkStore.DEFAULT : path.substring(6);
    if (name.endsWith("/")) {
      name = name.substring(0, name.length() - 1);
    }
    if (!SinkStore.validName(name)) {
      reply(req, 404, Replies.error("not_found", "no such sink (names: A-Z a-z 0-9 . _ ~ -)"));
      return;
    }
    if (req.method() != HttpMethod.POST) {
      req.response().putHeader(HttpHeaders.ALLOW, "POST");
      reply(req, 405, Replies.error("method_not_allowed", "allowed: POST"));
      return;
    }
    String sink = name;
    req.body()
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                afterBody(req, sink, ar.result());
              }
            });
  }

  private void afterBody(HttpServerRequest req, String sink, Buffer body) {
    InjectedFaults.carryOut(
        vertx,
        req,
        faults,
        Operation.SINK,
        malformed -> serve(req, sink, body, malformed),
        status ->
            reply(
                req,
                status,
                Replies.error(
                    ApiHandler.errorCode(status), "HTTP " + status + " injected by the sandbox")),
        limited -> reply(req, 429, limited),
        () -> {
          counters.request(Operation.SINK, 0); // never answered; the connection stays open
          counters.sinkRequest();
        });
  }

  private void serve(HttpServerRequest req, String sink, Buffer body, boolean malformed) {
    ApiAuthenticator.Result auth = authenticator.authenticate(req);
    if (!(auth instanceof ApiAuthenticator.Granted granted)) {
      req.response().putHeader(Replies.WWW_AUTHENTICATE, BEARER_INVALID);
      reply(
          req,
          401,
          Replies.oauthError("invalid_token", ((ApiAuthenticator.Refused) auth).description()));
      return;
    }
    if (granted.tokenId() != null) {
      counters.tokenSeen(granted.tokenId());
    }
    String header = req.getHeader(IDEMPOTENCY_KEY);
    Delivery delivery;
    try {
      delivery = parse(body.toString(StandardCharsets.UTF_8), header);
    } catch (IllegalArgumentException e) {
      reply(req, 400, invalid("invalid_request", e.getMessage(), null));
      return;
    }
    SinkStore.Outcome outcome = sinks.offer(sink, delivery.batchKey(), delivery.items());
    if (!outcome.rejected().isEmpty()) {
      counters.sinkRejected(outcome.rejected().size());
      reply(
          req,
          400,
          invalid(
              "invalid_record",
              outcome.rejected().size() + " record(s) refused by the sink's reject rule",
              outcome.rejected()));
      return;
    }
    counters.sinkAccepted(outcome.accepted(), outcome.duplicates());
    byte[] json =
        Json.bytes(
            Json.object()
                .put("accepted", outcome.accepted())
                .put("duplicates", outcome.duplicates()));
    reply(req, 200, malformed ? Arrays.copyOf(json, Math.max(1, json.length / 2)) : json);
  }

  /** A parsed request: the batch's key ({@code null} for a single record) and its items. */
  private record Delivery(String batchKey, List<SinkStore.Incoming> items) {}

  /** The items of a delivery; {@link IllegalArgumentException} says what is wrong. */
  private static Delivery parse(String text, String header) {
    JsonNode root = Json.parse(text);
    if (!root.isObject()) {
      throw new IllegalArgumentException(
          "body must be a JSON object: a record, or {\"records\":[...]}");
    }
    JsonNode records = root.get("records");
    if (records == null || !records.isArray()) {
      checkKey(header, "header " + IDEMPOTENCY_KEY);
      return new Delivery(null, List.of(new SinkStore.Incoming(header, text, root)));
    }
    if (header != null) {
      checkKey(header, "header " + IDEMPOTENCY_KEY);
    }
    List<SinkStore.Incoming> items = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      JsonNode item = records.get(i);
      JsonNode key = item.get("idempotencyKey");
      JsonNode record = item.get("record");
      String where = "records[" + i + "]";
      if (key == null || !key.isTextual()) {
        throw new IllegalArgumentException(where + " has no idempotencyKey string");
      }
      checkKey(key.asText(), where + ".idempotencyKey");
      if (record == null || !record.isObject()) {
        throw new IllegalArgumentException(where + ".record must be a JSON object");
      }
      items.add(new SinkStore.Incoming(key.asText(), Json.text(record), record));
    }
    return new Delivery(header, items);
  }

  private static void checkKey(String key, String where) {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException(where + " is missing or blank");
    }
    if (key.length() > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException(where + " is longer than " + MAX_KEY_LENGTH);
    }
  }

  private static byte[] invalid(String code, String description, List<String> rejected) {
    ObjectNode n = Json.object();
    n.put("error", code);
    n.put("error_description", description);
    if (rejected != null) {
      ArrayNode a = n.putArray("rejected");
      rejected.forEach(a::add);
    }
    return Json.bytes(n);
  }

  private void reply(HttpServerRequest req, int status, byte[] body) {
    counters.request(Operation.SINK, status);
    counters.sinkRequest();
    Replies.json(req.response(), status, body);
  }

  /**
   * The admin JSON of a recording: {@code {"sink","total","distinctKeys","duplicates","dropped",
   * "items":[{"sequence","sink","idempotencyKey","batchKey","record","receivedAt","duplicate"}]}}.
   */
  public static ObjectNode recordingJson(SinkRecording r) {
    ObjectNode n = Json.object();
    n.put("sink", r.name());
    n.put("total", r.total());
    n.put("distinctKeys", r.distinctKeys());
    n.put("duplicates", r.duplicates());
    n.put("dropped", r.dropped());
    ArrayNode items = n.putArray("items");
    for (SinkItem i : r.items()) {
      ObjectNode o = items.addObject();
      o.put("sequence", i.sequence());
      o.put("sink", i.sink());
      o.put("idempotencyKey", i.idempotencyKey());
      if (i.batchKey() != null) {
        o.put("batchKey", i.batchKey());
      }
      o.set("record", Json.parse(i.record()));
      o.put("receivedAt", i.receivedAt().toString());
      o.put("duplicate", i.duplicate());
    }
    return n;
  }
}
