package dev.twikitorders.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twikitorders.sandbox.api.Operation;
import dev.twikitorders.sandbox.counters.ReceivedUpdate;
import dev.twikitorders.sandbox.data.SeedConfiguration;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OperationsTest extends DefaultSandboxTest {
  static final List<String> READS =
      List.of("", "/compatibility", "/summary", "/parameters", "/filtered");

  @BeforeEach
  void clean() {
    sb.reset();
    sb.deleteAllConfigurations();
  }

  private static JsonNode get(String path) {
    HttpResponse<String> r = http.get(path, token);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    return SandboxHttp.json(r);
  }

  private static List<String> names(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false)
        .map(n -> n.get("name").asText())
        .toList();
  }

  @Test
  void configurationHasEveryDocumentedField() {
    JsonNode c = get("/configurations/" + ID);
    assertThat(c.fieldNames())
        .toIterable()
        .containsExactly(
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
    assertThat(c.get("uuid").asText()).isEqualTo(ID);
    assertThat(c.get("parameters").isObject()).isTrue();
    assertThat(c.get("externalId").isNull()).isTrue();
    assertThat(c.get("releaseVersion").isInt()).isTrue();
    assertThat(java.time.Instant.parse(c.get("createdAt").asText())).isNotNull();
    assertThat(c.get("resources").get(0).fieldNames())
        .toIterable()
        .containsExactly("name", "url", "type");
  }

  @Test
  void derivedDataFollowsTheDocumentedRule() {
    // Pinned values: the rule is part of the contract; a change here breaks byte-identity.
    JsonNode s = get("/configurations/" + ID + "/summary");
    assertThat(s.get("productTitle").asText()).isEqualTo("Sunglasses");
    assertThat(s.get("sku").asText()).isEqualTo("SUNG-AVIATOR-BLACK");
    assertThat(s.get("price").get("amount").asText()).isEqualTo("162.74");
    assertThat(s.get("price").get("currency").asText()).isEqualTo("EUR");
    JsonNode p = s.get("parameters").get(0);
    assertThat(p.fieldNames())
        .toIterable()
        .containsExactly("name", "label", "value", "displayValue");
    assertThat(p.get("label").asText()).isEqualTo("Frame");
    assertThat(p.get("displayValue").asText()).isEqualTo("Aviator");
  }

  @Test
  void sameUuidGivesByteIdenticalJsonAcrossSandboxes() {
    String id = UUID.randomUUID().toString();
    try (TwikitSandbox other = TwikitSandbox.start(SandboxConfig.builder().eventLoops(1).build())) {
      SandboxHttp otherHttp = new SandboxHttp(other);
      String otherToken = otherHttp.token();
      for (String op : READS) {
        String mine = http.get("/configurations/" + id + op, token).body();
        assertThat(otherHttp.get("/configurations/" + id + op, otherToken).body()).isEqualTo(mine);
        assertThat(http.get("/configurations/" + id.toUpperCase() + op, token).body())
            .as("UUIDs are case-insensitive")
            .isEqualTo(mine);
      }
    }
  }

  @Test
  void compatibilityShape() {
    JsonNode c = get("/configurations/" + ID + "/compatibility");
    assertThat(c.fieldNames())
        .toIterable()
        .containsExactly("uuid", "compatible", "releaseVersion", "latestReleaseVersion", "reasons");
    assertThat(c.get("compatible").asBoolean()).isTrue();
    assertThat(c.get("reasons")).isEmpty();
  }

  @Test
  void parametersAndFilteredShapes() {
    JsonNode params = get("/configurations/" + ID + "/parameters");
    assertThat(params.get("parameters").get(0).fieldNames())
        .toIterable()
        .containsExactly("name", "value", "type");
    assertThat(names(params.get("parameters"))).contains("_viewAngle");

    JsonNode filtered = get("/configurations/" + ID + "/filtered");
    assertThat(filtered.fieldNames())
        .toIterable()
        .containsExactly("uuid", "productTitle", "parameters", "resources");
    assertThat(filtered.get("parameters").get(0).fieldNames())
        .toIterable()
        .containsExactly("name", "value");
    assertThat(names(filtered.get("parameters")))
        .doesNotContain("_viewAngle")
        .containsExactly("frame", "color", "lens");
    assertThat(filtered.get("resources")).hasSize(2);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not-a-uuid",
        "5f0c1a0e8a3b4c1e9d2f0a1b2c3d4e5f",
        "00000000-8a3b-4c1e-9d2f-0a1b2c3d4e5f",
        "00000000-0000-0000-0000-000000000000"
      })
  void unknownIdsAre404(String id) {
    for (String op : READS) {
      HttpResponse<String> r = http.get("/configurations/" + id + op, token);
      assertThat(r.statusCode()).as(id + op).isEqualTo(404);
      assertThat(SandboxHttp.json(r).get("error").asText()).isEqualTo("not_found");
    }
    assertThat(http.post("/configurations/" + id, token, "{\"externalId\":\"o\"}").statusCode())
        .isEqualTo(404);
  }

  @Test
  void uuidsStartingWithDeadAreIncompatible() {
    JsonNode c = get("/configurations/deadbeef-0000-4000-8000-000000000001/compatibility");
    assertThat(c.get("compatible").asBoolean()).isFalse();
    assertThat(c.get("reasons").size()).isGreaterThan(0);
    assertThat(c.get("latestReleaseVersion").asInt())
        .isGreaterThan(c.get("releaseVersion").asInt());
    assertThat(
            get("/configurations/dead0000-0000-4000-8000-000000000001/compatibility")
                .get("compatible")
                .asBoolean())
        .isFalse();
  }

  @Test
  void seededDataOverridesTheRule() {
    sb.seed(
        SeedConfiguration.builder(ID)
            .productTitle("Seeded Lamp")
            .sku(null)
            .noPrice()
            .parameter("color", "green")
            .parameter("height", 99)
            .parameterLabel("color", "Kleur")
            .compatible(false, "Seeded reason")
            .externalId("pre-linked")
            .build());

    JsonNode c = get("/configurations/" + ID);
    assertThat(c.get("productTitle").asText()).isEqualTo("Seeded Lamp");
    assertThat(c.get("parameters").toString()).isEqualTo("{\"color\":\"green\",\"height\":99}");
    assertThat(c.get("externalId").asText()).isEqualTo("pre-linked");
    JsonNode s = get("/configurations/" + ID + "/summary");
    assertThat(s.has("sku")).isFalse();
    assertThat(s.has("price")).isFalse();
    assertThat(s.get("parameters").get(0).get("label").asText()).isEqualTo("Kleur");
    JsonNode compat = get("/configurations/" + ID + "/compatibility");
    assertThat(compat.get("compatible").asBoolean()).isFalse();
    assertThat(compat.get("reasons").get(0).asText()).isEqualTo("Seeded reason");

    assertThat(sb.deleteConfiguration(ID)).isTrue();
    assertThat(get("/configurations/" + ID).get("productTitle").asText()).isEqualTo("Sunglasses");
  }

  @Test
  void seedingMakesRuleUnknownIdsExistAndCompatibleSeedWinsOverDeadRule() {
    String zero = "00000000-0000-4000-8000-000000000042";
    String dead = "deadbeef-0000-4000-8000-000000000042";
    sb.seedJson(
        "{\"configurations\":[{\"uuid\":\""
            + zero
            + "\"},{\"id\":\""
            + dead
            + "\",\"compatible\":true}]}");
    assertThat(get("/configurations/" + zero).get("uuid").asText()).isEqualTo(zero);
    assertThat(get("/configurations/" + dead + "/compatibility").get("compatible").asBoolean())
        .isTrue();
  }

  @Test
  void strictModeServesOnlySeeded() {
    String seeded = UUID.randomUUID().toString();
    try (TwikitSandbox strict =
        TwikitSandbox.start(
            SandboxConfig.builder()
                .eventLoops(1)
                .strict(true)
                .seed(SeedConfiguration.builder(seeded).build())
                .build())) {
      SandboxHttp h = new SandboxHttp(strict);
      String t = h.token();
      assertThat(h.get("/configurations/" + seeded, t).statusCode()).isEqualTo(200);
      assertThat(h.get("/configurations/" + ID, t).statusCode()).isEqualTo(404);
      assertThat(h.post("/configurations/" + ID, t, "{}").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void updateOneIsStoredVisibleAndIdempotent() {
    String body =
        "{\"uuid\":\""
            + ID
            + "\",\"externalId\":\"order-123\","
            + "\"orderParameters\":{\"lineId\":\"1\"}}";
    HttpResponse<String> first = http.post("/configurations/" + ID, token, body);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(SandboxHttp.json(first).get("externalId").asText()).isEqualTo("order-123");
    HttpResponse<String> second = http.post("/configurations/" + ID, token, body);
    assertThat(second.body()).isEqualTo(first.body());

    JsonNode c = get("/configurations/" + ID);
    assertThat(c.get("externalId").asText()).isEqualTo("order-123");
    assertThat(c.get("orderParameters").get("lineId").asText()).isEqualTo("1");
    assertThat(sb.configurationJson(ID)).hasValue(first.body());
    assertThat(sb.counters().updates())
        .extracting(ReceivedUpdate::operation)
        .containsExactly(Operation.UPDATE_ONE, Operation.UPDATE_ONE);
  }

  @Test
  void updateOneAcceptsIdSynonymAndRejectsAMismatch() {
    assertThat(
            http.post(
                    "/configurations/" + ID,
                    token,
                    "{\"id\":\"" + ID.toUpperCase() + "\",\"externalId\":\"o-9\"}")
                .statusCode())
        .isEqualTo(200);
    HttpResponse<String> mismatch =
        http.post(
            "/configurations/" + ID,
            token,
            "{\"uuid\":\"" + UUID.randomUUID() + "\",\"externalId\":\"o-9\"}");
    assertThat(mismatch.statusCode()).isEqualTo(400);
    assertThat(http.post("/configurations/" + ID, token, "{not json").statusCode()).isEqualTo(400);
    assertThat(http.post("/configurations/" + ID, token, "{\"externalId\":5}").statusCode())
        .isEqualTo(400);
  }

  @Test
  void updateManyReportsUnknownIdsWithoutFailingTheBatch() {
    String other = UUID.randomUUID().toString();
    String body =
        "{\"configurations\":[{\"uuid\":\""
            + ID
            + "\",\"externalId\":\"o-1\"},"
            + "{\"id\":\""
            + other
            + "\",\"externalId\":\"o-1\"},"
            + "{\"uuid\":\"00000000-0000-0000-0000-000000000001\",\"externalId\":\"o-1\"},"
            + "{\"id\":\"nope\",\"externalId\":\"o-1\"}]}";
    HttpResponse<String> r = http.post("/configurations", token, body);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode result = SandboxHttp.json(r);
    assertThat(result.get("updated").toString()).isEqualTo("[\"" + ID + "\",\"" + other + "\"]");
    assertThat(result.get("notFound").toString())
        .isEqualTo("[\"00000000-0000-0000-0000-000000000001\",\"nope\"]");
    assertThat(get("/configurations/" + other).get("externalId").asText()).isEqualTo("o-1");
    assertThat(http.post("/configurations", token, body).body()).isEqualTo(r.body());

    ReceivedUpdate received = sb.counters().updates().get(0);
    assertThat(received.operation()).isEqualTo(Operation.UPDATE_MANY);
    assertThat(received.ids()).hasSize(4).startsWith(ID, other);
    assertThat(received.body()).isEqualTo(body);
  }

  @Test
  void updateManyAcceptsABareArrayAndRejectsEntriesWithoutId() {
    assertThat(
            http.post(
                    "/configurations", token, "[{\"uuid\":\"" + ID + "\",\"externalId\":\"o-2\"}]")
                .statusCode())
        .isEqualTo(200);
    assertThat(
            http.post("/configurations", token, "{\"configurations\":[{\"externalId\":\"x\"}]}")
                .statusCode())
        .isEqualTo(400);
    assertThat(http.post("/configurations", token, "{\"items\":[]}").statusCode()).isEqualTo(400);
  }

  @Test
  void unknownPathsAndMethods() {
    assertThat(http.get("/nothing", token).statusCode()).isEqualTo(404);
    assertThat(http.get("/configurations/" + ID + "/other", token).statusCode()).isEqualTo(404);
    HttpResponse<String> r = http.get("/configurations", token);
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("allow")).hasValue("POST");
    assertThat(sb.counters().requests(Operation.UNKNOWN)).isEqualTo(3);
  }

  @Test
  void countersCountPerOperationAndStatus() {
    for (String op : READS) {
      get("/configurations/" + ID + op);
    }
    http.get("/configurations/not-a-uuid/summary", token);
    var c = sb.counters();
    assertThat(c.requests(Operation.CONFIGURATION, 200)).isEqualTo(1);
    assertThat(c.requests(Operation.SUMMARY)).isEqualTo(2);
    assertThat(c.requests(Operation.SUMMARY, 404)).isEqualTo(1);
    assertThat(c.requests())
        .containsKeys(Operation.COMPATIBILITY, Operation.PARAMETERS, Operation.FILTERED);
    assertThat(c.distinctTokensSeen()).isEqualTo(1);
    assertThat(c.totalRequests()).isEqualTo(6);
    assertThat(c.requests()).isUnmodifiable();
    assertThat(c.requests().get(Operation.SUMMARY)).isEqualTo(Map.of(200, 1L, 404, 1L));
  }
}
