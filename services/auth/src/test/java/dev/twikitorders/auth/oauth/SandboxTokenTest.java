package dev.twikitorders.auth.oauth;

import static dev.twikitorders.auth.Tests.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import dev.twikitorders.auth.AuthEvents;
import dev.twikitorders.auth.AuthException;
import dev.twikitorders.auth.AuthException.Kind;
import dev.twikitorders.auth.AuthSettings;
import dev.twikitorders.auth.Authenticator;
import dev.twikitorders.auth.Authenticators;
import dev.twikitorders.auth.Browser;
import dev.twikitorders.auth.ClientAuthMethod;
import dev.twikitorders.auth.Credentials;
import dev.twikitorders.auth.SandboxSupport;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.Tests;
import dev.twikitorders.auth.TokenEndpoint;
import dev.twikitorders.auth.http.JdkAuthHttp;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.sandbox.faults.MetadataMode;
import dev.twikitorders.testpki.TestPki;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client credentials grant and RFC 8414 discovery against the sandbox's authorization server:
 * both client authentication methods, every discovery variant it serves, and HTTPS with and without
 * a client certificate.
 */
class SandboxTokenTest {

  private static TwikitSandbox sb;
  private static ScheduledExecutorService scheduler;
  private JdkAuthHttp http;
  private final Browser browser = SandboxSupport.browser();

  @BeforeAll
  static void startSandbox() {
    sb = SandboxSupport.start();
    scheduler = Tests.scheduler();
  }

  @AfterAll
  static void stopSandbox() {
    scheduler.shutdownNow();
    sb.close();
  }

  @BeforeEach
  void reset() {
    sb.reset();
    http = SandboxSupport.https();
  }

  @AfterEach
  void closeHttp() {
    http.close();
    browser.close();
  }

  private Authenticator clientCredentials(
      TokenEndpoint endpoint, String secret, ClientAuthMethod method, JdkAuthHttp via) {
    return Authenticators.create(
        new AuthSettings.ClientCredentials(
            endpoint, SandboxSupport.CLIENT_ID, Secret.of(secret), method, null),
        via,
        scheduler,
        AuthEvents.NOOP,
        Clock.systemUTC());
  }

  @Test
  void bothClientAuthenticationMethodsGetTokensTheApiAccepts() {
    for (ClientAuthMethod method : ClientAuthMethod.values()) {
      try (Authenticator auth =
          clientCredentials(
              TokenEndpoint.at(sb.tokenUrl()), SandboxSupport.CLIENT_SECRET, method, http)) {
        Credentials c = auth.credentials().join();
        assertThat(browser.get(SandboxSupport.protectedUrl(sb), c)).isEqualTo(200);
      }
    }
    assertThat(sb.counters().tokensIssued()).isEqualTo(2);
  }

  /**
   * A token the API no longer accepts (revoked, or expired on the server's clock): the 401 is
   * answered with one new token, shared by every caller rejected with the old one.
   */
  @Test
  void aTokenTheApiNoLongerAcceptsIsRenewedOnceAndTheNewOneWorks() {
    try (Authenticator auth =
        clientCredentials(
            TokenEndpoint.at(sb.tokenUrl()),
            SandboxSupport.CLIENT_SECRET,
            ClientAuthMethod.CLIENT_SECRET_BASIC,
            http)) {
      Credentials old = auth.credentials().join();
      URI url = SandboxSupport.protectedUrl(sb);
      assertThat(browser.get(url, old)).isEqualTo(200);
      sb.revokeAllTokens();
      assertThat(browser.get(url, old)).isEqualTo(401);
      Credentials fresh = auth.renewAfterRejection(old).join();
      assertThat(auth.renewAfterRejection(old).join()).isSameAs(fresh);
      assertThat(fresh).isNotSameAs(old);
      assertThat(browser.get(url, fresh)).isEqualTo(200);
      assertThat(auth.credentials().join()).isSameAs(fresh);
    }
    assertThat(sb.counters().tokensIssued()).isEqualTo(2);
  }

  @Test
  void aWrongSecretIsCredentialsRejectedWithInvalidClient() {
    try (Authenticator auth =
        clientCredentials(
            TokenEndpoint.at(sb.tokenUrl()),
            "wrong-secret-77",
            ClientAuthMethod.CLIENT_SECRET_POST,
            http)) {
      AuthException e = failure(auth.credentials());
      assertThat(e.kind()).isEqualTo(Kind.CREDENTIALS_REJECTED);
      assertThat(e.code()).contains("invalid_client");
      assertThat(Tests.messages(e)).doesNotContain("wrong-secret-77");
    }
  }

  @Test
  void discoversTheTokenEndpointFromTheSandboxMetadata() {
    AuthorizationServerMetadata m = Discovery.resolve(sb.issuerUrl(), http).join();
    assertThat(m.getTokenEndpointURI()).isEqualTo(sb.tokenUrl());
    assertThat(m.getAuthorizationEndpointURI()).isEqualTo(sb.authorizationUrl());
    assertThat(m.getRegistrationEndpointURI()).isEqualTo(sb.registrationUrl());
    assertThat(m.getCodeChallengeMethods()).extracting(Object::toString).containsExactly("S256");
    try (Authenticator auth =
        clientCredentials(
            TokenEndpoint.discover(sb.issuerUrl()),
            SandboxSupport.CLIENT_SECRET,
            ClientAuthMethod.CLIENT_SECRET_BASIC,
            http)) {
      assertThat(browser.get(SandboxSupport.protectedUrl(sb), auth.credentials().join()))
          .isEqualTo(200);
      assertThat(auth.describe()).contains(sb.tokenUrl().toString());
    }
  }

  @Test
  void fallsBackToTheOpenIdConfiguration() {
    sb.setMetadataMode(MetadataMode.OPENID);
    assertThat(Discovery.resolve(sb.issuerUrl(), http).join().getTokenEndpointURI())
        .isEqualTo(sb.tokenUrl());
  }

  @Test
  void noMetadataOrNoTokenEndpointIsAnInvalidResponseNamingTheUrl() {
    sb.setMetadataMode(MetadataMode.NONE);
    AuthException none = failure(Discovery.resolve(sb.issuerUrl(), http));
    assertThat(none.kind()).isEqualTo(Kind.INVALID_RESPONSE);
    assertThat(none.getMessage()).contains(sb.metadataUrl().toString(), "openid-configuration");

    sb.setMetadataMode(MetadataMode.MISSING_TOKEN_ENDPOINT);
    try (Authenticator auth =
        clientCredentials(
            TokenEndpoint.discover(sb.issuerUrl()),
            SandboxSupport.CLIENT_SECRET,
            ClientAuthMethod.CLIENT_SECRET_BASIC,
            http)) {
      AuthException e = failure(auth.credentials());
      assertThat(e.kind()).isEqualTo(Kind.INVALID_RESPONSE);
      assertThat(e.getMessage()).contains("token_endpoint", sb.metadataUrl().toString());
    }
    assertThat(sb.counters().tokensIssued()).isZero();
  }

  @Test
  void httpsAndMutualTls(@TempDir Path dir) {
    TestPki pki = TestPki.create(dir);
    try (TwikitSandbox tls =
            SandboxSupport.start(b -> b.tls(pki.serverCertPem(), pki.serverKeyPem()));
        TwikitSandbox mtls =
            SandboxSupport.start(
                b -> b.tls(pki.serverCertPem(), pki.serverKeyPem()).clientCaFile(pki.caCertPem()));
        JdkAuthHttp trusting = SandboxSupport.http(pki.clientContext(false));
        JdkAuthHttp withCert = SandboxSupport.http(pki.clientContext(true));
        JdkAuthHttp jvmDefaults = SandboxSupport.https()) {
      assertThat(tls.issuerUrl().getScheme()).isEqualTo("https");
      for (var c :
          new Object[][] {
            {tls, trusting, null},
            {mtls, withCert, null},
            {tls, jvmDefaults, Kind.UNAVAILABLE},
            {mtls, trusting, Kind.UNAVAILABLE}
          }) {
        TwikitSandbox server = (TwikitSandbox) c[0];
        try (Authenticator auth =
            clientCredentials(
                TokenEndpoint.discover(server.issuerUrl()),
                SandboxSupport.CLIENT_SECRET,
                ClientAuthMethod.CLIENT_SECRET_BASIC,
                (JdkAuthHttp) c[1])) {
          if (c[2] == null) {
            assertThat(auth.credentials().join().headers()).hasSize(1);
          } else {
            assertThat(failure(auth.credentials()).kind()).isEqualTo(c[2]);
          }
        }
      }
      assertThat(tls.counters().tokensIssued()).isEqualTo(1);
      assertThat(mtls.counters().tokensIssued()).isEqualTo(1);
    }
  }
}
