package dev.twikitorders.sandbox;

import static dev.twikitorders.sandbox.OAuthFlow.error;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twikitorders.sandbox.auth.Scopes;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistrationTest extends DefaultSandboxTest {
  static OAuthFlow oauth;

  @BeforeEach
  void reset() {
    sb.reset();
    oauth = new OAuthFlow(sb);
  }

  @Test
  void confidentialClientGetsIdSecretAndDefaults() {
    long before = System.currentTimeMillis() / 1000;
    HttpResponse<String> r =
        oauth.register(
            "{\"redirect_uris\":[\"" + OAuthFlow.REDIRECT + "\"],\"client_name\":\"Shop\"}", null);

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.headers().firstValue("cache-control")).hasValue("no-store");
    JsonNode c = SandboxHttp.json(r);
    assertThat(c.get("client_id").asText()).isNotBlank().isNotEqualTo("demo");
    assertThat(c.get("client_secret").asText()).hasSizeGreaterThanOrEqualTo(32);
    assertThat(c.get("client_id_issued_at").asLong()).isBetween(before, before + 60);
    assertThat(c.get("client_secret_expires_at").asLong()).isZero();
    assertThat(c.get("redirect_uris").get(0).asText()).isEqualTo(OAuthFlow.REDIRECT);
    assertThat(c.get("grant_types").size()).isEqualTo(1);
    assertThat(c.get("grant_types").get(0).asText()).isEqualTo("authorization_code");
    assertThat(c.get("token_endpoint_auth_method").asText()).isEqualTo("client_secret_basic");
    assertThat(c.get("client_name").asText()).isEqualTo("Shop");
    assertThat(c.get("scope").asText().split(" ")).containsExactlyInAnyOrderElementsOf(Scopes.ALL);
    assertThat(sb.counters().registrations()).isEqualTo(1);

    JsonNode other = oauth.registerOk("{\"redirect_uris\":[\"" + OAuthFlow.REDIRECT + "\"]}");
    assertThat(other.get("client_id").asText()).isNotEqualTo(c.get("client_id").asText());
    assertThat(other.get("client_secret").asText()).isNotEqualTo(c.get("client_secret").asText());
  }

  @Test
  void publicClientGetsNoSecret() {
    JsonNode c =
        oauth.registerOk(
            "{\"redirect_uris\":[\"http://[::1]/cb\"],\"token_endpoint_auth_method\":\"none\","
                + "\"grant_types\":[\"authorization_code\",\"refresh_token\"],"
                + "\"scope\":\""
                + Scopes.READ
                + "\"}");
    assertThat(c.has("client_secret")).isFalse();
    assertThat(c.get("token_endpoint_auth_method").asText()).isEqualTo("none");
    assertThat(c.get("scope").asText()).isEqualTo(Scopes.READ);
    assertThat(c.get("grant_types").toString()).contains("refresh_token");
  }

  @Test
  void registeredClientCredentialsClientGetsItsScopes() {
    JsonNode c =
        oauth.registerOk(
            "{\"grant_types\":[\"client_credentials\"],"
                + "\"token_endpoint_auth_method\":\"client_secret_post\","
                + "\"scope\":\""
                + Scopes.READ
                + "\"}");
    String id = c.get("client_id").asText();
    String secret = c.get("client_secret").asText();
    HttpResponse<String> t =
        http.tokenRequest(
            OAuthFlow.form(
                "grant_type", "client_credentials", "client_id", id, "client_secret", secret),
            null,
            null);
    OAuthFlow.Tokens tokens = OAuthFlow.tokens(t);
    assertThat(tokens.body().get("scope").asText()).isEqualTo(Scopes.READ);
    assertThat(tokens.refreshToken()).isNull();
    assertThat(http.get("/configurations/" + ID, tokens.accessToken()).statusCode()).isEqualTo(200);
    // Basic works too, and the wrong secret does not
    assertThat(http.tokenRequest("grant_type=client_credentials", id, secret).statusCode())
        .isEqualTo(200);
    assertThat(http.tokenRequest("grant_type=client_credentials", id, "nope").statusCode())
        .isEqualTo(401);
    // a grant it did not register
    HttpResponse<String> code =
        http.tokenRequest(
            OAuthFlow.form(
                "grant_type",
                "authorization_code",
                "code",
                "x",
                "redirect_uri",
                OAuthFlow.REDIRECT,
                "code_verifier",
                OAuthFlow.Pkce.s256().verifier()),
            id,
            secret);
    assertThat(code.statusCode()).isEqualTo(400);
    assertThat(error(code)).isEqualTo("unauthorized_client");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"redirect_uris\":[\"callback/relative\"]}",
        "{\"redirect_uris\":[\"http://127.0.0.1:5000/cb#frag\"]}",
        "{\"redirect_uris\":[\"http://shop.example.com/cb\"]}",
        "{\"redirect_uris\":[\"javascript:alert(1)\"]}"
      })
  void badRedirectUrisAreInvalidRedirectUri(String json) {
    HttpResponse<String> r = oauth.register(json, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(error(r)).isEqualTo("invalid_redirect_uri");
    assertThat(SandboxHttp.json(r).get("error_description").asText()).isNotBlank();
    assertThat(r.headers().firstValue("cache-control")).hasValue("no-store");
    assertThat(sb.counters().registrations()).isZero();
  }

  @Test
  void httpsAndLoopbackRedirectsAreFine() {
    oauth.registerOk(
        "{\"redirect_uris\":[\"https://shop.example.com/cb\",\"http://localhost:8080/cb\","
            + "\"http://[::1]:9/cb\",\"com.example.app:/oauth\"]}");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"redirect_uris\":[\"http://127.0.0.1/cb\"],\"grant_types\":[\"password\"]}",
        "{\"redirect_uris\":[\"http://127.0.0.1/cb\"],"
            + "\"token_endpoint_auth_method\":\"private_key_jwt\"}",
        "{\"grant_types\":[\"authorization_code\"]}",
        "{}",
        "{\"redirect_uris\":[\"http://127.0.0.1/cb\"],\"scope\":\"admin\"}",
        "{\"redirect_uris\":[\"http://127.0.0.1/cb\"],\"response_types\":[\"token\"]}",
        "{\"grant_types\":[\"client_credentials\"],\"token_endpoint_auth_method\":\"none\"}",
        "[{\"redirect_uris\":[\"http://127.0.0.1/cb\"]}]",
        "not json",
        "{\"redirect_uris\":\"http://127.0.0.1/cb\"}"
      })
  void badMetadataIsInvalidClientMetadata(String json) {
    HttpResponse<String> r = oauth.register(json, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(error(r)).isEqualTo("invalid_client_metadata");
    assertThat(sb.counters().registrations()).isZero();
  }

  @Test
  void onlyPostIsAllowed() {
    HttpResponse<String> r =
        SandboxHttp.send(HttpRequest.newBuilder(sb.registrationUrl()).GET().build());
    assertThat(r.statusCode()).isEqualTo(405);
  }

  @Test
  void registrationTokenIsRequiredWhenConfigured() {
    try (TwikitSandbox guarded =
        TwikitSandbox.start(
            SandboxConfig.builder().eventLoops(1).registrationToken("reg-t0ken-value").build())) {
      OAuthFlow flow = new OAuthFlow(guarded);
      String body = "{\"redirect_uris\":[\"" + OAuthFlow.REDIRECT + "\"]}";

      HttpResponse<String> none = flow.register(body, null);
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(error(none)).isEqualTo("invalid_token");
      assertThat(none.headers().firstValue("www-authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));

      HttpResponse<String> wrong = flow.register(body, "other-token");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(error(wrong)).isEqualTo("invalid_token");
      assertThat(wrong.body()).doesNotContain("reg-t0ken-value");
      // even an invalid body is refused for the token first
      assertThat(flow.register("{}", null).statusCode()).isEqualTo(401);

      HttpResponse<String> ok = flow.register(body, "reg-t0ken-value");
      assertThat(ok.statusCode()).isEqualTo(201);
      assertThat(guarded.counters().registrations()).isEqualTo(1);
      assertThat(guarded.toString()).doesNotContain("reg-t0ken-value");
      assertThat(guarded.config().toString()).doesNotContain("reg-t0ken-value");
    }
  }
}
