package dev.twikitorders.sandbox.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twikitorders.sandbox.api.Operation;
import dev.twikitorders.sandbox.data.Json;
import dev.twikitorders.sandbox.faults.Faults;
import dev.twikitorders.sandbox.faults.MetadataMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The JSON form of {@link Faults} in the admin API. Stateless. */
public final class FaultsJson {
  static final Set<String> FIELDS =
      Set.of(
          "latencyMs",
          "latencySpreadMs",
          "errorRates",
          "retryAfterSeconds",
          "operations",
          "hangRate",
          "hangMs",
          "malformedRate",
          "tokenOutage",
          "tokenTtlSeconds",
          "metadata",
          "pkceMethods",
          "capacity",
          "rateLimit");

  private FaultsJson() {}

  /** Faults to JSON; {@code tokenTtlSeconds} shows the effective lifetime. */
  public static ObjectNode toJson(Faults f, Duration effectiveTtl) {
    ObjectNode n = Json.object();
    n.put("latencyMs", f.latency().toMillis());
    n.put("latencySpreadMs", f.latencySpread().toMillis());
    ObjectNode rates = n.putObject("errorRates");
    f.errorRates().forEach((s, r) -> rates.put(Integer.toString(s), r));
    n.put("retryAfterSeconds", f.retryAfter().toSeconds());
    var ops = n.putArray("operations");
    f.operations().forEach(op -> ops.add(op.id()));
    n.put("hangRate", f.hangRate());
    n.put("hangMs", f.hangFor().toMillis());
    n.put("malformedRate", f.malformedRate());
    n.put("tokenOutage", f.tokenOutage());
    n.put("tokenTtlSeconds", effectiveTtl.toSeconds());
    n.put("metadata", f.metadata().id());
    var pkce = n.putArray("pkceMethods");
    f.pkceMethods().forEach(pkce::add);
    n.put("capacity", f.capacity());
    n.put("rateLimit", f.rateLimit());
    return n;
  }

  /**
   * Applies the fields present in {@code json} to {@code base} (absent fields keep their value;
   * {@code "tokenTtlSeconds": null} returns to the configured lifetime).
   *
   * @throws IllegalArgumentException on unknown fields or bad values
   */
  public static Faults merge(Faults base, JsonNode json) {
    if (!json.isObject()) {
      throw new IllegalArgumentException("faults must be a JSON object");
    }
    for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw new IllegalArgumentException("unknown fault field '" + f + "', expected " + FIELDS);
      }
    }
    Faults.Builder b = base.toBuilder();
    if (json.has("latencyMs")) {
      b.latency(Duration.ofMillis(number(json, "latencyMs").longValue()));
    }
    if (json.has("latencySpreadMs")) {
      b.latencySpread(Duration.ofMillis(number(json, "latencySpreadMs").longValue()));
    }
    if (json.has("errorRates")) {
      JsonNode rates = json.get("errorRates");
      if (!rates.isObject()) {
        throw new IllegalArgumentException("errorRates must be an object of status to rate");
      }
      b.errorRates(Map.of());
      for (Iterator<Map.Entry<String, JsonNode>> it = rates.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        int status;
        try {
          status = Integer.parseInt(e.getKey());
        } catch (NumberFormatException ex) {
          throw new IllegalArgumentException("errorRates key is not a status: " + e.getKey(), ex);
        }
        if (!e.getValue().isNumber()) {
          throw new IllegalArgumentException("errorRates[" + status + "] must be a number");
        }
        b.errorRate(status, e.getValue().doubleValue());
      }
    }
    if (json.has("retryAfterSeconds")) {
      b.retryAfter(Duration.ofSeconds(number(json, "retryAfterSeconds").longValue()));
    }
    if (json.has("operations")) {
      b.operations(operations(json.get("operations")));
    }
    if (json.has("hangRate")) {
      b.hangRate(number(json, "hangRate").doubleValue());
    }
    if (json.has("hangMs")) {
      b.hangFor(Duration.ofMillis(number(json, "hangMs").longValue()));
    }
    if (json.has("malformedRate")) {
      b.malformedRate(number(json, "malformedRate").doubleValue());
    }
    if (json.has("tokenOutage")) {
      JsonNode v = json.get("tokenOutage");
      if (!v.isBoolean()) {
        throw new IllegalArgumentException("tokenOutage must be a boolean");
      }
      b.tokenOutage(v.asBoolean());
    }
    if (json.has("tokenTtlSeconds")) {
      JsonNode v = json.get("tokenTtlSeconds");
      b.tokenTtl(
          v.isNull() ? null : Duration.ofSeconds(number(json, "tokenTtlSeconds").longValue()));
    }
    if (json.has("metadata")) {
      JsonNode v = json.get("metadata");
      if (!v.isTextual()) {
        throw new IllegalArgumentException("metadata must be a string");
      }
      b.metadata(MetadataMode.parse(v.asText()));
    }
    if (json.has("pkceMethods")) {
      JsonNode v = json.get("pkceMethods");
      if (!v.isArray()) {
        throw new IllegalArgumentException("pkceMethods must be an array, e.g. [\"S256\"]");
      }
      List<String> methods = new ArrayList<>();
      v.forEach(m -> methods.add(m.asText()));
      b.pkceMethods(methods);
    }
    if (json.has("capacity")) {
      JsonNode v = json.get("capacity");
      if (!v.isIntegralNumber() || !v.canConvertToInt()) {
        throw new IllegalArgumentException(
            "capacity must be a whole number (requests served at once, 0 = unlimited), got " + v);
      }
      b.capacity(Faults.checkCapacity(v.intValue(), "capacity"));
    }
    if (json.has("rateLimit")) {
      JsonNode v = json.get("rateLimit");
      if (!v.isNumber()) {
        throw new IllegalArgumentException(
            "rateLimit must be a number (requests per second, 0 = off), got " + v);
      }
      b.rateLimit(Faults.checkRateLimit(v.doubleValue(), "rateLimit"));
    }
    return b.build();
  }

  /** Operation ids from a JSON array (absent or null = none). */
  static List<Operation> operations(JsonNode node) {
    List<Operation> ops = new ArrayList<>();
    if (node == null || node.isNull()) {
      return ops;
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException("operations must be an array of operation names");
    }
    for (JsonNode o : node) {
      ops.add(Operation.parse(o.asText()));
    }
    return ops;
  }

  private static Number number(JsonNode json, String field) {
    JsonNode v = json.get(field);
    if (!v.isNumber()) {
      throw new IllegalArgumentException(field + " must be a number");
    }
    return v.numberValue();
  }
}
