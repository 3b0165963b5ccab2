package dev.twikitorders.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** API keys and static headers as API credentials, next to JWTs. */
class ApiCredentialsTest {
  static final String ID = "5f0c1a0e-8a3b-4c1e-9d2f-0a1b2c3d4e5f";
  static final String API_KEY = "k3y-0f-the-api-9a8b7c";
  static final Map<String, String> HEADERS = new LinkedHashMap<>();

  static {
    HEADERS.put("TWN-InstanceKey", "inst-4f1e2d");
    HEADERS.put("TWN-Authentication", "auth-v4lue-77");
  }

  static TwikitSandbox sb;
  static SandboxHttp http;

  @BeforeAll
  static void start() {
    sb =
        TwikitSandbox.start(
            SandboxConfig.builder().eventLoops(1).apiKey(API_KEY).staticHeaders(HEADERS).build());
    http = new SandboxHttp(sb);
  }

  @AfterAll
  static void stop() {
    sb.close();
  }

  private static HttpResponse<String> get(Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(sb.apiUrl() + "/configurations/" + ID));
    headers.forEach(b::header);
    return SandboxHttp.send(b.build());
  }

  private static HttpResponse<String> post(Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(sb.apiUrl() + "/configurations/" + ID))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"externalId\":\"o-1\"}"));
    headers.forEach(b::header);
    return SandboxHttp.send(b.build());
  }

  private static void assertUnauthorized(HttpResponse<String> r) {
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("www-authenticate"))
        .hasValueSatisfying(
            v -> assertThat(v).startsWith("Bearer").contains("error=\"invalid_token\""));
    JsonNode body = SandboxHttp.json(r);
    assertThat(body.get("error").asText()).isEqualTo("invalid_token");
    assertThat(body.get("error_description").asText()).isNotBlank();
    assertThat(body.get("message").asText()).isNotBlank();
    assertThat(r.body()).doesNotContain(API_KEY);
    HEADERS.values().forEach(v -> assertThat(r.body()).doesNotContain(v));
  }

  @Test
  void apiKeyIsAcceptedWithEveryScope() {
    Map<String, String> h = Map.of("Authorization", "Bearer " + API_KEY);
    assertThat(get(h).statusCode()).isEqualTo(200);
    assertThat(post(h).statusCode()).isEqualTo(200);
  }

  @Test
  void wrongApiKeyIs401() {
    assertUnauthorized(get(Map.of("Authorization", "Bearer " + API_KEY + "x")));
    assertUnauthorized(get(Map.of("Authorization", "Bearer " + API_KEY.substring(1))));
    assertUnauthorized(get(Map.of("Authorization", "Basic " + API_KEY)));
    assertUnauthorized(get(Map.of()));
  }

  @Test
  void staticHeadersAreAcceptedWithEveryScope() {
    assertThat(get(HEADERS).statusCode()).isEqualTo(200);
    assertThat(post(HEADERS).statusCode()).isEqualTo(200);
    // header names are case-insensitive
    Map<String, String> lower = new LinkedHashMap<>();
    HEADERS.forEach((k, v) -> lower.put(k.toLowerCase(java.util.Locale.ROOT), v));
    assertThat(get(lower).statusCode()).isEqualTo(200);
  }

  @Test
  void wrongOrMissingStaticHeaderIs401() {
    Map<String, String> wrong = new LinkedHashMap<>(HEADERS);
    wrong.put("TWN-Authentication", "auth-v4lue-78");
    assertUnauthorized(get(wrong));
    Map<String, String> partial = new LinkedHashMap<>(HEADERS);
    partial.remove("TWN-InstanceKey");
    assertUnauthorized(get(partial));
  }

  @Test
  void jwtsStillWork() {
    assertThat(http.get("/configurations/" + ID, http.token()).statusCode()).isEqualTo(200);
    assertUnauthorized(http.get("/configurations/" + ID, "not-a-jwt"));
  }

  @Test
  void secretsNeverInToString() {
    for (String s : new String[] {sb.toString(), sb.config().toString()}) {
      assertThat(s).doesNotContain(API_KEY);
      HEADERS.values().forEach(v -> assertThat(s).doesNotContain(v));
      assertThat(s).contains("TWN-InstanceKey").contains("apiKey=****");
    }
  }

  @Test
  void staticHeaderSettingsAreValidatedWithoutShowingValues() {
    assertThatThrownBy(() -> SandboxConfig.builder().staticHeader("Bad Name", "s3cr3t-v").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Bad Name")
        .hasMessageNotContaining("s3cr3t-v");
    assertThatThrownBy(() -> SandboxConfig.builder().staticHeader("X-Key", " ").build())
        .hasMessageContaining("X-Key");
    assertThatThrownBy(
            () ->
                SandboxConfig.builder()
                    .staticHeader("X-Key", "s3cr3t-a")
                    .staticHeader("x-key", "s3cr3t-b")
                    .build())
        .hasMessageContaining("twice")
        .hasMessageNotContaining("s3cr3t");
    assertThatThrownBy(() -> SandboxConfig.builder().apiKey(" ").build())
        .hasMessageContaining("apiKey");
    assertThatThrownBy(() -> SandboxConfig.builder().apiKey("s3cr3t-x\nsecond-line").build())
        .hasMessageContaining("apiKey")
        .hasMessageNotContaining("s3cr3t");
    assertThatThrownBy(() -> SandboxConfig.builder().registrationToken("a s3cr3t").build())
        .hasMessageContaining("registrationToken")
        .hasMessageNotContaining("s3cr3t");
  }
}
