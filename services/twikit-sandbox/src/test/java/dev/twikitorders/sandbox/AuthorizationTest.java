package dev.twikitorders.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.sandbox.api.Operation;
import dev.twikitorders.sandbox.auth.Scopes;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuthorizationTest {
  static final String ID = "5f0c1a0e-8a3b-4c1e-9d2f-0a1b2c3d4e5f";
  static TwikitSandbox sb;
  static SandboxHttp http;

  @BeforeAll
  static void start() {
    sb = TwikitSandbox.start(SandboxConfig.builder().build());
    http = new SandboxHttp(sb);
  }

  @AfterAll
  static void stop() {
    sb.close();
  }

  private static void assertInvalidToken(HttpResponse<String> r) {
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("www-authenticate"))
        .hasValueSatisfying(
            v -> assertThat(v).startsWith("Bearer").contains("error=\"invalid_token\""));
    assertThat(SandboxHttp.json(r).get("error").asText()).isEqualTo("invalid_token");
  }

  @Test
  void statusNeedsNoToken() {
    HttpResponse<String> r = http.get("/status", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(SandboxHttp.json(r).get("status").asText()).isEqualTo("ok");
  }

  @Test
  void missingTokenIs401() {
    assertInvalidToken(http.get("/configurations/" + ID, null));
    assertInvalidToken(http.post("/configurations", null, "{\"configurations\":[]}"));
  }

  @Test
  void expiredTokenIs401() {
    assertInvalidToken(http.get("/configurations/" + ID, sb.mintToken(Duration.ZERO, Scopes.READ)));
  }

  @Test
  void tokenIssuedWithZeroLifetimeByTheEndpointIsExpired() {
    sb.setTokenTtl(Duration.ZERO);
    try {
      assertInvalidToken(http.get("/configurations/" + ID + "/summary", http.token()));
    } finally {
      sb.resetFaults();
    }
  }

  @Test
  void tamperedTokenIs401() {
    String token = http.token();
    String[] parts = token.split("\\.");
    // change the payload (scope claim kept decodable) and keep the old signature
    String payload =
        new String(
                java.util.Base64.getUrlDecoder().decode(parts[1]),
                java.nio.charset.StandardCharsets.UTF_8)
            .replace("\"demo\"", "\"evil\"");
    String forged =
        parts[0]
            + "."
            + java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8))
            + "."
            + parts[2];
    assertInvalidToken(http.get("/configurations/" + ID, forged));
    char last = parts[2].charAt(0);
    String badSignature =
        parts[0] + "." + parts[1] + "." + (last == 'A' ? 'B' : 'A') + parts[2].substring(1);
    assertInvalidToken(http.get("/configurations/" + ID, badSignature));
    assertInvalidToken(http.get("/configurations/" + ID, "not-a-jwt"));
  }

  @Test
  void tokenOfAnotherSandboxIs401() {
    try (TwikitSandbox other = TwikitSandbox.start(SandboxConfig.builder().eventLoops(1).build())) {
      String foreign = other.mintToken(Duration.ofMinutes(5), Scopes.READ);
      assertInvalidToken(http.get("/configurations/" + ID, foreign));
    }
  }

  @Test
  void missingScopeIs403() {
    String readOnly = sb.mintToken(Duration.ofMinutes(5), Scopes.READ);
    HttpResponse<String> r = http.post("/configurations/" + ID, readOnly, "{\"externalId\":\"x\"}");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(SandboxHttp.json(r).get("error").asText()).isEqualTo("insufficient_scope");
    assertThat(r.headers().firstValue("www-authenticate"))
        .hasValueSatisfying(
            v -> assertThat(v).contains("insufficient_scope").contains(Scopes.WRITE));

    String writeOnly = sb.mintToken(Duration.ofMinutes(5), Scopes.WRITE);
    assertThat(http.get("/configurations/" + ID, writeOnly).statusCode()).isEqualTo(403);
    assertThat(sb.counters().requests(Operation.UPDATE_ONE, 403)).isGreaterThanOrEqualTo(1);
  }

  @Test
  void tokenWithNarrowScopeFromTheEndpointCannotWrite() {
    HttpResponse<String> t =
        http.tokenRequest(
            "grant_type=client_credentials&scope="
                + java.net.URLEncoder.encode(Scopes.READ, java.nio.charset.StandardCharsets.UTF_8),
            "demo",
            "demo-secret");
    String token = SandboxHttp.json(t).get("access_token").asText();
    assertThat(http.get("/configurations/" + ID, token).statusCode()).isEqualTo(200);
    assertThat(http.post("/configurations", token, "{\"configurations\":[]}").statusCode())
        .isEqualTo(403);
  }
}
