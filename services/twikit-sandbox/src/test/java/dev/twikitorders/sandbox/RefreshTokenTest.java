package dev.twikitorders.sandbox;

import static dev.twikitorders.sandbox.OAuthFlow.error;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.twikitorders.sandbox.OAuthFlow.Pkce;
import dev.twikitorders.sandbox.OAuthFlow.Tokens;
import dev.twikitorders.sandbox.auth.Scopes;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The refresh_token grant: rotation, reuse detection and family revocation. */
class RefreshTokenTest extends DefaultSandboxTest {
  static OAuthFlow oauth;
  String clientId;

  @BeforeEach
  void reset() {
    sb.reset();
    oauth = new OAuthFlow(sb);
    clientId =
        oauth
            .registerOk(
                "{\"redirect_uris\":[\""
                    + OAuthFlow.REDIRECT
                    + "\"],\"token_endpoint_auth_method\":\"none\","
                    + "\"grant_types\":[\"authorization_code\",\"refresh_token\"]}")
            .get("client_id")
            .asText();
  }

  private Tokens login() {
    Pkce pkce = Pkce.s256();
    String code = oauth.code(clientId, OAuthFlow.REDIRECT, pkce);
    return oauth.exchangeOk(clientId, null, code, OAuthFlow.REDIRECT, pkce.verifier());
  }

  private int api(String accessToken) {
    return http.get("/configurations/" + ID, accessToken).statusCode();
  }

  @Test
  void everyRefreshRotatesTheRefreshToken() throws Exception {
    Tokens t0 = login();
    Set<String> refreshTokens = new HashSet<>(Set.of(t0.refreshToken()));
    Set<String> accessTokens = new HashSet<>(Set.of(t0.accessToken()));
    String family = SignedJWT.parse(t0.accessToken()).getJWTClaimsSet().getStringClaim("fam");
    Tokens current = t0;
    for (int i = 0; i < 3; i++) {
      current = OAuthFlow.tokens(oauth.refresh(clientId, null, current.refreshToken()));
      assertThat(refreshTokens.add(current.refreshToken())).as("new refresh token").isTrue();
      assertThat(accessTokens.add(current.accessToken())).isTrue();
      assertThat(SignedJWT.parse(current.accessToken()).getJWTClaimsSet().getStringClaim("fam"))
          .isEqualTo(family);
      assertThat(api(current.accessToken())).isEqualTo(200);
    }
    assertThat(sb.counters().refreshes()).isEqualTo(3);
    assertThat(sb.counters().refreshReuseDetected()).isZero();
    // every access token of the family stays valid while no reuse happens
    for (String a : accessTokens) {
      assertThat(api(a)).isEqualTo(200);
    }
  }

  @Test
  void reuseIsInvalidGrantAndRevokesTheWholeFamily() {
    Tokens t0 = login();
    Tokens t1 = OAuthFlow.tokens(oauth.refresh(clientId, null, t0.refreshToken()));
    Tokens t2 = OAuthFlow.tokens(oauth.refresh(clientId, null, t1.refreshToken()));
    Tokens otherLogin = login();

    HttpResponse<String> reuse = oauth.refresh(clientId, null, t0.refreshToken());
    assertThat(reuse.statusCode()).isEqualTo(400);
    assertThat(error(reuse)).isEqualTo("invalid_grant");
    assertThat(reuse.headers().firstValue("cache-control")).hasValue("no-store");
    assertThat(sb.counters().refreshReuseDetected()).isEqualTo(1);

    // the newest refresh token of the family is dead too
    HttpResponse<String> newest = oauth.refresh(clientId, null, t2.refreshToken());
    assertThat(newest.statusCode()).isEqualTo(400);
    assertThat(error(newest)).isEqualTo("invalid_grant");
    // and every access token of the family
    for (Tokens t : new Tokens[] {t0, t1, t2}) {
      HttpResponse<String> r = http.get("/configurations/" + ID, t.accessToken());
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(error(r)).isEqualTo("invalid_token");
      assertThat(r.headers().firstValue("www-authenticate"))
          .hasValueSatisfying(v -> assertThat(v).contains("error=\"invalid_token\""));
    }
    // another login of the same client is untouched
    assertThat(api(otherLogin.accessToken())).isEqualTo(200);
    assertThat(OAuthFlow.tokens(oauth.refresh(clientId, null, otherLogin.refreshToken())))
        .isNotNull();
    // client credentials tokens are untouched
    assertThat(api(token)).isEqualTo(200);
  }

  @Test
  void unknownAndOtherClientsRefreshTokensAreInvalidGrant() {
    Tokens t0 = login();
    assertThat(error(oauth.refresh(clientId, null, "not-a-refresh-token")))
        .isEqualTo("invalid_grant");
    HttpResponse<String> stolen = oauth.refresh("demo", "demo-secret", t0.refreshToken());
    assertThat(stolen.statusCode()).isEqualTo(400);
    assertThat(error(stolen)).isEqualTo("invalid_grant");
    // not used up by the other client's attempt
    assertThat(OAuthFlow.tokens(oauth.refresh(clientId, null, t0.refreshToken()))).isNotNull();
    HttpResponse<String> missing =
        http.tokenRequest(
            OAuthFlow.form("grant_type", "refresh_token", "client_id", clientId), null, null);
    assertThat(error(missing)).isEqualTo("invalid_request");
  }

  @Test
  void narrowerScopeOnRefreshAndWiderScopeRefused() throws Exception {
    Tokens t0 = login();
    HttpResponse<String> narrow =
        http.tokenRequest(
            OAuthFlow.form(
                "grant_type",
                "refresh_token",
                "refresh_token",
                t0.refreshToken(),
                "client_id",
                clientId,
                "scope",
                Scopes.READ),
            null,
            null);
    Tokens t1 = OAuthFlow.tokens(narrow);
    assertThat(t1.body().get("scope").asText()).isEqualTo(Scopes.READ);
    assertThat(SignedJWT.parse(t1.accessToken()).getJWTClaimsSet().getStringClaim("scope"))
        .isEqualTo(Scopes.READ);
    // the new refresh token keeps the login's scopes
    Tokens t2 = OAuthFlow.tokens(oauth.refresh(clientId, null, t1.refreshToken()));
    assertThat(t2.body().get("scope").asText().split(" "))
        .containsExactlyInAnyOrderElementsOf(Scopes.ALL);

    HttpResponse<String> wide =
        http.tokenRequest(
            OAuthFlow.form(
                "grant_type",
                "refresh_token",
                "refresh_token",
                t2.refreshToken(),
                "client_id",
                clientId,
                "scope",
                "admin"),
            null,
            null);
    assertThat(error(wide)).isEqualTo("invalid_scope");
  }

  @Test
  void revokeAllTokensKillsEveryToken() {
    Tokens t0 = login();
    String minted = sb.mintToken(Duration.ofMinutes(5), Scopes.READ);
    assertThat(api(minted)).isEqualTo(200);

    HttpResponse<String> r = http.admin("POST", "revoke-tokens", null);
    assertThat(r.statusCode()).isEqualTo(200);

    assertThat(api(t0.accessToken())).isEqualTo(401);
    assertThat(api(minted)).isEqualTo(401);
    assertThat(api(token)).isEqualTo(401);
    assertThat(error(oauth.refresh(clientId, null, t0.refreshToken()))).isEqualTo("invalid_grant");
    // new logins work
    assertThat(api(login().accessToken())).isEqualTo(200);
    token = http.token(); // for the other tests of this class
    sb.revokeAllTokens();
    assertThat(api(token)).isEqualTo(401);
    token = http.token();
  }

  @Test
  void refreshTokensExpireAfterTheirLifetime() {
    try (TwikitSandbox shortLived =
        TwikitSandbox.start(
            SandboxConfig.builder().eventLoops(1).refreshTokenTtl(Duration.ZERO).build())) {
      OAuthFlow flow = new OAuthFlow(shortLived);
      Pkce pkce = Pkce.s256();
      String code = flow.code("demo", OAuthFlow.REDIRECT, pkce);
      Tokens t = flow.exchangeOk("demo", "demo-secret", code, OAuthFlow.REDIRECT, pkce.verifier());
      HttpResponse<String> r = flow.refresh("demo", "demo-secret", t.refreshToken());
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(error(r)).isEqualTo("invalid_grant");
      assertThat(SandboxHttp.json(r).get("error_description").asText()).contains("expired");
    }
  }

  @Test
  void clientCredentialsGivesNoRefreshToken() {
    Tokens t =
        OAuthFlow.tokens(http.tokenRequest("grant_type=client_credentials", "demo", "demo-secret"));
    assertThat(t.refreshToken()).isNull();
  }
}
