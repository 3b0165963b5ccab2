package dev.twikitorders.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twikitorders.sandbox.auth.ApiAuthenticator;
import dev.twikitorders.sandbox.counters.CounterRecorder;
import dev.twikitorders.sandbox.counters.ReceivedUpdate;
import dev.twikitorders.sandbox.data.ConfigurationIds;
import dev.twikitorders.sandbox.data.ConfigurationStore;
import dev.twikitorders.sandbox.data.Json;
import dev.twikitorders.sandbox.data.Rendered;
import dev.twikitorders.sandbox.faults.FaultController;
import dev.twikitorders.sandbox.faults.InjectedFaults;
import dev.twikitorders.sandbox.http.Replies;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Twikit API operations of {@code docs/twikit-api.md}, on the event loop.
 *
 * <p>Per request: route; read the body (updates); the rate limit (429 at once) and a capacity slot
 * (queued while none is free, see {@code faults.Admission}); decide faults; wait the injected
 * latency with {@link Vertx#setTimer} (never a blocked thread) holding the slot; answer an injected
 * error or hang, or authorise the request ({@link ApiAuthenticator}: bearer JWT per RFC 6750, API
 * key or static headers) and serve. Replies of reads are pre-encoded by the {@link
 * ConfigurationStore}.
 *
 * <p>Thread-safe: holds only thread-safe collaborators.
 */
public final class ApiHandler implements Handler<HttpServerRequest> {
  private static final String PREFIX = "/configurations";
  private static final String BEARER_INVALID =
      "Bearer realm=\"twikit-sandbox\", error=\"invalid_token\"";

  private final Vertx vertx;
  private final ConfigurationStore store;
  private final ApiAuthenticator authenticator;
  private final FaultController faults;
  private final CounterRecorder counters;

  private record Route(Operation op, String id, int status) {}

  public ApiHandler(
      Vertx vertx,
      ConfigurationStore store,
      ApiAuthenticator authenticator,
      FaultController faults,
      CounterRecorder counters) {
    this.vertx = vertx;
    this.store = store;
    this.authenticator = authenticator;
    this.faults = faults;
    this.counters = counters;
  }

  @Override
  public void handle(HttpServerRequest req) {
    Route route = route(req.method(), req.path());
    if (route.op == Operation.UNKNOWN) {
      if (route.status == 405) {
        req.response().putHeader(HttpHeaders.ALLOW, route.id);
      }
      reply(
          req,
          Operation.UNKNOWN,
          route.status,
          route.status == 405
              ? Replies.error("method_not_allowed", "allowed: " + route.id)
              : Replies.error("not_found", "no such endpoint"));
      return;
    }
    if (route.op == Operation.UPDATE_ONE || route.op == Operation.UPDATE_MANY) {
      req.body()
          .onComplete(
              ar -> {
                if (ar.succeeded()) {
                  afterBody(req, route, ar.result());
                }
              });
    } else {
      afterBody(req, route, null);
    }
  }

  private void afterBody(HttpServerRequest req, Route route, Buffer body) {
    InjectedFaults.carryOut(
        vertx,
        req,
        faults,
        route.op,
        malformed -> serve(req, route, body, malformed),
        status ->
            reply(
                req,
                route.op,
                status,
                Replies.error(errorCode(status), "HTTP " + status + " injected by the sandbox")),
        limited -> reply(req, route.op, 429, limited),
        () -> counters.request(route.op, 0)); // never answered; the connection stays open
  }

  private void serve(HttpServerRequest req, Route route, Buffer body, boolean malformed) {
    Operation op = route.op;
    if (op == Operation.STATUS) {
      String json =
          "{\"status\":\"ok\",\"version\":\"sandbox-1\",\"time\":\"" + Instant.now() + "\"}";
      ok(req, op, json.getBytes(StandardCharsets.UTF_8), malformed);
      return;
    }
    if (!authorised(req, op)) {
      return;
    }
    switch (op) {
      case UPDATE_ONE -> updateOne(req, route.id, body, malformed);
      case UPDATE_MANY -> updateMany(req, body, malformed);
      default -> {
        Rendered r = store.find(route.id);
        if (r == null) {
          notFound(req, op, route.id);
          return;
        }
        byte[] json =
            switch (op) {
              case CONFIGURATION -> r.configuration();
              case COMPATIBILITY -> r.compatibility();
              case SUMMARY -> r.summary();
              case PARAMETERS -> r.parameters();
              case FILTERED -> r.filtered();
              default -> throw new IllegalStateException("unrouted operation " + op);
            };
        ok(req, op, json, malformed);
      }
    }
  }

  /** RFC 6750 section 3: 401 invalid_token, 403 insufficient_scope. */
  private boolean authorised(HttpServerRequest req, Operation op) {
    ApiAuthenticator.Result result = authenticator.authenticate(req);
    if (!(result instanceof ApiAuthenticator.Granted token)) {
      req.response().putHeader(Replies.WWW_AUTHENTICATE, BEARER_INVALID);
      reply(
          req,
          op,
          401,
          Replies.oauthError("invalid_token", ((ApiAuthenticator.Refused) result).description()));
      return false;
    }
    if (token.tokenId() != null) {
      counters.tokenSeen(token.tokenId());
    }
    if (!token.scopes().contains(op.requiredScope())) {
      req.response()
          .putHeader(
              Replies.WWW_AUTHENTICATE,
              "Bearer realm=\"twikit-sandbox\", "
                  + "error=\"insufficient_scope\", scope=\""
                  + op.requiredScope()
                  + "\"");
      reply(
          req,
          op,
          403,
          Replies.oauthError(
              "insufficient_scope", "this operation needs scope " + op.requiredScope()));
      return false;
    }
    return true;
  }

  private void updateOne(HttpServerRequest req, String id, Buffer body, boolean malformed) {
    String text = body.toString(StandardCharsets.UTF_8);
    JsonNode update;
    try {
      update = Json.parse(text);
      ConfigurationStore.validateUpdate(update);
      String bodyId = idOf(update);
      if (bodyId != null && !sameId(bodyId, id)) {
        throw new IllegalArgumentException("body uuid " + bodyId + " differs from the path's");
      }
    } catch (IllegalArgumentException e) {
      badRequest(req, Operation.UPDATE_ONE, text, List.of(id), e.getMessage());
      return;
    }
    Rendered r = store.update(id, update);
    int status = r == null ? 404 : 200;
    counters.update(new ReceivedUpdate(Operation.UPDATE_ONE, List.of(id), text, status));
    if (r == null) {
      notFound(req, Operation.UPDATE_ONE, id);
    } else {
      ok(req, Operation.UPDATE_ONE, r.configuration(), malformed);
    }
  }

  private void updateMany(HttpServerRequest req, Buffer body, boolean malformed) {
    String text = body.toString(StandardCharsets.UTF_8);
    List<JsonNode> items = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    try {
      JsonNode root = Json.parse(text);
      JsonNode list = root.isObject() ? root.get("configurations") : root;
      if (list == null || !list.isArray()) {
        throw new IllegalArgumentException(
            "expected {\"configurations\":[...]} or a JSON array of updates");
      }
      for (JsonNode item : list) {
        ConfigurationStore.validateUpdate(item);
        String id = idOf(item);
        if (id == null) {
          throw new IllegalArgumentException("every update needs a \"uuid\" (or \"id\") string");
        }
        items.add(item);
        ids.add(id);
      }
    } catch (IllegalArgumentException e) {
      badRequest(req, Operation.UPDATE_MANY, text, ids, e.getMessage());
      return;
    }
    ObjectNode result = Json.object();
    ArrayNode updated = result.putArray("updated");
    ArrayNode notFound = result.putArray("notFound");
    for (int i = 0; i < items.size(); i++) {
      (store.update(ids.get(i), items.get(i)) == null ? notFound : updated).add(ids.get(i));
    }
    counters.update(new ReceivedUpdate(Operation.UPDATE_MANY, ids, text, 200));
    ok(req, Operation.UPDATE_MANY, Json.bytes(result), malformed);
  }

  private void badRequest(
      HttpServerRequest req, Operation op, String body, List<String> ids, String message) {
    counters.update(new ReceivedUpdate(op, ids, body, 400));
    reply(req, op, 400, Replies.errorUncached("bad_request", message));
  }

  private static String idOf(JsonNode update) {
    JsonNode n = update.hasNonNull("uuid") ? update.get("uuid") : update.get("id");
    return n != null && n.isTextual() ? n.asText() : null;
  }

  private static boolean sameId(String a, String b) {
    String ca = ConfigurationIds.canonical(a);
    return ca != null ? ca.equals(ConfigurationIds.canonical(b)) : a.equals(b);
  }

  private void notFound(HttpServerRequest req, Operation op, String id) {
    reply(req, op, 404, Replies.error("not_found", "no configuration with this id"));
  }

  private void ok(HttpServerRequest req, Operation op, byte[] json, boolean malformed) {
    reply(req, op, 200, malformed ? Arrays.copyOf(json, Math.max(1, json.length / 2)) : json);
  }

  private void reply(HttpServerRequest req, Operation op, int status, byte[] body) {
    counters.request(op, status);
    HttpServerResponse response = req.response();
    Replies.json(response, status, body);
  }

  /**
   * The {@code error} code of an injected error status, e.g. {@code rate_limited} for 429 or {@code
   * unavailable} for 503 ({@code error} for others).
   */
  public static String errorCode(int status) {
    return switch (status) {
      case 408 -> "request_timeout";
      case 429 -> "rate_limited";
      case 500 -> "internal_error";
      case 502 -> "bad_gateway";
      case 503 -> "unavailable";
      case 504 -> "gateway_timeout";
      default -> "error";
    };
  }

  /** Maps method and path to an operation; 404/405 routes carry the status (405: allowed in id). */
  private static Route route(HttpMethod method, String path) {
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    boolean get = method == HttpMethod.GET;
    boolean post = method == HttpMethod.POST;
    if (path.equals("/status")) {
      return get ? new Route(Operation.STATUS, null, 200) : notAllowed("GET");
    }
    if (!path.startsWith(PREFIX)) {
      return new Route(Operation.UNKNOWN, null, 404);
    }
    if (path.length() == PREFIX.length()) {
      return post ? new Route(Operation.UPDATE_MANY, null, 200) : notAllowed("POST");
    }
    if (path.charAt(PREFIX.length()) != '/') {
      return new Route(Operation.UNKNOWN, null, 404);
    }
    String rest = path.substring(PREFIX.length() + 1);
    int slash = rest.indexOf('/');
    String id = decode(slash < 0 ? rest : rest.substring(0, slash));
    if (id.isEmpty()) {
      return new Route(Operation.UNKNOWN, null, 404);
    }
    if (slash < 0) {
      if (get) {
        return new Route(Operation.CONFIGURATION, id, 200);
      }
      return post ? new Route(Operation.UPDATE_ONE, id, 200) : notAllowed("GET, POST");
    }
    Operation op =
        switch (rest.substring(slash + 1)) {
          case "compatibility" -> Operation.COMPATIBILITY;
          case "summary" -> Operation.SUMMARY;
          case "parameters" -> Operation.PARAMETERS;
          case "filtered" -> Operation.FILTERED;
          default -> null;
        };
    if (op == null) {
      return new Route(Operation.UNKNOWN, null, 404);
    }
    return get ? new Route(op, id, 200) : notAllowed("GET");
  }

  private static Route notAllowed(String allow) {
    return new Route(Operation.UNKNOWN, allow, 405);
  }

  private static String decode(String segment) {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    try {
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return segment;
    }
  }
}
