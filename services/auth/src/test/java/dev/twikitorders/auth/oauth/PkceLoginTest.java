package dev.twikitorders.auth.oauth;

import static dev.twikitorders.auth.Tests.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import dev.twikitorders.auth.AuthException;
import dev.twikitorders.auth.AuthException.Kind;
import dev.twikitorders.auth.Browser;
import dev.twikitorders.auth.ClientAuthMethod;
import dev.twikitorders.auth.SandboxSupport;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.Tests;
import dev.twikitorders.auth.Tokens;
import dev.twikitorders.auth.http.JdkAuthHttp;
import dev.twikitorders.auth.store.FileRefreshTokenStore;
import dev.twikitorders.auth.store.SecureFiles;
import dev.twikitorders.auth.store.StoredTokens;
import dev.twikitorders.sandbox.TwikitSandbox;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive login (authorization code with PKCE, loopback redirect) against the sandbox's
 * authorization server, with a {@link Browser} in the user's place.
 */
class PkceLoginTest {

  private static TwikitSandbox sb;
  private JdkAuthHttp http;
  private Browser browser;

  @BeforeAll
  static void startSandbox() {
    sb = SandboxSupport.start();
  }

  @AfterAll
  static void stopSandbox() {
    sb.close();
  }

  @BeforeEach
  void reset() {
    sb.reset();
    http = SandboxSupport.https();
    browser = SandboxSupport.browser();
  }

  @AfterEach
  void close() {
    browser.close();
    http.close();
  }

  private PkceLogin.Request request(String scope, List<String> pkce) {
    return new PkceLogin.Request(
        sb.authorizationUrl(),
        sb.tokenUrl(),
        SandboxSupport.CLIENT_ID,
        Secret.of(SandboxSupport.CLIENT_SECRET),
        ClientAuthMethod.CLIENT_SECRET_BASIC,
        scope,
        pkce,
        0,
        null);
  }

  private static String query(URI url, String name) {
    for (String pair : url.getRawQuery().split("&")) {
      if (pair.startsWith(name + "=")) {
        return java.net.URLDecoder.decode(
            pair.substring(name.length() + 1), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  @Test
  void aLoginGivesTokensThatTheStoreKeepsOwnerOnly(@TempDir Path dir) throws Exception {
    try (PkceLogin login =
        PkceLogin.start(request("configurations/configurations.read", List.of("S256")), http)) {
      assertThat(login.pkceMethod()).isEqualTo("S256");
      assertThat(login.redirectUri().toString())
          .startsWith("http://127.0.0.1:")
          .endsWith("/callback");
      URI url = login.authorizationUrl();
      assertThat(query(url, "code_challenge_method")).isEqualTo("S256");
      assertThat(query(url, "redirect_uri")).isEqualTo(login.redirectUri().toString());

      Browser.Page page = browser.follow(url);
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.body()).contains("login is complete");
      Tokens tokens = login.result().join();
      assertThat(tokens.refreshToken()).isNotNull();
      assertThat(tokens.scope()).isEqualTo("configurations/configurations.read");
      assertThat(tokens.toString()).doesNotContain(tokens.accessToken().revealAsString());

      Path file = dir.resolve("refresh.json");
      try (FileRefreshTokenStore store = new FileRefreshTokenStore(file)) {
        store.save(tokens, sb.tokenUrl(), SandboxSupport.CLIENT_ID);
        StoredTokens stored = store.read();
        assertThat(stored.refreshToken()).isEqualTo(tokens.refreshToken());
        assertThat(stored.accessToken()).isEqualTo(tokens.accessToken());
      }
      if (SecureFiles.isPosix(file)) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
            .isEqualTo("rw-------");
      }
      // a second redirect (a reload) does not restart anything
      assertThat(browser.open(login.redirectUri()).status()).isEqualTo(409);
    }
    assertThat(sb.counters().authorizations()).isEqualTo(1);
    assertThat(sb.counters().codeExchanges()).isEqualTo(1);
  }

  @Test
  void plainOnlyWhenTheServerListsNothingElseAndNoLoginWithoutPkce() {
    sb.setPkceMethods("plain");
    try (PkceLogin login = PkceLogin.start(request(null, List.of("plain")), http)) {
      assertThat(login.pkceMethod()).isEqualTo("plain");
      browser.follow(login.authorizationUrl());
      assertThat(login.result().join().accessToken()).isNotNull();
    }
    try (PkceLogin login = PkceLogin.start(request(null, List.of("plain", "S256")), http)) {
      assertThat(login.pkceMethod()).isEqualTo("S256");
    }
    assertThatThrownBy(() -> PkceLogin.start(request(null, List.of()), http))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("neither S256 nor plain");
  }

  @Test
  void aRedirectWithAnotherStateFailsTheLoginAndShowsAnErrorPage() {
    try (PkceLogin login = PkceLogin.start(request(null, List.of("S256")), http)) {
      Browser.Page page =
          browser.open(URI.create(login.redirectUri() + "?code=stolen-code&state=forged"));
      assertThat(page.status()).isEqualTo(400);
      assertThat(page.body()).contains("state mismatch");
      AuthException e = failure(login.result());
      assertThat(e.kind()).isEqualTo(Kind.INVALID_RESPONSE);
      assertThat(e.code()).contains("state_mismatch");
      assertThat(e.getMessage()).contains("state").doesNotContain("stolen-code");
    }
    assertThat(sb.counters().codeExchanges()).isZero();
  }

  @Test
  void anErrorRedirectFailsWithThatError() {
    try (PkceLogin login = PkceLogin.start(request("no-such/scope", List.of("S256")), http)) {
      Browser.Page page = browser.follow(login.authorizationUrl());
      assertThat(page.status()).isEqualTo(400);
      AuthException e = failure(login.result());
      assertThat(e.kind()).isEqualTo(Kind.CREDENTIALS_REJECTED);
      assertThat(e.code()).contains("invalid_scope");
      assertThat(e.getMessage()).contains("invalid_scope", "client id 'demo'");
    }
  }

  @Test
  void aCodeIssuedForAnotherVerifierIsRefused() throws ParseException {
    try (PkceLogin login = PkceLogin.start(request(null, List.of("S256")), http)) {
      // an attacker's authorization request: same client, redirect URI and state, own challenge
      AuthorizationRequest ours = AuthorizationRequest.parse(login.authorizationUrl());
      URI theirs =
          new AuthorizationRequest.Builder(
                  ResponseType.CODE, new ClientID(SandboxSupport.CLIENT_ID))
              .endpointURI(sb.authorizationUrl())
              .redirectionURI(login.redirectUri())
              .state(ours.getState())
              .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256)
              .build()
              .toURI();
      browser.follow(theirs);
      AuthException e = failure(login.result());
      assertThat(e.kind()).isEqualTo(Kind.CREDENTIALS_REJECTED);
      assertThat(e.code()).contains("invalid_grant");
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.getMessage()).contains(sb.tokenUrl().toString());
    }
  }

  @Test
  void aPublicClientLogsInWithItsIdAlone() {
    RegisteredClient client =
        ClientRegistrar.register(
                sb.registrationUrl(),
                ClientRegistrarTest.metadata(
                    "none", List.of("authorization_code", "refresh_token")),
                null,
                http)
            .join();
    assertThat(client.clientSecret()).isNull();
    var req =
        new PkceLogin.Request(
            sb.authorizationUrl(),
            sb.tokenUrl(),
            client.clientId(),
            null,
            null,
            null,
            List.of("S256"),
            0,
            "/callback");
    try (PkceLogin login = PkceLogin.start(req, http)) {
      browser.follow(login.authorizationUrl());
      assertThat(login.result().join().refreshToken()).isNotNull();
    }
  }

  @Test
  void closingAnUnfinishedLoginFailsItAsClosed() {
    PkceLogin login = PkceLogin.start(request(null, List.of("S256")), http);
    login.close();
    assertThat(failure(login.result()).kind()).isEqualTo(Kind.CLOSED);
    assertThat(login.toString() + request(null, List.of()))
        .doesNotContain(SandboxSupport.CLIENT_SECRET);
    assertThat(Tests.messages(failure(login.result())))
        .doesNotContain(SandboxSupport.CLIENT_SECRET);
  }
}
