package dev.twikitorders.sandbox;

import static dev.twikitorders.sandbox.OAuthFlow.error;
import static dev.twikitorders.sandbox.OAuthFlow.location;
import static dev.twikitorders.sandbox.OAuthFlow.query;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.twikitorders.sandbox.OAuthFlow.Pkce;
import dev.twikitorders.sandbox.auth.Scopes;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The authorization endpoint and the authorization_code grant, on the default sandbox. */
class AuthorizationCodeTest extends DefaultSandboxTest {
  static OAuthFlow oauth;
  String publicId;
  String confidentialId;
  String confidentialSecret;

  @BeforeEach
  void reset() {
    sb.reset();
    oauth = new OAuthFlow(sb);
    publicId =
        oauth
            .registerOk(
                "{\"redirect_uris\":[\""
                    + OAuthFlow.REDIRECT
                    + "\"],\"token_endpoint_auth_method\":\"none\","
                    + "\"grant_types\":[\"authorization_code\",\"refresh_token\"]}")
            .get("client_id")
            .asText();
    JsonNode c =
        oauth.registerOk(
            "{\"redirect_uris\":[\"https://shop.example.com/oauth/cb?tenant=7\"],"
                + "\"token_endpoint_auth_method\":\"client_secret_post\"}");
    confidentialId = c.get("client_id").asText();
    confidentialSecret = c.get("client_secret").asText();
  }

  @Test
  void approvesAtOnceWithCodeAndStateEchoed() {
    Pkce pkce = Pkce.s256();
    String state = "a b&c=d/é+%";
    HttpResponse<String> r =
        oauth.authorize(
            "response_type",
            "code",
            "client_id",
            publicId,
            "redirect_uri",
            OAuthFlow.REDIRECT,
            "state",
            state,
            "code_challenge",
            pkce.challenge(),
            "code_challenge_method",
            "S256");

    assertThat(r.statusCode()).isEqualTo(302);
    URI loc = location(r);
    assertThat(loc.toString()).startsWith(OAuthFlow.REDIRECT + "?code=");
    assertThat(loc.getRawQuery()).doesNotContain("+");
    Map<String, String> q = query(loc);
    assertThat(q.get("state")).isEqualTo(state);
    assertThat(q.get("code")).matches("[A-Za-z0-9_-]{43}");
    assertThat(sb.counters().authorizations()).isEqualTo(1);
  }

  @Test
  void s256CodeExchangeGivesUserTokensThatWork() throws Exception {
    Pkce pkce = Pkce.s256();
    String code = oauth.code(publicId, OAuthFlow.REDIRECT, pkce);

    OAuthFlow.Tokens t =
        oauth.exchangeOk(publicId, null, code, OAuthFlow.REDIRECT, pkce.verifier());

    assertThat(t.body().get("token_type").asText()).isEqualTo("Bearer");
    assertThat(t.body().get("expires_in").asLong()).isEqualTo(3600);
    assertThat(t.body().get("scope").asText().split(" "))
        .containsExactlyInAnyOrderElementsOf(Scopes.ALL);
    assertThat(t.refreshToken()).matches("[A-Za-z0-9_-]{43,}");
    JWTClaimsSet claims = SignedJWT.parse(t.accessToken()).getJWTClaimsSet();
    assertThat(claims.getSubject()).isEqualTo("demo-user");
    assertThat(claims.getStringClaim("client_id")).isEqualTo(publicId);
    assertThat(claims.getStringClaim("fam")).isNotBlank();
    assertThat(http.get("/configurations/" + ID + "/summary", t.accessToken()).statusCode())
        .isEqualTo(200);
    assertThat(sb.counters().codeExchanges()).isEqualTo(1);
    assertThat(sb.counters().tokensIssued()).isEqualTo(1);
  }

  @Test
  void confidentialClientAuthenticatesAndItsRegisteredUriWithQueryIsKept() {
    Pkce pkce = Pkce.s256();
    String redirect = "https://shop.example.com/oauth/cb?tenant=7";
    String code = oauth.code(confidentialId, redirect, pkce);
    HttpResponse<String> noSecret =
        oauth.exchange(confidentialId, null, code, redirect, pkce.verifier());
    assertThat(noSecret.statusCode()).isEqualTo(401);
    assertThat(error(noSecret)).isEqualTo("invalid_client");

    code = oauth.code(confidentialId, redirect, pkce);
    HttpResponse<String> post =
        http.tokenRequest(
            OAuthFlow.form(
                "grant_type", "authorization_code",
                "code", code,
                "redirect_uri", redirect,
                "code_verifier", pkce.verifier(),
                "client_id", confidentialId,
                "client_secret", confidentialSecret),
            null,
            null);
    assertThat(OAuthFlow.tokens(post).refreshToken()).isNotNull();
  }

  @Test
  void preconfiguredClientMayUseAnyLoopbackRedirect() {
    for (String redirect :
        new String[] {
          "http://127.0.0.1:1234/a", "http://localhost:9/deep/path?x=1", "http://[::1]/cb"
        }) {
      Pkce pkce = Pkce.s256();
      String code = oauth.code("demo", redirect, pkce);
      OAuthFlow.Tokens t = oauth.exchangeOk("demo", "demo-secret", code, redirect, pkce.verifier());
      assertThat(t.refreshToken()).isNotNull();
    }
  }

  @Test
  void loopbackPortOfARegisteredRedirectIsIgnored() {
    Pkce pkce = Pkce.s256();
    String otherPort = "http://127.0.0.1:60001/callback";
    String code = oauth.code(publicId, otherPort, pkce);
    oauth.exchangeOk(publicId, null, code, otherPort, pkce.verifier());
  }

  @Test
  void unknownClientIs400WithoutRedirect() {
    HttpResponse<String> r =
        oauth.authorize(
            "response_type", "code",
            "client_id", "nobody",
            "redirect_uri", OAuthFlow.REDIRECT,
            "code_challenge", Pkce.s256().challenge(),
            "code_challenge_method", "S256");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("location")).isEmpty();
    assertThat(error(r)).isEqualTo("invalid_request");
    assertThat(SandboxHttp.json(r).get("error_description").asText()).contains("client_id");
    assertThat(oauth.authorize("response_type", "code").statusCode()).isEqualTo(400);
  }

  @Test
  void redirectUriNotAllowedIs400WithoutRedirect() {
    String challenge = Pkce.s256().challenge();
    for (String[] c :
        new String[][] {
          {publicId, "http://127.0.0.1:47321/other-path"},
          {publicId, "http://evil.example.com/callback"},
          {confidentialId, "https://shop.example.com:8443/oauth/cb?tenant=7"},
          {confidentialId, "https://shop.example.com/oauth/cb"},
          {"demo", "http://shop.example.com/cb"},
          {"demo", "http://127.0.0.1/cb#fragment"},
          {publicId, null}
        }) {
      HttpResponse<String> r =
          oauth.authorize(
              "response_type",
              "code",
              "client_id",
              c[0],
              "redirect_uri",
              c[1],
              "state",
              "s",
              "code_challenge",
              challenge,
              "code_challenge_method",
              "S256");
      assertThat(r.statusCode()).as(c[0] + " " + c[1]).isEqualTo(400);
      assertThat(r.headers().firstValue("location")).isEmpty();
      assertThat(error(r)).isEqualTo("invalid_request");
    }
  }

  @Test
  void missingCodeChallengeRedirectsWithInvalidRequest() {
    HttpResponse<String> r =
        oauth.authorize(
            "response_type",
            "code",
            "client_id",
            publicId,
            "redirect_uri",
            OAuthFlow.REDIRECT,
            "state",
            "xyz");
    assertThat(r.statusCode()).isEqualTo(302);
    Map<String, String> q = query(location(r));
    assertThat(q).containsEntry("error", "invalid_request").containsEntry("state", "xyz");
    assertThat(q.get("error_description")).contains("code_challenge");
    assertThat(q).doesNotContainKey("code");
    assertThat(sb.counters().authorizations()).isZero();
  }

  @Test
  void unsupportedChallengeMethodAndResponseTypeRedirectWithErrors() {
    Pkce plain = Pkce.plain();
    HttpResponse<String> r =
        oauth.authorize(
            "response_type",
            "code",
            "client_id",
            publicId,
            "redirect_uri",
            OAuthFlow.REDIRECT,
            "state",
            "s1",
            "code_challenge",
            plain.challenge(),
            "code_challenge_method",
            "plain");
    assertThat(query(location(r))).containsEntry("error", "invalid_request");

    // no method = plain (RFC 7636 section 4.3), not supported by default either
    r =
        oauth.authorize(
            "response_type",
            "code",
            "client_id",
            publicId,
            "redirect_uri",
            OAuthFlow.REDIRECT,
            "code_challenge",
            plain.challenge());
    assertThat(query(location(r))).containsEntry("error", "invalid_request");

    r =
        oauth.authorize(
            "response_type",
            "token",
            "client_id",
            publicId,
            "redirect_uri",
            OAuthFlow.REDIRECT,
            "state",
            "s2",
            "code_challenge",
            Pkce.s256().challenge(),
            "code_challenge_method",
            "S256");
    assertThat(query(location(r)))
        .containsEntry("error", "unsupported_response_type")
        .containsEntry("state", "s2");

    r =
        oauth.authorize(
            "response_type",
            "code",
            "client_id",
            publicId,
            "redirect_uri",
            OAuthFlow.REDIRECT,
            "scope",
            "admin",
            "code_challenge",
            Pkce.s256().challenge(),
            "code_challenge_method",
            "S256");
    assertThat(query(location(r))).containsEntry("error", "invalid_scope");

    r =
        oauth.authorize(
            "response_type", "code",
            "client_id", publicId,
            "redirect_uri", OAuthFlow.REDIRECT,
            "code_challenge", "too-short",
            "code_challenge_method", "S256");
    assertThat(query(location(r))).containsEntry("error", "invalid_request");
  }

  @Test
  void plainWorksWhenEnabled() {
    sb.setPkceMethods("S256", "plain");
    Pkce pkce = Pkce.plain();
    String code = oauth.code(publicId, OAuthFlow.REDIRECT, pkce);
    oauth.exchangeOk(publicId, null, code, OAuthFlow.REDIRECT, pkce.verifier());

    sb.setPkceMethods("plain");
    HttpResponse<String> s256 =
        oauth.authorize(
            "response_type",
            "code",
            "client_id",
            publicId,
            "redirect_uri",
            OAuthFlow.REDIRECT,
            "code_challenge",
            Pkce.s256().challenge(),
            "code_challenge_method",
            "S256");
    assertThat(query(location(s256))).containsEntry("error", "invalid_request");
  }

  @Test
  void wrongVerifierIsInvalidGrant() {
    Pkce pkce = Pkce.s256();
    String code = oauth.code(publicId, OAuthFlow.REDIRECT, pkce);
    HttpResponse<String> r =
        oauth.exchange(publicId, null, code, OAuthFlow.REDIRECT, Pkce.s256().verifier());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r)).isEqualTo("invalid_grant");
    assertThat(r.headers().firstValue("cache-control")).hasValue("no-store");

    String other = oauth.code(publicId, OAuthFlow.REDIRECT, pkce);
    HttpResponse<String> missing = oauth.exchange(publicId, null, other, OAuthFlow.REDIRECT, null);
    assertThat(error(missing)).isEqualTo("invalid_grant");
    assertThat(sb.counters().codeExchanges()).isZero();
  }

  @Test
  void codeReuseIsInvalidGrantAndRevokesItsTokens() {
    Pkce pkce = Pkce.s256();
    String code = oauth.code(publicId, OAuthFlow.REDIRECT, pkce);
    OAuthFlow.Tokens first =
        oauth.exchangeOk(publicId, null, code, OAuthFlow.REDIRECT, pkce.verifier());
    assertThat(http.get("/configurations/" + ID, first.accessToken()).statusCode()).isEqualTo(200);

    HttpResponse<String> again =
        oauth.exchange(publicId, null, code, OAuthFlow.REDIRECT, pkce.verifier());
    assertThat(again.statusCode()).isEqualTo(400);
    assertThat(error(again)).isEqualTo("invalid_grant");

    assertThat(http.get("/configurations/" + ID, first.accessToken()).statusCode()).isEqualTo(401);
    assertThat(error(oauth.refresh(publicId, null, first.refreshToken())))
        .isEqualTo("invalid_grant");
  }

  @Test
  void redirectUriMismatchAndOtherClientAreInvalidGrant() {
    Pkce pkce = Pkce.s256();
    String code = oauth.code(publicId, OAuthFlow.REDIRECT, pkce);
    HttpResponse<String> r =
        oauth.exchange(publicId, null, code, "http://127.0.0.1:47321/other", pkce.verifier());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r)).isEqualTo("invalid_grant");
    // the code was used up by the failed attempt
    assertThat(error(oauth.exchange(publicId, null, code, OAuthFlow.REDIRECT, pkce.verifier())))
        .isEqualTo("invalid_grant");

    String code2 = oauth.code(publicId, OAuthFlow.REDIRECT, pkce);
    HttpResponse<String> stolen =
        oauth.exchange("demo", "demo-secret", code2, OAuthFlow.REDIRECT, pkce.verifier());
    assertThat(error(stolen)).isEqualTo("invalid_grant");
    assertThat(
            error(
                oauth.exchange(
                    publicId, null, "no-such-code", OAuthFlow.REDIRECT, pkce.verifier())))
        .isEqualTo("invalid_grant");
  }

  @Test
  void publicClientMayNotSendASecretAndUnknownClientIsInvalidClient() {
    Pkce pkce = Pkce.s256();
    String code = oauth.code(publicId, OAuthFlow.REDIRECT, pkce);
    HttpResponse<String> r =
        oauth.exchange(publicId, "made-up", code, OAuthFlow.REDIRECT, pkce.verifier());
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(error(r)).isEqualTo("invalid_client");
    HttpResponse<String> unknown =
        oauth.exchange("nobody", null, "c", OAuthFlow.REDIRECT, pkce.verifier());
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(error(unknown)).isEqualTo("invalid_client");
  }

  @Test
  void approvalPageWhenConfigured() {
    try (TwikitSandbox paged =
        TwikitSandbox.start(
            SandboxConfig.builder().eventLoops(1).approvalPage(true).testUser("alice").build())) {
      OAuthFlow flow = new OAuthFlow(paged);
      Pkce pkce = Pkce.s256();
      String[] params = {
        "response_type", "code",
        "client_id", "demo",
        "redirect_uri", OAuthFlow.REDIRECT,
        "state", "st<\"x\">",
        "code_challenge", pkce.challenge(),
        "code_challenge_method", "S256"
      };
      HttpResponse<String> page = flow.authorize(params);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("content-type"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
      assertThat(page.body())
          .contains("<form method=\"post\" action=\"/oauth2/authorize\"")
          .contains("value=\"approve\"")
          .contains("value=\"deny\"")
          .contains("alice")
          .contains("value=\"" + pkce.challenge() + "\"")
          .contains("st&lt;&quot;x&quot;&gt;")
          .doesNotContain("st<\"x\">");
      assertThat(paged.counters().authorizations()).isZero();

      String[] approve = append(params, "decision", "approve");
      HttpResponse<String> approved = flow.authorizePost(approve);
      assertThat(approved.statusCode()).isEqualTo(302);
      Map<String, String> q = query(location(approved));
      assertThat(q).containsKey("code").containsEntry("state", "st<\"x\">");
      OAuthFlow.Tokens t =
          flow.exchangeOk(
              "demo", "demo-secret", q.get("code"), OAuthFlow.REDIRECT, pkce.verifier());
      assertThat(t.accessToken()).isNotBlank();

      HttpResponse<String> denied = flow.authorizePost(append(params, "decision", "deny"));
      assertThat(denied.statusCode()).isEqualTo(302);
      assertThat(query(location(denied)))
          .containsEntry("error", "access_denied")
          .doesNotContainKey("code");
    }
  }

  private static String[] append(String[] a, String... more) {
    String[] out = java.util.Arrays.copyOf(a, a.length + more.length);
    System.arraycopy(more, 0, out, a.length, more.length);
    return out;
  }
}
