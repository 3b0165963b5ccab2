package dev.twikitorders.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.twikitorders.sandbox.auth.Scopes;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenEndpointTest {
  static TwikitSandbox sb;
  static SandboxHttp http;

  @BeforeAll
  static void start() {
    sb =
        TwikitSandbox.start(
            SandboxConfig.builder()
                .port(0)
                .clientId("demo")
                .clientSecret("demo-secret")
                .tokenTtl(Duration.ofMinutes(10))
                .build());
    http = new SandboxHttp(sb);
  }

  @AfterAll
  static void stop() {
    sb.close();
  }

  @BeforeEach
  void reset() {
    sb.reset();
  }

  @Test
  void basicAuthIssuesSignedJwtWithConfiguredLifetime() throws Exception {
    HttpResponse<String> r =
        http.tokenRequest("grant_type=client_credentials", "demo", "demo-secret");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("cache-control")).hasValue("no-store");
    JsonNode body = SandboxHttp.json(r);
    assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
    assertThat(body.get("expires_in").asLong()).isEqualTo(600);
    assertThat(body.get("scope").asText().split(" "))
        .containsExactlyInAnyOrder(Scopes.READ, Scopes.WRITE);
    SignedJWT jwt = SignedJWT.parse(body.get("access_token").asText());
    assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("HS256");
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime())
        .isEqualTo(600_000);
    assertThat(claims.getJWTID()).isNotBlank();
    assertThat(claims.getStringClaim("client_id")).isEqualTo("demo");
    assertThat(claims.getStringClaim("scope")).contains(Scopes.READ);
    assertThat(sb.counters().tokensIssued()).isEqualTo(1);
  }

  @Test
  void clientSecretPostIsAccepted() {
    HttpResponse<String> r =
        http.tokenRequest(
            "grant_type=client_credentials&client_id=demo&client_secret=demo-secret", null, null);
    assertThat(r.statusCode()).isEqualTo(200);
  }

  @Test
  void requestedScopeSubsetIsGranted() {
    HttpResponse<String> r =
        http.tokenRequest(
            "grant_type=client_credentials&scope="
                + URLEncoder.encode(Scopes.READ, StandardCharsets.UTF_8),
            "demo",
            "demo-secret");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(SandboxHttp.json(r).get("scope").asText()).isEqualTo(Scopes.READ);
  }

  @Test
  void wrongSecretIsInvalidClient() {
    HttpResponse<String> r = http.tokenRequest("grant_type=client_credentials", "demo", "nope");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("www-authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
    assertThat(SandboxHttp.json(r).get("error").asText()).isEqualTo("invalid_client");
    assertThat(r.body()).doesNotContain("demo-secret");
    assertThat(sb.counters().tokenRequestsRejected()).isEqualTo(1);
    assertThat(sb.counters().tokensIssued()).isZero();
  }

  @Test
  void wrongSecretInFormIsInvalidClient() {
    HttpResponse<String> r =
        http.tokenRequest(
            "grant_type=client_credentials&client_id=demo&client_secret=nope", null, null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(SandboxHttp.json(r).get("error").asText()).isEqualTo("invalid_client");
  }

  @Test
  void unknownClientAndMissingAuthenticationAreInvalidClient() {
    assertThat(
            http.tokenRequest("grant_type=client_credentials", "other", "demo-secret").statusCode())
        .isEqualTo(401);
    HttpResponse<String> none = http.tokenRequest("grant_type=client_credentials", null, null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(SandboxHttp.json(none).get("error").asText()).isEqualTo("invalid_client");
  }

  @Test
  void otherGrantTypesAreUnsupported() {
    HttpResponse<String> r =
        http.tokenRequest("grant_type=password&username=a&password=b", "demo", "demo-secret");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(SandboxHttp.json(r).get("error").asText()).isEqualTo("unsupported_grant_type");
  }

  @Test
  void missingGrantTypeIsInvalidRequest() {
    HttpResponse<String> r = http.tokenRequest("scope=x", "demo", "demo-secret");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(SandboxHttp.json(r).get("error").asText()).isEqualTo("invalid_request");
  }

  @Test
  void scopeOutsideTheAllowedOnesIsInvalidScope() {
    HttpResponse<String> r =
        http.tokenRequest(
            "grant_type=client_credentials&scope="
                + URLEncoder.encode(Scopes.READ + " admin", StandardCharsets.UTF_8),
            "demo",
            "demo-secret");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(SandboxHttp.json(r).get("error").asText()).isEqualTo("invalid_scope");
  }

  @Test
  void wrongContentTypeIsInvalidRequest() {
    HttpResponse<String> r =
        SandboxHttp.send(
            HttpRequest.newBuilder(sb.tokenUrl())
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString("{\"grant_type\":\"client_credentials\"}"))
                .build());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(SandboxHttp.json(r).get("error").asText()).isEqualTo("invalid_request");
  }

  @Test
  void outageAnswers503UntilLifted() {
    sb.tokenOutage(true);
    HttpResponse<String> r =
        http.tokenRequest("grant_type=client_credentials", "demo", "demo-secret");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(SandboxHttp.json(r).get("error").asText()).isEqualTo("temporarily_unavailable");
    assertThat(r.headers().firstValue("retry-after")).isPresent();

    sb.tokenOutage(false);
    assertThat(
            http.tokenRequest("grant_type=client_credentials", "demo", "demo-secret").statusCode())
        .isEqualTo(200);
    assertThat(sb.counters().tokenRequestsRejected()).isEqualTo(1);
    assertThat(sb.counters().tokensIssued()).isEqualTo(1);
  }

  @Test
  void tokenLifetimeCanBeChangedAtRuntime() {
    sb.setTokenTtl(Duration.ofSeconds(42));
    HttpResponse<String> r =
        http.tokenRequest("grant_type=client_credentials", "demo", "demo-secret");
    assertThat(SandboxHttp.json(r).get("expires_in").asLong()).isEqualTo(42);
    sb.resetFaults();
    r = http.tokenRequest("grant_type=client_credentials", "demo", "demo-secret");
    assertThat(SandboxHttp.json(r).get("expires_in").asLong()).isEqualTo(600);
  }
}
