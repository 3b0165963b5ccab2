package dev.twikitorders.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import dev.twikitorders.sandbox.auth.Scopes;
import dev.twikitorders.sandbox.faults.MetadataMode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetadataTest extends DefaultSandboxTest {
  static final String OAUTH = "/.well-known/oauth-authorization-server";
  static final String OPENID = "/.well-known/openid-configuration";

  @BeforeEach
  void reset() {
    sb.reset();
  }

  private static HttpResponse<String> get(String path) {
    return SandboxHttp.send(HttpRequest.newBuilder(URI.create(sb.issuerUrl() + path)).build());
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void rfc8414DocumentByDefault() throws Exception {
    HttpResponse<String> r = get(OAUTH);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonNode doc = SandboxHttp.json(r);
    String base = sb.apiUrl().toString();
    assertThat(sb.issuerUrl()).isEqualTo(sb.apiUrl());
    assertThat(doc.get("issuer").asText()).isEqualTo(base);
    assertThat(doc.get("token_endpoint").asText()).isEqualTo(sb.tokenUrl().toString());
    assertThat(doc.get("authorization_endpoint").asText())
        .isEqualTo(sb.authorizationUrl().toString())
        .isEqualTo(base + "/oauth2/authorize");
    assertThat(doc.get("registration_endpoint").asText())
        .isEqualTo(sb.registrationUrl().toString())
        .isEqualTo(base + "/oauth2/register");
    assertThat(strings(doc.get("grant_types_supported")))
        .containsExactlyInAnyOrder("client_credentials", "authorization_code", "refresh_token");
    assertThat(strings(doc.get("response_types_supported"))).containsExactly("code");
    assertThat(strings(doc.get("code_challenge_methods_supported"))).containsExactly("S256");
    assertThat(strings(doc.get("token_endpoint_auth_methods_supported")))
        .containsExactlyInAnyOrder("client_secret_basic", "client_secret_post", "none");
    assertThat(strings(doc.get("scopes_supported")))
        .containsExactlyInAnyOrderElementsOf(Scopes.ALL);

    // a standard parser accepts it
    AuthorizationServerMetadata parsed = AuthorizationServerMetadata.parse(r.body());
    assertThat(parsed.getIssuer().getValue()).isEqualTo(base);
    assertThat(parsed.getTokenEndpointURI()).isEqualTo(sb.tokenUrl());
    assertThat(parsed.getCodeChallengeMethods()).containsExactly(CodeChallengeMethod.S256);
    assertThat(sb.metadataUrl()).isEqualTo(URI.create(base + OAUTH));
  }

  @Test
  void openidPathIs404ByDefault() {
    assertThat(get(OPENID).statusCode()).isEqualTo(404);
  }

  @Test
  void openidModeServesOnlyTheOidcPath() {
    HttpResponse<String> admin =
        new SandboxHttp(sb).admin("POST", "faults", "{\"metadata\":\"openid\"}");
    assertThat(admin.statusCode()).isEqualTo(200);
    assertThat(SandboxHttp.json(admin).get("metadata").asText()).isEqualTo("openid");

    HttpResponse<String> oidc = get(OPENID);
    assertThat(oidc.statusCode()).isEqualTo(200);
    assertThat(SandboxHttp.json(oidc).get("issuer").asText()).isEqualTo(sb.apiUrl().toString());
    assertThat(SandboxHttp.json(oidc).get("token_endpoint").asText())
        .isEqualTo(sb.tokenUrl().toString());
    assertThat(get(OAUTH).statusCode()).isEqualTo(404);
  }

  @Test
  void noneModeServesNothing() {
    sb.setMetadataMode(MetadataMode.NONE);
    assertThat(get(OAUTH).statusCode()).isEqualTo(404);
    assertThat(get(OPENID).statusCode()).isEqualTo(404);
    sb.resetFaults();
    assertThat(get(OAUTH).statusCode()).isEqualTo(200);
  }

  @Test
  void missingTokenEndpointMode() {
    new SandboxHttp(sb).admin("POST", "faults", "{\"metadata\":\"missing-token-endpoint\"}");
    HttpResponse<String> r = get(OAUTH);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode doc = SandboxHttp.json(r);
    assertThat(doc.has("token_endpoint")).isFalse();
    assertThat(doc.get("authorization_endpoint").asText())
        .isEqualTo(sb.authorizationUrl().toString());
    assertThat(get(OPENID).statusCode()).isEqualTo(404);
  }

  @Test
  void pkceMethodsAreAdvertisedAsConfigured() {
    HttpResponse<String> admin =
        new SandboxHttp(sb).admin("POST", "faults", "{\"pkceMethods\":[\"S256\",\"plain\"]}");
    assertThat(admin.statusCode()).as(admin.body()).isEqualTo(200);
    assertThat(strings(SandboxHttp.json(admin).get("pkceMethods")))
        .containsExactly("S256", "plain");
    assertThat(strings(SandboxHttp.json(get(OAUTH)).get("code_challenge_methods_supported")))
        .containsExactly("S256", "plain");

    sb.setPkceMethods("plain");
    assertThat(strings(SandboxHttp.json(get(OAUTH)).get("code_challenge_methods_supported")))
        .containsExactly("plain");
    assertThat(sb.faults().pkceMethods()).containsExactly("plain");
  }

  @Test
  void badMetadataSettingsAre400() {
    SandboxHttp http = new SandboxHttp(sb);
    HttpResponse<String> mode = http.admin("POST", "faults", "{\"metadata\":\"bogus\"}");
    assertThat(mode.statusCode()).isEqualTo(400);
    assertThat(mode.body()).contains("missing-token-endpoint");
    assertThat(http.admin("POST", "faults", "{\"pkceMethods\":[\"S512\"]}").statusCode())
        .isEqualTo(400);
    assertThat(http.admin("POST", "faults", "{\"pkceMethods\":[]}").statusCode()).isEqualTo(400);
    assertThat(http.admin("POST", "faults", "{\"pkceMethods\":\"S256\"}").statusCode())
        .isEqualTo(400);
    assertThat(sb.faults().metadata()).isEqualTo(MetadataMode.OAUTH);
  }

  @Test
  void onlyGetIsAllowed() {
    HttpResponse<String> r =
        SandboxHttp.send(
            HttpRequest.newBuilder(sb.metadataUrl())
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());
    assertThat(r.statusCode()).isEqualTo(405);
  }

  @Test
  void onAllInterfacesTheIssuerIsTheAddressTheClientUsed() {
    try (TwikitSandbox all =
        TwikitSandbox.start(SandboxConfig.builder().host("0.0.0.0").eventLoops(1).build())) {
      for (String host : new String[] {"127.0.0.1", "localhost"}) {
        String base = "http://" + host + ":" + all.port();
        HttpResponse<String> r =
            SandboxHttp.send(HttpRequest.newBuilder(URI.create(base + OAUTH)).build());
        JsonNode doc = SandboxHttp.json(r);
        assertThat(doc.get("issuer").asText()).isEqualTo(base);
        assertThat(doc.get("token_endpoint").asText()).isEqualTo(base + "/oauth2/token");
      }
    }
  }
}
