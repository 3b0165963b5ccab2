package dev.twikitorders.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twikitorders.sandbox.api.Operation;
import dev.twikitorders.sandbox.faults.Faults;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminApiTest extends DefaultSandboxTest {
  @BeforeEach
  void reset() {
    sb.reset();
    sb.deleteAllConfigurations();
  }

  @Test
  void indexListsEndpoints() {
    HttpResponse<String> r = http.admin("GET", "", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("/_sandbox/faults").contains("/_sandbox/fail-next");
  }

  @Test
  void seedListAndDelete() {
    HttpResponse<String> seeded =
        http.admin(
            "POST",
            "configurations",
            "[{\"uuid\":\"" + ID + "\",\"productTitle\":\"Admin Lamp\",\"compatible\":false}]");
    assertThat(seeded.statusCode()).isEqualTo(200);
    assertThat(SandboxHttp.json(seeded).get("seeded").get(0).asText()).isEqualTo(ID);
    assertThat(
            SandboxHttp.json(http.get("/configurations/" + ID + "/compatibility", token))
                .get("compatible")
                .asBoolean())
        .isFalse();
    JsonNode list = SandboxHttp.json(http.admin("GET", "configurations", null));
    assertThat(list.get("configurations").get(0).get("productTitle").asText())
        .isEqualTo("Admin Lamp");

    assertThat(http.admin("DELETE", "configurations/" + ID, null).statusCode()).isEqualTo(200);
    assertThat(http.admin("DELETE", "configurations/" + ID, null).statusCode()).isEqualTo(404);
    assertThat(
            SandboxHttp.json(http.get("/configurations/" + ID + "/compatibility", token))
                .get("compatible")
                .asBoolean())
        .isTrue();
  }

  @Test
  void invalidSeedIs400() {
    assertThat(http.admin("POST", "configurations", "{\"uuid\":\"nope\"}").statusCode())
        .isEqualTo(400);
    assertThat(
            http.admin("POST", "configurations", "{\"uuid\":\"" + ID + "\",\"colour\":1}")
                .statusCode())
        .isEqualTo(400);
  }

  @Test
  void faultsMergeAndShow() {
    HttpResponse<String> r =
        http.admin(
            "POST",
            "faults",
            "{\"latencyMs\":0,\"errorRates\":"
                + "{\"503\":0.25},\"retryAfterSeconds\":3,\"operations\":[\"summary\",\"UPDATE_MANY\"],"
                + "\"tokenTtlSeconds\":120}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Faults f = sb.faults();
    assertThat(f.errorRates()).containsEntry(503, 0.25);
    assertThat(f.retryAfter()).isEqualTo(Duration.ofSeconds(3));
    assertThat(f.operations()).containsExactlyInAnyOrder(Operation.SUMMARY, Operation.UPDATE_MANY);
    assertThat(f.tokenTtl()).isEqualTo(Duration.ofSeconds(120));

    http.admin("POST", "faults", "{\"tokenOutage\":true}");
    assertThat(sb.faults().tokenOutage()).isTrue();
    assertThat(sb.faults().errorRates()).as("POST merges").containsEntry(503, 0.25);

    JsonNode shown = SandboxHttp.json(http.admin("GET", "faults", null));
    assertThat(shown.get("tokenTtlSeconds").asLong()).isEqualTo(120);
    assertThat(shown.get("errorRates").get("503").asDouble()).isEqualTo(0.25);

    http.admin("PUT", "faults", "{\"malformedRate\":0.5}");
    assertThat(sb.faults().errorRates()).as("PUT replaces").isEmpty();
    assertThat(sb.faults().malformedRate()).isEqualTo(0.5);

    assertThat(http.admin("POST", "faults", "{\"latency\":5}").statusCode()).isEqualTo(400);
    assertThat(http.admin("POST", "faults", "{\"hangRate\":3}").statusCode()).isEqualTo(400);
  }

  @Test
  void failNextThroughAdmin() {
    http.admin("POST", "fail-next", "{\"count\":1,\"status\":429}");
    assertThat(http.get("/configurations/" + ID, token).statusCode()).isEqualTo(429);
    assertThat(http.get("/configurations/" + ID, token).statusCode()).isEqualTo(200);
  }

  @Test
  void countersAndReset() {
    http.get("/configurations/" + ID, token);
    http.post("/configurations/" + ID, token, "{\"externalId\":\"o-7\"}");
    JsonNode c = SandboxHttp.json(http.admin("GET", "counters", null));
    assertThat(c.get("requests").get("configuration").get("200").asLong()).isEqualTo(1);
    assertThat(c.get("requests").get("updateOne").get("200").asLong()).isEqualTo(1);
    assertThat(c.get("updates").get(0).get("body").get("externalId").asText()).isEqualTo("o-7");
    assertThat(c.get("distinctTokensSeen").asLong()).isEqualTo(1);
    assertThat(sb.countersJson()).contains("\"updateOne\"");

    http.admin("POST", "faults", "{\"errorRates\":{\"500\":1.0}}");
    assertThat(http.admin("POST", "reset", null).statusCode()).isEqualTo(200);
    assertThat(sb.counters().totalRequests()).isZero();
    assertThat(sb.faults().errorRates()).isEmpty();
    assertThat(http.get("/configurations/" + ID, token).statusCode()).isEqualTo(200);
  }
}
