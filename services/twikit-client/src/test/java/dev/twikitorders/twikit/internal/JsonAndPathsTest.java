package dev.twikitorders.twikit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.twikit.model.BatchUpdateResult;
import dev.twikitorders.twikit.model.Compatibility;
import dev.twikitorders.twikit.model.Configuration;
import dev.twikitorders.twikit.model.ConfigurationUpdate;
import dev.twikitorders.twikit.model.Summary;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonAndPathsTest {

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parsesLenientlyIgnoringUnknownAndNullingMissing() throws Exception {
    Configuration c =
        Json.read(
            b(
                """
        {"uuid":"u1","productTitle":"Lamp","parameters":{"color":"red","dims":{"h":120}},
         "releaseVersion":7,"createdAt":"2026-01-01T10:00:00Z","brandNew":{"x":1},
         "resources":[{"name":"model","url":"https://x/m.stl","type":"stl","size":3}]}"""),
            Configuration.class);
    assertThat(c.uuid()).isEqualTo("u1");
    assertThat(c.externalId()).isNull();
    assertThat(c.updatedAt()).isNull();
    assertThat(c.createdAt()).isEqualTo(Instant.parse("2026-01-01T10:00:00Z"));
    assertThat(c.parameters()).containsEntry("color", "red");
    assertThat(c.resources()).singleElement().satisfies(r -> assertThat(r.type()).isEqualTo("stl"));
    assertThatThrownBy(() -> c.parameters().put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> dims = (Map<String, Object>) c.parameters().get("dims");
    assertThatThrownBy(() -> dims.put("w", 1)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void parsesSummaryPriceExactly() throws Exception {
    Summary s =
        Json.read(
            b(
                """
        {"uuid":"u1","sku":"LAMP","price":{"amount":"129.95","currency":"EUR"},
         "parameters":[{"name":"color","label":"Colour","value":"red","displayValue":"Red"}]}"""),
            Summary.class);
    assertThat(s.price().amount()).isEqualByComparingTo(new BigDecimal("129.95"));
    assertThat(s.parameters().get(0).displayValue()).isEqualTo("Red");
    assertThat(Json.read(b("{\"uuid\":\"u1\"}"), Summary.class).price()).isNull();
  }

  @Test
  void compatibilityAndBatchDefaults() throws Exception {
    Compatibility c =
        Json.read(
            b("{\"uuid\":\"u\",\"compatible\":false,\"reasons\":[\"old\"]}"), Compatibility.class);
    assertThat(c.isCompatible()).isFalse();
    assertThat(c.reasons()).containsExactly("old");
    BatchUpdateResult r = Json.read(b("{\"updated\":[\"a\"]}"), BatchUpdateResult.class);
    assertThat(r.updated()).containsExactly("a");
    assertThat(r.notFound()).isEmpty();
  }

  @Test
  void malformedOrWrongShapeIsInvalid() {
    assertThatThrownBy(() -> Json.read(b("{\"uuid\":"), Configuration.class))
        .isInstanceOf(Json.InvalidJsonException.class);
    assertThatThrownBy(() -> Json.read(b("[1,2]"), Configuration.class))
        .isInstanceOf(Json.InvalidJsonException.class);
    assertThatThrownBy(() -> Json.read(b("null"), Configuration.class))
        .isInstanceOf(Json.InvalidJsonException.class);
    assertThatThrownBy(() -> Json.read(new byte[0], Configuration.class))
        .isInstanceOf(Json.InvalidJsonException.class);
    assertThatThrownBy(() -> Json.read(b("{\"createdAt\":\"yesterday\"}"), Configuration.class))
        .isInstanceOf(Json.InvalidJsonException.class);
  }

  @Test
  void updatesOmitNulls() {
    String json =
        new String(
            Json.write(
                Map.of(
                    "configurations", List.of(ConfigurationUpdate.linkToOrder("u1", "order-1")))),
            StandardCharsets.UTF_8);
    assertThat(json)
        .isEqualTo("{\"configurations\":[{\"uuid\":\"u1\",\"externalId\":\"order-1\"}]}");
  }

  @Test
  void idsArePercentEncodedAsOneSegment() {
    assertThat(DefaultTwikitClient.expand("/configurations/{id}/summary", "5f0c1a0e-8a3b"))
        .isEqualTo("/configurations/5f0c1a0e-8a3b/summary");
    assertThat(DefaultTwikitClient.expand("/configurations/{id}", "../admin?x=1 y"))
        .isEqualTo("/configurations/..%2Fadmin%3Fx%3D1%20y");
  }
}
