package dev.twikitorders.sandbox.data;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The deterministic data rule: every field of an unseeded configuration is a pure function of
 * {@code h = SHA-256(lower-cased UUID)} (bytes {@code h[0..31]}, unsigned), so the same UUID gives
 * byte-identical JSON on every run and every machine. The rule, documented in the module README:
 *
 * <ul>
 *   <li>product = {@code PRODUCTS[(h[0] << 8 | h[1]) % 8]} (title, product UUID, SKU prefix, base
 *       price, parameters);
 *   <li>parameter {@code i} of the product = option {@code h[2 + i] % options} (or the numeric step
 *       {@code h[2 + i] % steps} of its range); plus a UI-only {@code _viewAngle = h[10] % 360};
 *   <li>sku = prefix + the first two parameter values, upper-cased, joined by {@code -};
 *   <li>price = base price + {@code ((h[22] << 8 | h[23]) % 5000)} cents, EUR;
 *   <li>releaseVersion = {@code 1 + h[12] % 9}; twikbotVersion = {@code 3.(h[14] % 20).(h[15] %
 *       10)};
 *   <li>createdAt = 2025-01-01T00:00:00Z + {@code u32(h[16..19]) % 365 days} (seconds); updatedAt =
 *       createdAt + {@code (h[20] << 8 | h[21]) % 30 days} (seconds);
 *   <li>outputParameters: weightGrams = product weight + {@code h[24] % 100}, printTimeMinutes =
 *       {@code 30 + h[25]};
 *   <li>incompatible (first UUID group starts with {@code dead}): twikbotVersion {@code 2.x},
 *       latestReleaseVersion = releaseVersion + 1 + {@code h[13] % 3}, two reasons.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class DerivationRule {
  /** Base of every URL in derived data (the {@code .invalid} TLD never resolves). */
  public static final String ASSET_BASE = "https://assets.twikit-sandbox.invalid/configurations/";

  /** The organisation of every derived configuration. */
  public static final String ORGANIZATION_ID = "7a1c0000-5a4d-4b0c-8e11-000000000001";

  private static final Instant EPOCH = Instant.parse("2025-01-01T00:00:00Z");

  private record Param(
      String name, String label, List<String> options, int min, int step, int steps, String unit) {
    static Param options(String name, String label, String... options) {
      return new Param(name, label, List.of(options), 0, 0, 0, null);
    }

    static Param range(String name, String label, int min, int max, int step, String unit) {
      return new Param(name, label, List.of(), min, step, (max - min) / step + 1, unit);
    }
  }

  private record Product(
      String title,
      String uuid,
      String skuPrefix,
      long baseCents,
      int weightGrams,
      String modelType,
      List<Param> params) {}

  /** The fixed product list (order matters: it is part of the rule). */
  private static final List<Product> PRODUCTS =
      List.of(
          new Product(
              "Custom Lamp",
              "a0c1e7d2-0001-4c3b-9a55-1a2b3c4d0001",
              "LAMP",
              12995,
              400,
              "stl",
              List.of(
                  Param.options("color", "Colour", "red", "white", "black", "sage"),
                  Param.range("height", "Height", 80, 200, 10, "mm"),
                  Param.options("shade", "Shade", "cone", "drum", "globe"))),
          new Product(
              "Phone Case",
              "a0c1e7d2-0002-4c3b-9a55-1a2b3c4d0002",
              "CASE",
              3495,
              40,
              "stl",
              List.of(
                  Param.options(
                      "model", "Phone model", "iphone-15", "iphone-16", "pixel-9", "galaxy-s24"),
                  Param.options("color", "Colour", "black", "clear", "ocean", "coral"),
                  Param.options("engraving", "Engraving", "none", "initials", "name"))),
          new Product(
              "Bike Saddle",
              "a0c1e7d2-0003-4c3b-9a55-1a2b3c4d0003",
              "SADL",
              18900,
              250,
              "3mf",
              List.of(
                  Param.range("width", "Width", 130, 160, 5, "mm"),
                  Param.options("firmness", "Firmness", "soft", "medium", "firm"),
                  Param.options("color", "Colour", "black", "grey", "orange"))),
          new Product(
              "Sunglasses",
              "a0c1e7d2-0004-4c3b-9a55-1a2b3c4d0004",
              "SUNG",
              14900,
              30,
              "3mf",
              List.of(
                  Param.options("frame", "Frame", "aviator", "round", "square"),
                  Param.options("color", "Colour", "tortoise", "black", "crystal"),
                  Param.options("lens", "Lens", "grey", "brown", "mirror"))),
          new Product(
              "Name Necklace",
              "a0c1e7d2-0005-4c3b-9a55-1a2b3c4d0005",
              "NECK",
              5900,
              12,
              "svg",
              List.of(
                  Param.options("name", "Name", "ava", "liam", "noor", "sem", "mila", "lucas"),
                  Param.options("metal", "Metal", "silver", "gold", "rose-gold"),
                  Param.range("length", "Chain length", 40, 50, 2, "cm"))),
          new Product(
              "Shoe Insole",
              "a0c1e7d2-0006-4c3b-9a55-1a2b3c4d0006",
              "SOLE",
              7900,
              90,
              "stl",
              List.of(
                  Param.range("size", "Size", 36, 46, 1, "EU"),
                  Param.options("arch", "Arch support", "low", "medium", "high"),
                  Param.options("material", "Material", "foam", "cork"))),
          new Product(
              "Planter",
              "a0c1e7d2-0007-4c3b-9a55-1a2b3c4d0007",
              "PLNT",
              4450,
              300,
              "stl",
              List.of(
                  Param.range("height", "Height", 100, 300, 20, "mm"),
                  Param.options("pattern", "Pattern", "wave", "rib", "voronoi", "smooth"),
                  Param.options("color", "Colour", "terracotta", "white", "moss"))),
          new Product(
              "Keychain",
              "a0c1e7d2-0008-4c3b-9a55-1a2b3c4d0008",
              "KEYC",
              1495,
              8,
              "svg",
              List.of(
                  Param.options("shape", "Shape", "round", "square", "heart", "hexagon"),
                  Param.options("text", "Text", "home", "love", "moto", "garage", "cabin"),
                  Param.options("color", "Colour", "red", "blue", "yellow", "black"))));

  private DerivationRule() {}

  /** SHA-256 of the (already lower-cased) UUID. */
  static byte[] hash(String canonicalUuid) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(canonicalUuid.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JRE", e);
    }
  }

  private static int u8(byte[] h, int i) {
    return h[i] & 0xff;
  }

  private static int u16(byte[] h, int i) {
    return u8(h, i) << 8 | u8(h, i + 1);
  }

  private static long u32(byte[] h, int i) {
    return (long) u16(h, i) << 16 | u16(h, i + 2);
  }

  /** The derived model of a canonical UUID (before seeds and updates). */
  static ConfigurationModel derive(String uuid) {
    byte[] h = hash(uuid);
    Product p = PRODUCTS.get(u16(h, 0) % PRODUCTS.size());
    boolean incompatible = ConfigurationIds.incompatibleByRule(uuid);
    ConfigurationModel m = new ConfigurationModel(uuid);
    ObjectNode c = m.configuration;
    c.put("productUuid", p.uuid());
    c.put("productTitle", p.title());
    c.put("exportJsonUrl", ASSET_BASE + uuid + "/export.json");
    c.put(
        "twikbotVersion",
        incompatible
            ? "2." + (u8(h, 14) % 10) + "." + (u8(h, 15) % 10)
            : "3." + (u8(h, 14) % 20) + "." + (u8(h, 15) % 10));
    ObjectNode params = c.putObject("parameters");
    StringBuilder sku = new StringBuilder(p.skuPrefix());
    for (int i = 0; i < p.params().size(); i++) {
      Param param = p.params().get(i);
      int b = u8(h, 2 + i);
      String text;
      if (param.options().isEmpty()) {
        int v = param.min() + (b % param.steps()) * param.step();
        params.put(param.name(), v);
        text = Integer.toString(v);
        m.units.put(param.name(), param.unit());
      } else {
        text = param.options().get(b % param.options().size());
        params.put(param.name(), text);
      }
      m.labels.put(param.name(), param.label());
      if (i < 2) {
        sku.append('-').append(text.toUpperCase(Locale.ROOT).replace("-", ""));
      }
    }
    params.put("_viewAngle", u8(h, 10) % 360);
    int release = 1 + u8(h, 12) % 9;
    c.put("releaseVersion", release);
    Instant created = EPOCH.plusSeconds(u32(h, 16) % (365L * 24 * 3600));
    c.put("createdAt", created.toString());
    c.put("updatedAt", created.plusSeconds(u16(h, 20) % (30L * 24 * 3600)).toString());
    ArrayNode resources = c.putArray("resources");
    resources
        .addObject()
        .put("name", "model")
        .put("url", ASSET_BASE + uuid + "/model." + p.modelType())
        .put("type", p.modelType());
    resources
        .addObject()
        .put("name", "preview")
        .put("url", ASSET_BASE + uuid + "/preview.png")
        .put("type", "png");
    c.put("organizationId", ORGANIZATION_ID);
    c.putNull("externalId");
    c.put("previewImage", ASSET_BASE + uuid + "/preview.png");
    c.putObject("outputParameters")
        .put("weightGrams", p.weightGrams() + u8(h, 24) % 100)
        .put("printTimeMinutes", 30 + u8(h, 25));
    c.putObject("orderParameters");

    m.sku = sku.toString();
    m.price = Json.object();
    m.price.put("amount", BigDecimal.valueOf(p.baseCents() + u16(h, 22) % 5000, 2).toPlainString());
    m.price.put("currency", "EUR");
    if (incompatible) {
      m.compatible = false;
      m.latestReleaseVersion = release + 1 + u8(h, 13) % 3;
      m.reasons.add(
          "Configuration was made with twikbot "
              + c.get("twikbotVersion").asText()
              + "; the product now requires twikbot 3.x");
      m.reasons.add(
          "Product release "
              + m.latestReleaseVersion
              + " replaced the configuration's release "
              + release);
    } else {
      m.latestReleaseVersion = release;
    }
    return m;
  }
}
