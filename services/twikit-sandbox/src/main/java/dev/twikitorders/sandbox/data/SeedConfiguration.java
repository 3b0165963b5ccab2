package dev.twikitorders.sandbox.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A configuration to seed into a sandbox. Every field left unset keeps the value of the
 * deterministic data rule; every field set overrides it. The JSON form (admin API, {@code
 * --seed-file}) is the Configuration object of {@code docs/twikit-api.md} plus the optional fields
 * {@code sku}, {@code price} ({@code {"amount":"12.50","currency":"EUR"}}, or {@code null} for no
 * price), {@code compatible}, {@code reasons}, {@code latestReleaseVersion} and {@code
 * parameterLabels}.
 *
 * <pre>{@code
 * SeedConfiguration.builder("5f0c1a0e-8a3b-4c1e-9d2f-0a1b2c3d4e5f")
 *     .productTitle("Custom Lamp").sku("LAMP-RED-120").price("129.95", "EUR")
 *     .parameter("color", "red").parameter("height", 120)
 *     .compatible(false, "Released product changed")
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class SeedConfiguration {
  private final String uuid;
  private final ObjectNode overlay;

  private SeedConfiguration(String uuid, ObjectNode overlay) {
    this.uuid = uuid;
    this.overlay = overlay;
  }

  /** A builder for the configuration {@code uuid} (any case; stored lower-cased). */
  public static Builder builder(String uuid) {
    return new Builder(uuid);
  }

  /**
   * Parses seeds from JSON: one configuration object, an array of them, or {@code
   * {"configurations":[...]}}.
   *
   * @throws IllegalArgumentException when the JSON or a configuration in it is invalid
   */
  public static List<SeedConfiguration> parseJson(String json) {
    return fromNode(Json.parse(json));
  }

  static List<SeedConfiguration> fromNode(JsonNode root) {
    JsonNode list =
        root.isObject() && root.has("configurations") ? root.get("configurations") : root;
    List<SeedConfiguration> seeds = new ArrayList<>();
    if (list.isArray()) {
      for (JsonNode n : list) {
        seeds.add(fromObject(n));
      }
    } else {
      seeds.add(fromObject(list));
    }
    return seeds;
  }

  private static SeedConfiguration fromObject(JsonNode n) {
    String uuid = ConfigurationModel.validateSeed(n);
    ObjectNode copy = ((ObjectNode) n).deepCopy();
    copy.remove("id");
    copy.put("uuid", uuid);
    return new SeedConfiguration(uuid, copy);
  }

  /** The lower-cased UUID. */
  public String uuid() {
    return uuid;
  }

  /** The JSON form of this seed. */
  public String toJson() {
    return Json.text(overlay);
  }

  ObjectNode overlay() {
    return overlay;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SeedConfiguration s && s.overlay.equals(overlay);
  }

  @Override
  public int hashCode() {
    return overlay.hashCode();
  }

  @Override
  public String toString() {
    return "SeedConfiguration" + toJson();
  }

  /** Builds a {@link SeedConfiguration}. Not thread-safe. */
  public static final class Builder {
    private final ObjectNode node = Json.object();

    private Builder(String uuid) {
      String canonical = ConfigurationIds.canonical(Objects.requireNonNull(uuid, "uuid"));
      if (canonical == null) {
        throw new IllegalArgumentException("not a UUID: " + uuid);
      }
      node.put("uuid", canonical);
    }

    /** Sets any Configuration field (or extra seed field) to a JSON value given as text. */
    public Builder field(String name, String jsonValue) {
      node.set(name, Json.parse(jsonValue));
      return this;
    }

    public Builder productUuid(String productUuid) {
      node.put("productUuid", productUuid);
      return this;
    }

    public Builder productTitle(String title) {
      node.put("productTitle", title);
      return this;
    }

    /** The summary's SKU; {@code null} = the summary has no {@code sku}. */
    public Builder sku(String sku) {
      node.put("sku", sku);
      return this;
    }

    /** The summary's price. */
    public Builder price(String amount, String currency) {
      node.putObject("price")
          .put("amount", new BigDecimal(amount).toPlainString())
          .put("currency", currency);
      return this;
    }

    /** The summary has no {@code price}. */
    public Builder noPrice() {
      node.putNull("price");
      return this;
    }

    /** Adds one parameter (replacing all derived parameters on the first call). */
    public Builder parameter(String name, Object value) {
      JsonNode p = node.get("parameters");
      ObjectNode params = p instanceof ObjectNode o ? o : node.putObject("parameters");
      params.set(name, Json.MAPPER.valueToTree(value));
      return this;
    }

    /** Replaces all parameters. */
    public Builder parameters(Map<String, ?> parameters) {
      node.set("parameters", Json.MAPPER.valueToTree(parameters));
      return this;
    }

    /** A human label for a parameter in the summary. */
    public Builder parameterLabel(String name, String label) {
      JsonNode p = node.get("parameterLabels");
      ObjectNode labels = p instanceof ObjectNode o ? o : node.putObject("parameterLabels");
      labels.put(name, label);
      return this;
    }

    /** Adds one resource (replacing all derived resources on the first call). */
    public Builder resource(String name, String url, String type) {
      JsonNode r = node.get("resources");
      ArrayNode resources = r instanceof ArrayNode a ? a : node.putArray("resources");
      resources.addObject().put("name", name).put("url", url).put("type", type);
      return this;
    }

    /** Compatibility and, when incompatible, the reasons given. */
    public Builder compatible(boolean compatible, String... reasons) {
      node.put("compatible", compatible);
      if (reasons.length > 0) {
        ArrayNode a = node.putArray("reasons");
        for (String r : reasons) {
          a.add(r);
        }
      }
      return this;
    }

    public Builder releaseVersion(int releaseVersion) {
      node.put("releaseVersion", releaseVersion);
      return this;
    }

    public Builder latestReleaseVersion(int latestReleaseVersion) {
      node.put("latestReleaseVersion", latestReleaseVersion);
      return this;
    }

    public Builder externalId(String externalId) {
      node.put("externalId", externalId);
      return this;
    }

    public Builder orderParameters(Map<String, ?> orderParameters) {
      node.set("orderParameters", Json.MAPPER.valueToTree(orderParameters));
      return this;
    }

    public Builder outputParameters(Map<String, ?> outputParameters) {
      node.set("outputParameters", Json.MAPPER.valueToTree(outputParameters));
      return this;
    }

    /** Validates (as the admin API would) and builds. */
    public SeedConfiguration build() {
      return fromObject(node.deepCopy());
    }
  }
}
