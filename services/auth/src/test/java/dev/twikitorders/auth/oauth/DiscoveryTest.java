package dev.twikitorders.auth.oauth;

import static dev.twikitorders.auth.Tests.failure;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import dev.twikitorders.auth.AuthEvents;
import dev.twikitorders.auth.AuthException;
import dev.twikitorders.auth.AuthException.Kind;
import dev.twikitorders.auth.AuthSettings;
import dev.twikitorders.auth.CannedServer;
import dev.twikitorders.auth.ClientAuthMethod;
import dev.twikitorders.auth.MutableClock;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.Tests;
import dev.twikitorders.auth.TokenEndpoint;
import dev.twikitorders.auth.http.JdkAuthHttp;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * RFC 8414 discovery against canned servers: the document shapes the sandbox never serves (another
 * issuer, a path issuer, a redirect, an outage) and the lazy, cached resolution by the token
 * manager. The sandbox's own documents are covered by {@code SandboxOAuthTest}.
 */
class DiscoveryTest {

  private static final String OAUTH = "/.well-known/oauth-authorization-server";
  private static final String OPENID = "/.well-known/openid-configuration";

  private CannedServer server;
  private JdkAuthHttp http;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger authLogger = (Logger) LoggerFactory.getLogger("dev.twikitorders.auth");

  @BeforeEach
  void start() throws Exception {
    server = new CannedServer();
    http = new JdkAuthHttp(null, Duration.ofSeconds(2), Duration.ofSeconds(5), 100_000);
    logs.start();
    authLogger.addAppender(logs);
  }

  @AfterEach
  void stop() {
    authLogger.detachAppender(logs);
    http.close();
    server.close();
  }

  private String issuer() {
    return server.url("").toString();
  }

  private String document(String issuer, String tokenEndpoint) {
    return "{\"issuer\":\""
        + issuer
        + "\""
        + (tokenEndpoint == null ? "" : ",\"token_endpoint\":\"" + tokenEndpoint + "\"")
        + ",\"authorization_endpoint\":\""
        + issuer
        + "/oauth2/authorize\",\"response_types_supported\":[\"code\"]"
        + ",\"code_challenge_methods_supported\":[\"S256\"]}";
  }

  @Test
  void readsTheRfc8414Document() {
    server.on(OAUTH, CannedServer.json(200, document(issuer(), issuer() + "/oauth2/token")));
    AuthorizationServerMetadata m = Discovery.resolve(server.url(""), http).join();
    assertThat(m.getTokenEndpointURI()).isEqualTo(server.url("/oauth2/token"));
    assertThat(m.getCodeChallengeMethods()).extracting(Object::toString).containsExactly("S256");
    assertThat(server.received()).extracting(CannedServer.Received::path).containsExactly(OAUTH);
    assertThat(server.received().get(0).header("Accept")).isEqualTo("application/json");
  }

  @Test
  void fallsBackToOpenIdConfigurationOn404() {
    server.on(OPENID, CannedServer.json(200, document(issuer(), issuer() + "/token")));
    AuthorizationServerMetadata m = Discovery.resolve(server.url(""), http).join();
    assertThat(m.getTokenEndpointURI()).isEqualTo(server.url("/token"));
    assertThat(server.received())
        .extracting(CannedServer.Received::path)
        .containsExactly(OAUTH, OPENID);
  }

  @Test
  void anIssuerWithAPathGetsTheWellKnownPathInsertedBeforeIt() {
    URI issuer = server.url("/tenants/a");
    assertThat(Discovery.oauthMetadataUrl(issuer)).isEqualTo(server.url(OAUTH + "/tenants/a"));
    assertThat(Discovery.openidMetadataUrl(issuer)).isEqualTo(server.url("/tenants/a" + OPENID));
    server.on(
        OAUTH + "/tenants/a",
        CannedServer.json(200, document(issuer.toString(), issuer + "/token")));
    assertThat(Discovery.resolve(issuer, http).join().getTokenEndpointURI())
        .isEqualTo(server.url("/tenants/a/token"));
  }

  @Test
  void noDocumentAtEitherPathIsAnInvalidResponseNamingBoth() {
    AuthException e = failure(Discovery.resolve(server.url(""), http));
    assertThat(e.kind()).isEqualTo(Kind.INVALID_RESPONSE);
    assertThat(e.status()).isEqualTo(404);
    assertThat(e.getMessage())
        .contains(server.url(OAUTH).toString(), server.url(OPENID).toString());
  }

  @Test
  void aDocumentWithoutTokenEndpointNamesTheFieldAndTheUrl() {
    server.on(OAUTH, CannedServer.json(200, document(issuer(), null)));
    AuthException e = failure(Discovery.resolve(server.url(""), http));
    assertThat(e.kind()).isEqualTo(Kind.INVALID_RESPONSE);
    assertThat(e.getMessage()).contains("token_endpoint", server.url(OAUTH).toString());
  }

  @Test
  void aDocumentOfAnotherIssuerIsRefused() {
    server.on(
        OAUTH, CannedServer.json(200, document("https://evil.example", "https://evil.example/t")));
    AuthException e = failure(Discovery.resolve(server.url(""), http));
    assertThat(e.kind()).isEqualTo(Kind.INVALID_RESPONSE);
    assertThat(e.getMessage())
        .contains("issuer 'https://evil.example'", "configured issuer '" + issuer() + "'");
  }

  @Test
  void notJsonRedirectAndOutageAreClassified() {
    server.on(OAUTH, CannedServer.body(200, "text/html", "<html/>".getBytes(), false));
    assertThat(failure(Discovery.resolve(server.url(""), http)).kind())
        .isEqualTo(Kind.INVALID_RESPONSE);

    server.on(OAUTH, CannedServer.redirect(302, "https://login.example/sso?session=s3cr3t"));
    AuthException redirect = failure(Discovery.resolve(server.url(""), http));
    assertThat(redirect.kind()).isEqualTo(Kind.INVALID_RESPONSE);
    assertThat(redirect.getMessage())
        .contains("302", "host 'login.example'")
        .doesNotContain("s3cr3t");

    server.on(
        OAUTH,
        CannedServer.withHeader("Retry-After", "7", CannedServer.json(503, "{\"error\":\"x\"}")));
    AuthException outage = failure(Discovery.resolve(server.url(""), http));
    assertThat(outage.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(outage.retryAfter()).contains(Duration.ofSeconds(7));
  }

  @Test
  void theTokenManagerDiscoversLazilyOnceAndTreatsAFailedDiscoveryAsAFailedStep() {
    MutableClock clock = MutableClock.fixed(Instant.parse("2026-03-01T12:00:00Z"));
    List<String> metadataOutcomes = new CopyOnWriteArrayList<>();
    AuthEvents events =
        new AuthEvents() {
          @Override
          public void metadataRequest(String outcome) {
            metadataOutcomes.add(outcome);
          }
        };
    server.on(OAUTH, CannedServer.json(503, "{}")).on("/oauth2/token", CannedServer.token("tk-1"));
    ScheduledExecutorService scheduler = Tests.scheduler();
    var settings =
        new AuthSettings.ClientCredentials(
            TokenEndpoint.discover(server.url("")),
            "client-d",
            Secret.of("secret-d-123"),
            ClientAuthMethod.CLIENT_SECRET_BASIC,
            null);
    try (TokenManager tm =
        TokenManager.clientCredentials(settings, http, scheduler, events, clock)) {
      assertThat(server.received()).isEmpty(); // nothing before the first token is needed
      assertThat(tm.describe()).contains("client-d", "discovered from issuer " + issuer());

      AuthException first = failure(tm.credentials());
      assertThat(first.kind()).isEqualTo(Kind.UNAVAILABLE);
      assertThat(first.getMessage()).contains("metadata endpoint", "client id 'client-d'");
      AuthException fast = failure(tm.credentials());
      assertThat(fast.getMessage()).contains("failing fast");
      assertThat(server.received()).hasSize(1);
      assertThat(logs.list)
          .filteredOn(e -> e.getLevel() == Level.WARN)
          .singleElement()
          .extracting(ILoggingEvent::getFormattedMessage)
          .asString()
          .contains("client id 'client-d'", "failed (HTTP 503)", "(step 1)");

      server.on(OAUTH, CannedServer.json(200, document(issuer(), issuer() + "/oauth2/token")));
      clock.advance(first.retryAfter().orElseThrow());
      assertThat(tm.credentials().join().headers().get(0).value().revealAsString())
          .isEqualTo("Bearer tk-1");
      clock.advance(Duration.ofHours(2)); // expired: a new token, but no new discovery
      tm.credentials().join();
      assertThat(server.received())
          .extracting(CannedServer.Received::path)
          .containsExactly(OAUTH, OAUTH, "/oauth2/token", "/oauth2/token");
      assertThat(metadataOutcomes).containsExactly("server_error", "success");
      assertThat(tm.describe()).contains(server.url("/oauth2/token").toString());
      assertThat(logs.list)
          .filteredOn(e -> e.getLevel() == Level.INFO)
          .extracting(ILoggingEvent::getFormattedMessage)
          .singleElement()
          .asString()
          .contains("again after 1 failed token request(s)");
    } finally {
      scheduler.shutdownNow();
    }
  }
}
