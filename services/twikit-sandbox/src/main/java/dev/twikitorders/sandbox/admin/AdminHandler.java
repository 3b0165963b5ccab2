package dev.twikitorders.sandbox.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twikitorders.sandbox.api.Operation;
import dev.twikitorders.sandbox.counters.CounterRecorder;
import dev.twikitorders.sandbox.counters.Counters;
import dev.twikitorders.sandbox.counters.ReceivedUpdate;
import dev.twikitorders.sandbox.data.ConfigurationStore;
import dev.twikitorders.sandbox.data.Json;
import dev.twikitorders.sandbox.data.SeedConfiguration;
import dev.twikitorders.sandbox.faults.FaultController;
import dev.twikitorders.sandbox.faults.Faults;
import dev.twikitorders.sandbox.http.Replies;
import dev.twikitorders.sandbox.sink.SinkHandler;
import dev.twikitorders.sandbox.sink.SinkRejectRule;
import dev.twikitorders.sandbox.sink.SinkStore;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The admin API under {@code /_sandbox/} (no authentication, JSON): seeds, faults, the "next N
 * requests" controls, counters, reset and the delivery sinks' recordings and reject rules.
 * Everything here is also callable from Java on {@code TwikitSandbox}. The endpoints are listed by
 * {@code GET /_sandbox/} and in the module README.
 *
 * <p>Thread-safe: holds only thread-safe collaborators.
 */
public final class AdminHandler implements Handler<HttpServerRequest> {
  /** The path prefix. */
  public static final String PREFIX = "/_sandbox";

  /** Items {@code GET /_sandbox/sink/{name}} lists when no {@code limit} is given. */
  public static final int DEFAULT_SINK_LIMIT = 1000;

  private final ConfigurationStore store;
  private final FaultController faults;
  private final CounterRecorder counters;
  private final Supplier<Duration> configuredTtl;
  private final Runnable revokeAllTokens;
  private final SinkStore sinks;

  /**
   * @param configuredTtl the access token lifetime when the faults set none
   * @param revokeAllTokens revokes every issued token ({@code POST /_sandbox/revoke-tokens})
   * @param sinks the delivery sinks ({@code /_sandbox/sink/...})
   */
  public AdminHandler(
      ConfigurationStore store,
      FaultController faults,
      CounterRecorder counters,
      Supplier<Duration> configuredTtl,
      Runnable revokeAllTokens,
      SinkStore sinks) {
    this.sinks = sinks;
    this.store = store;
    this.faults = faults;
    this.counters = counters;
    this.configuredTtl = configuredTtl;
    this.revokeAllTokens = revokeAllTokens;
  }

  @Override
  public void handle(HttpServerRequest req) {
    req.body()
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                try {
                  dispatch(req, ar.result());
                } catch (IllegalArgumentException e) {
                  Replies.json(
                      req.response(), 400, Replies.errorUncached("bad_request", e.getMessage()));
                }
              }
            });
  }

  private void dispatch(HttpServerRequest req, Buffer body) {
    String path = req.path().substring(PREFIX.length());
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    HttpMethod m = req.method();
    String text = body.toString(StandardCharsets.UTF_8);
    switch (path) {
      case "" -> {
        if (m == HttpMethod.GET) {
          ok(req, index());
          return;
        }
      }
      case "/configurations" -> {
        if (m == HttpMethod.GET) {
          ObjectNode out = Json.object();
          ArrayNode list = out.putArray("configurations");
          store.seeds().values().forEach(s -> list.add(Json.parse(s.toJson())));
          ok(req, out);
          return;
        } else if (m == HttpMethod.POST) {
          List<String> ids = store.seed(SeedConfiguration.parseJson(text));
          ObjectNode out = Json.object();
          ArrayNode seeded = out.putArray("seeded");
          ids.forEach(seeded::add);
          ok(req, out);
          return;
        } else if (m == HttpMethod.DELETE) {
          store.deleteAll();
          ok(req, Json.object().put("deleted", "all"));
          return;
        }
      }
      case "/faults" -> {
        if (m == HttpMethod.GET) {
          ok(req, faultsJson());
          return;
        } else if (m == HttpMethod.POST || m == HttpMethod.PUT) {
          JsonNode json = Json.parse(text.isBlank() ? "{}" : text);
          // POST merges into the current faults, PUT replaces them (absent = default)
          Faults base = m == HttpMethod.POST ? faults.current() : Faults.none();
          faults.set(FaultsJson.merge(base, json));
          ok(req, faultsJson());
          return;
        } else if (m == HttpMethod.DELETE) {
          faults.reset();
          ok(req, faultsJson());
          return;
        }
      }
      case "/fail-next" -> {
        if (m == HttpMethod.POST) {
          JsonNode json = Json.parse(text);
          faults.failNext(
              json.path("count").asInt(1),
              json.path("status").asInt(503),
              opSet(json.get("operations")));
          ok(req, faultsJson());
          return;
        }
      }
      case "/hang-next" -> {
        if (m == HttpMethod.POST) {
          JsonNode json = Json.parse(text.isBlank() ? "{}" : text);
          faults.hangNext(json.path("count").asInt(1), opSet(json.get("operations")));
          ok(req, faultsJson());
          return;
        }
      }
      case "/counters" -> {
        if (m == HttpMethod.GET) {
          ok(req, countersJson(counters.snapshot()));
          return;
        } else if (m == HttpMethod.DELETE) {
          counters.reset();
          ok(req, countersJson(counters.snapshot()));
          return;
        }
      }
      case "/revoke-tokens" -> {
        if (m == HttpMethod.POST) {
          revokeAllTokens.run();
          ok(req, Json.object().put("revoked", "all"));
          return;
        }
      }
      case "/reset" -> {
        if (m == HttpMethod.POST) {
          faults.reset();
          counters.reset();
          ok(req, Json.object().put("reset", true));
          return;
        }
      }
      case "/sink" -> {
        if (m == HttpMethod.GET) {
          ObjectNode out = Json.object();
          ArrayNode names = out.putArray("sinks");
          sinks.names().forEach(names::add);
          ok(req, out);
          return;
        }
      }
      default -> {
        if (path.startsWith("/sink/")) {
          sink(req, m, path.substring("/sink/".length()), text);
          return;
        }
        if (path.startsWith("/configurations/") && m == HttpMethod.DELETE) {
          boolean deleted = store.delete(path.substring("/configurations/".length()));
          Replies.json(
              req.response(),
              deleted ? 200 : 404,
              deleted
                  ? Json.bytes(Json.object().put("deleted", path.substring(16)))
                  : Replies.error("not_found", "no seeded or updated configuration with this id"));
          return;
        }
        Replies.json(req.response(), 404, Replies.error("not_found", "no such admin endpoint"));
        return;
      }
    }
    Replies.json(req.response(), 405, Replies.error("method_not_allowed", "see GET /_sandbox/"));
  }

  /** {@code /_sandbox/sink/{name}} and {@code /_sandbox/sink/{name}/reject}. */
  private void sink(HttpServerRequest req, HttpMethod m, String rest, String text) {
    boolean reject = rest.endsWith("/reject");
    String name = SinkStore.checkName(reject ? rest.substring(0, rest.length() - 7) : rest);
    if (!reject && m == HttpMethod.GET) {
      long from = longParam(req, "from", 0);
      long limit = longParam(req, "limit", DEFAULT_SINK_LIMIT);
      ok(
          req,
          SinkHandler.recordingJson(
              sinks.snapshot(name, from, (int) Math.min(limit, Integer.MAX_VALUE), false)));
    } else if (!reject && m == HttpMethod.DELETE) {
      sinks.clear(name);
      ok(req, Json.object().put("cleared", name));
    } else if (reject && m == HttpMethod.GET) {
      ok(req, rejectJson(sinks.rejectRule(name)));
    } else if (reject && m == HttpMethod.POST) {
      JsonNode json = Json.parse(text);
      java.util.Set<String> keys = new java.util.LinkedHashSet<>();
      List<SinkRejectRule.FieldMatch> fields = new java.util.ArrayList<>();
      if (!json.isObject()) {
        throw new IllegalArgumentException("reject rule must be a JSON object");
      }
      JsonNode k = json.get("idempotencyKeys");
      if (k != null) {
        if (!k.isArray()) {
          throw new IllegalArgumentException("idempotencyKeys must be an array of strings");
        }
        k.forEach(key -> keys.add(key.asText()));
      }
      if (json.has("field") || json.has("equals")) {
        JsonNode f = json.get("field");
        JsonNode eq = json.get("equals");
        if (f == null || !f.isTextual() || eq == null || eq.isNull()) {
          throw new IllegalArgumentException("give \"field\" (a string) and \"equals\" together");
        }
        fields.add(
            new SinkRejectRule.FieldMatch(
                f.asText(), eq.isTextual() ? eq.asText() : eq.toString()));
      }
      if (keys.isEmpty() && fields.isEmpty()) {
        throw new IllegalArgumentException(
            "expected {\"idempotencyKeys\":[...]} or {\"field\":..,\"equals\":..}");
      }
      ok(req, rejectJson(sinks.addRejects(name, keys, fields)));
    } else if (reject && m == HttpMethod.DELETE) {
      sinks.clearRejects(name);
      ok(req, rejectJson(SinkRejectRule.NONE));
    } else {
      Replies.json(req.response(), 405, Replies.error("method_not_allowed", "see GET /_sandbox/"));
    }
  }

  private static ObjectNode rejectJson(SinkRejectRule rule) {
    ObjectNode n = Json.object();
    ArrayNode keys = n.putArray("idempotencyKeys");
    rule.idempotencyKeys().forEach(keys::add);
    ArrayNode fields = n.putArray("fields");
    rule.fields()
        .forEach(f -> fields.addObject().put("field", f.field()).put("equals", f.equals()));
    return n;
  }

  private static long longParam(HttpServerRequest req, String name, long dflt) {
    String v = req.getParam(name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v);
      if (n < 0) {
        throw new IllegalArgumentException(name + " must not be negative: " + v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number: " + v, e);
    }
  }

  private static java.util.Set<Operation> opSet(JsonNode node) {
    List<Operation> ops = FaultsJson.operations(node);
    return ops.isEmpty() ? java.util.Set.of() : EnumSet.copyOf(ops);
  }

  private ObjectNode faultsJson() {
    ObjectNode n = FaultsJson.toJson(faults.current(), faults.tokenTtl(configuredTtl.get()));
    faults.pending().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> n.put(e.getKey(), (Integer) e.getValue()));
    n.put("inService", faults.admission().inService());
    n.put("queued", faults.admission().queued());
    return n;
  }

  /** The JSON form of a counters snapshot. */
  public static ObjectNode countersJson(Counters c) {
    ObjectNode n = Json.object();
    ObjectNode requests = n.putObject("requests");
    c.requests()
        .forEach(
            (op, byStatus) -> {
              ObjectNode o = requests.putObject(op.id());
              byStatus.forEach((s, count) -> o.put(Integer.toString(s), count));
            });
    n.put("tokensIssued", c.tokensIssued());
    n.put("tokenRequestsRejected", c.tokenRequestsRejected());
    n.put("distinctTokensSeen", c.distinctTokensSeen());
    n.put("registrations", c.registrations());
    n.put("authorizations", c.authorizations());
    n.put("codeExchanges", c.codeExchanges());
    n.put("refreshes", c.refreshes());
    n.put("refreshReuseDetected", c.refreshReuseDetected());
    n.put("sinkRequests", c.sinkRequests());
    n.put("sinkItemsAccepted", c.sinkItemsAccepted());
    n.put("sinkDuplicates", c.sinkDuplicates());
    n.put("sinkRejected", c.sinkRejected());
    n.put("rateLimited", c.rateLimited());
    n.put("maxConcurrent", c.maxConcurrent());
    n.put("maxQueued", c.maxQueued());
    ArrayNode updates = n.putArray("updates");
    for (ReceivedUpdate u : c.updates()) {
      ObjectNode o = updates.addObject();
      o.put("operation", u.operation().id());
      ArrayNode ids = o.putArray("ids");
      u.ids().forEach(ids::add);
      o.put("status", u.status());
      try {
        o.set("body", Json.parse(u.body()));
      } catch (IllegalArgumentException e) {
        o.put("body", u.body());
      }
    }
    return n;
  }

  private static ObjectNode index() {
    ObjectNode n = Json.object();
    n.put("service", "twikit-sandbox admin API");
    ArrayNode e = n.putArray("endpoints");
    for (String s :
        List.of(
            "GET    /_sandbox/configurations            seeded configurations",
            "POST   /_sandbox/configurations            seed: object, array or {\"configurations\":[..]}",
            "DELETE /_sandbox/configurations            forget all seeds and updates",
            "DELETE /_sandbox/configurations/{id}       forget one",
            "GET    /_sandbox/faults                    current faults (and inService, queued now)",
            "POST   /_sandbox/faults                    merge fields into the faults"
                + " (also {\"metadata\":\"openid\"}, {\"pkceMethods\":[\"S256\",\"plain\"]},"
                + " {\"capacity\":4,\"rateLimit\":50})",
            "PUT    /_sandbox/faults                    replace the faults",
            "DELETE /_sandbox/faults                    back to the start-up faults",
            "POST   /_sandbox/fail-next                 {\"count\":3,\"status\":503,\"operations\":[]}",
            "POST   /_sandbox/hang-next                 {\"count\":1,\"operations\":[]}",
            "GET    /_sandbox/counters                  counters snapshot",
            "DELETE /_sandbox/counters                  reset counters",
            "POST   /_sandbox/revoke-tokens             revoke every access and refresh token",
            "POST   /_sandbox/reset                     reset faults and counters",
            "GET    /_sandbox/sink                      names of the sinks that exist",
            "GET    /_sandbox/sink/{name}?from=N&limit=M  recorded items (default limit "
                + DEFAULT_SINK_LIMIT
                + ")",
            "DELETE /_sandbox/sink/{name}               forget what the sink recorded",
            "GET    /_sandbox/sink/{name}/reject        the sink's reject rule",
            "POST   /_sandbox/sink/{name}/reject        add {\"idempotencyKeys\":[..]} or"
                + " {\"field\":\"lineId\",\"equals\":\"..\"}",
            "DELETE /_sandbox/sink/{name}/reject        remove the reject rule")) {
      e.add(s);
    }
    return n;
  }

  private static void ok(HttpServerRequest req, JsonNode json) {
    Replies.json(req.response(), 200, Json.bytes(json));
  }
}
