package dev.twikitorders.sandbox.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A configuration being assembled: the derived data, then the seed overlay, then the stored
 * updates. Mutable, confined to one thread while built; {@link #render()} produces the immutable
 * encoded replies.
 */
final class ConfigurationModel {
  /** The fields of the Configuration object, in wire order (docs/twikit-api.md). */
  static final List<String> CONFIGURATION_FIELDS =
      List.of(
          "uuid",
          "productUuid",
          "productTitle",
          "exportJsonUrl",
          "twikbotVersion",
          "parameters",
          "releaseVersion",
          "createdAt",
          "updatedAt",
          "resources",
          "organizationId",
          "externalId",
          "previewImage",
          "outputParameters",
          "orderParameters");

  /** Seed fields beyond the Configuration object. */
  static final Set<String> EXTRA_SEED_FIELDS =
      Set.of("sku", "price", "compatible", "reasons", "latestReleaseVersion", "parameterLabels");

  final String uuid;
  final ObjectNode configuration;
  String sku;
  ObjectNode price;
  boolean compatible = true;
  List<String> reasons = new ArrayList<>();
  int latestReleaseVersion;
  final Map<String, String> labels = new LinkedHashMap<>();
  final Map<String, String> units = new LinkedHashMap<>();

  ConfigurationModel(String uuid) {
    this.uuid = uuid;
    this.configuration = Json.object();
    for (String f : CONFIGURATION_FIELDS) {
      configuration.putNull(f);
    }
    configuration.put("uuid", uuid);
  }

  /** Applies a seed overlay (validated by {@link #validateSeed(JsonNode)}). */
  void applySeed(ObjectNode seed) {
    Boolean seededCompatible = null;
    boolean seededReasons = false;
    boolean seededLatest = false;
    for (Iterator<Map.Entry<String, JsonNode>> it = seed.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      JsonNode v = e.getValue();
      switch (name) {
        case "uuid", "id" -> {}
        case "sku" -> sku = v.isNull() ? null : v.asText();
        case "price" -> price = v.isNull() ? null : normalisePrice(v);
        case "compatible" -> seededCompatible = v.asBoolean();
        case "reasons" -> {
          seededReasons = true;
          reasons = new ArrayList<>();
          v.forEach(r -> reasons.add(r.asText()));
        }
        case "latestReleaseVersion" -> {
          seededLatest = true;
          latestReleaseVersion = v.asInt();
        }
        case "parameterLabels" ->
            v.fields().forEachRemaining(l -> labels.put(l.getKey(), l.getValue().asText()));
        default -> configuration.set(name, v.deepCopy());
      }
    }
    if (seededCompatible != null) {
      compatible = seededCompatible;
      if (!seededReasons) {
        reasons =
            compatible
                ? new ArrayList<>()
                : new ArrayList<>(List.of("Marked incompatible by the sandbox seed"));
      }
    }
    if (!seededLatest) {
      int release = configuration.path("releaseVersion").asInt(0);
      latestReleaseVersion = compatible ? release : Math.max(latestReleaseVersion, release + 1);
    }
  }

  /** Applies stored updates ({@code externalId}, {@code orderParameters}). */
  void applyUpdate(ObjectNode update) {
    if (update.has("externalId")) {
      configuration.set("externalId", update.get("externalId"));
    }
    if (update.has("orderParameters")) {
      configuration.set("orderParameters", update.get("orderParameters"));
    }
  }

  /** Checks a seed object; returns its canonical UUID. */
  static String validateSeed(JsonNode seed) {
    if (!seed.isObject()) {
      throw new IllegalArgumentException("a seeded configuration must be a JSON object");
    }
    JsonNode idNode = seed.has("uuid") ? seed.get("uuid") : seed.get("id");
    if (idNode == null || !idNode.isTextual()) {
      throw new IllegalArgumentException("a seeded configuration needs a \"uuid\" string");
    }
    String uuid = ConfigurationIds.canonical(idNode.asText());
    if (uuid == null) {
      throw new IllegalArgumentException("not a UUID: " + idNode.asText());
    }
    for (Iterator<String> it = seed.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!f.equals("id") && !CONFIGURATION_FIELDS.contains(f) && !EXTRA_SEED_FIELDS.contains(f)) {
        throw new IllegalArgumentException(
            "unknown field in seeded configuration "
                + uuid
                + ": "
                + f
                + " (allowed: "
                + CONFIGURATION_FIELDS
                + " and "
                + EXTRA_SEED_FIELDS
                + ")");
      }
    }
    JsonNode c = seed.get("compatible");
    if (c != null && !c.isBoolean()) {
      throw new IllegalArgumentException("\"compatible\" must be a boolean");
    }
    JsonNode r = seed.get("reasons");
    if (r != null && !r.isArray()) {
      throw new IllegalArgumentException("\"reasons\" must be an array of strings");
    }
    JsonNode p = seed.get("price");
    if (p != null && !p.isNull() && (!p.isObject() || !p.has("amount"))) {
      throw new IllegalArgumentException(
          "\"price\" must be {\"amount\":\"..\",\"currency\":\"..\"}");
    }
    for (String obj :
        List.of("parameters", "outputParameters", "orderParameters", "parameterLabels")) {
      JsonNode n = seed.get(obj);
      if (n != null && !n.isNull() && !n.isObject()) {
        throw new IllegalArgumentException("\"" + obj + "\" must be a JSON object");
      }
    }
    JsonNode res = seed.get("resources");
    if (res != null && !res.isNull() && !res.isArray()) {
      throw new IllegalArgumentException("\"resources\" must be an array");
    }
    return uuid;
  }

  private static ObjectNode normalisePrice(JsonNode v) {
    ObjectNode p = Json.object();
    JsonNode amount = v.get("amount");
    p.put("amount", amount.isNumber() ? amount.decimalValue().toPlainString() : amount.asText());
    p.put("currency", v.path("currency").asText("EUR"));
    return p;
  }

  /** Encodes the five read replies. */
  Rendered render() {
    ObjectNode compat = Json.object();
    compat.put("uuid", uuid);
    compat.put("compatible", compatible);
    compat.set("releaseVersion", configuration.get("releaseVersion"));
    compat.put("latestReleaseVersion", latestReleaseVersion);
    ArrayNode reasonArray = compat.putArray("reasons");
    reasons.forEach(reasonArray::add);

    JsonNode params = configuration.get("parameters");
    ObjectNode summary = Json.object();
    summary.put("uuid", uuid);
    summary.set("productUuid", configuration.get("productUuid"));
    summary.set("productTitle", configuration.get("productTitle"));
    if (sku != null) {
      summary.put("sku", sku);
    }
    if (price != null) {
      summary.set("price", price);
    }
    ArrayNode summaryParams = summary.putArray("parameters");

    ObjectNode parameters = Json.object();
    parameters.put("uuid", uuid);
    ArrayNode typed = parameters.putArray("parameters");

    ObjectNode filtered = Json.object();
    filtered.put("uuid", uuid);
    filtered.set("productTitle", configuration.get("productTitle"));
    ArrayNode filteredParams = filtered.putArray("parameters");
    JsonNode resources = configuration.get("resources");
    filtered.set(
        "resources",
        resources == null || resources.isNull() ? Json.MAPPER.createArrayNode() : resources);

    if (params != null && params.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String name = e.getKey();
        JsonNode value = e.getValue();
        ObjectNode t = typed.addObject();
        t.put("name", name);
        t.set("value", value);
        t.put("type", typeOf(value));
        if (name.startsWith("_")) {
          continue; // UI-only parameters: not for the ERP, not for production
        }
        ObjectNode s = summaryParams.addObject();
        s.put("name", name);
        s.put("label", labels.getOrDefault(name, humanise(name)));
        s.set("value", value);
        s.put("displayValue", display(value, units.get(name)));
        ObjectNode f = filteredParams.addObject();
        f.put("name", name);
        f.set("value", value);
      }
    }
    return new Rendered(
        uuid,
        Json.bytes(configuration),
        Json.bytes(compat),
        Json.bytes(summary),
        Json.bytes(parameters),
        Json.bytes(filtered));
  }

  static String typeOf(JsonNode v) {
    if (v.isNumber()) {
      return "number";
    } else if (v.isBoolean()) {
      return "boolean";
    } else if (v.isObject()) {
      return "object";
    } else if (v.isArray()) {
      return "array";
    } else if (v.isNull()) {
      return "null";
    }
    return "string";
  }

  /** {@code "matte-black"} or {@code "matteBlack"} to {@code "Matte black"}. */
  static String humanise(String s) {
    StringBuilder b = new StringBuilder(s.length() + 4);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '-' || c == '_') {
        if (b.length() > 0) {
          b.append(' ');
        }
      } else if (Character.isUpperCase(c) && b.length() > 0) {
        b.append(' ').append(Character.toLowerCase(c));
      } else {
        b.append(c);
      }
    }
    if (b.isEmpty()) {
      return s;
    }
    b.setCharAt(0, Character.toUpperCase(b.charAt(0)));
    return b.toString();
  }

  static String display(JsonNode value, String unit) {
    if (value.isTextual()) {
      return humanise(value.asText());
    } else if (value.isBoolean()) {
      return value.asBoolean() ? "Yes" : "No";
    } else if (value.isNumber()) {
      return unit == null ? value.asText() : value.asText() + " " + unit;
    }
    return value.isNull() ? "" : Json.text(value);
  }
}
