package dev.twikitorders.auth.oauth;

import static dev.twikitorders.auth.Tests.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.auth.AuthEvents;
import dev.twikitorders.auth.AuthException;
import dev.twikitorders.auth.AuthException.Kind;
import dev.twikitorders.auth.AuthSettings;
import dev.twikitorders.auth.Authenticator;
import dev.twikitorders.auth.Authenticators;
import dev.twikitorders.auth.CannedServer;
import dev.twikitorders.auth.ClientAuthMethod;
import dev.twikitorders.auth.Credentials;
import dev.twikitorders.auth.MutableClock;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.Tests;
import dev.twikitorders.auth.TokenEndpoint;
import dev.twikitorders.auth.http.JdkAuthHttp;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client credentials token request on the wire (client_secret_basic and client_secret_post),
 * the events the manager reports and its answers to refusals and closing, against a canned token
 * endpoint that records what it received.
 */
class TokenRequestTest {

  private static final String SECRET = "s3cret:with&special=chars";

  private CannedServer server;
  private JdkAuthHttp http;
  private ScheduledExecutorService scheduler;
  private final MutableClock clock = MutableClock.fixed(Instant.parse("2026-03-01T12:00:00Z"));
  private final List<String> outcomes = new CopyOnWriteArrayList<>();
  private final List<Instant> obtained = new CopyOnWriteArrayList<>();
  private final AuthEvents events =
      new AuthEvents() {
        @Override
        public void tokenRequest(String outcome) {
          outcomes.add(outcome);
        }

        @Override
        public void tokenObtained(Instant expiresAt) {
          obtained.add(expiresAt);
        }
      };

  @BeforeEach
  void start() throws Exception {
    server = new CannedServer().on("/token", CannedServer.token("access-1"));
    http = new JdkAuthHttp(null, Duration.ofSeconds(2), Duration.ofSeconds(5), 100_000);
    scheduler = Tests.scheduler();
  }

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
    http.close();
    server.close();
  }

  private Authenticator manager(ClientAuthMethod method, String scope) {
    return Authenticators.create(
        new AuthSettings.ClientCredentials(
            TokenEndpoint.at(server.url("/token")),
            "client id/1",
            Secret.of(SECRET),
            method,
            scope),
        http,
        scheduler,
        events,
        clock);
  }

  private static String form(String body, String name) {
    for (String pair : body.split("&")) {
      String[] kv = pair.split("=", 2);
      if (URLDecoder.decode(kv[0], StandardCharsets.UTF_8).equals(name)) {
        return URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  @Test
  void clientSecretBasicSendsFormEncodedIdAndSecretInTheAuthorizationHeader() {
    try (Authenticator auth = manager(ClientAuthMethod.CLIENT_SECRET_BASIC, "read write")) {
      Credentials c = auth.credentials().join();
      assertThat(c.headers().get(0).value().revealAsString()).isEqualTo("Bearer access-1");
      assertThat(c.expiresAt()).contains(clock.instant().plusSeconds(3600));
      CannedServer.Received r = server.received("/token").get(0);
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
      String basic = r.header("Authorization");
      assertThat(basic).startsWith("Basic ");
      String decoded =
          new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8);
      // RFC 6749 section 2.3.1: both parts form-urlencoded before Basic encoding
      String[] idSecret = decoded.split(":", 2);
      assertThat(URLDecoder.decode(idSecret[0], StandardCharsets.UTF_8)).isEqualTo("client id/1");
      assertThat(URLDecoder.decode(idSecret[1], StandardCharsets.UTF_8)).isEqualTo(SECRET);
      assertThat(form(r.body(), "grant_type")).isEqualTo("client_credentials");
      assertThat(form(r.body(), "scope")).isEqualTo("read write");
      assertThat(form(r.body(), "client_secret")).isNull();
      assertThat(outcomes).containsExactly("success");
      assertThat(obtained).containsExactly(clock.instant().plusSeconds(3600));
    }
  }

  @Test
  void clientSecretPostSendsIdAndSecretInTheBodyAndNoAuthorizationHeader() {
    try (Authenticator auth = manager(ClientAuthMethod.CLIENT_SECRET_POST, null)) {
      auth.credentials().join();
      CannedServer.Received r = server.received("/token").get(0);
      assertThat(r.header("Authorization")).isNull();
      assertThat(form(r.body(), "client_id")).isEqualTo("client id/1");
      assertThat(form(r.body(), "client_secret")).isEqualTo(SECRET);
      assertThat(form(r.body(), "grant_type")).isEqualTo("client_credentials");
      assertThat(form(r.body(), "scope")).isNull();
    }
  }

  @Test
  void aRefusalIsCredentialsRejectedWithCodeClientAndEndpointButNeverTheSecret() {
    server.on(
        "/token",
        CannedServer.json(
            401,
            "{\"error\":\"invalid_client\",\"error_description\":\"bad secret "
                + SECRET.replace("&", "\\u0026")
                + "\"}"));
    try (Authenticator auth = manager(ClientAuthMethod.CLIENT_SECRET_BASIC, null)) {
      AuthException e = failure(auth.credentials());
      assertThat(e.kind()).isEqualTo(Kind.CREDENTIALS_REJECTED);
      assertThat(e.kind().needsOperator()).isTrue();
      assertThat(e.status()).isEqualTo(401);
      assertThat(e.code()).contains("invalid_client");
      assertThat(e.retryAfter()).isPresent();
      assertThat(e.getMessage())
          .contains("client id 'client id/1'", server.url("/token").toString())
          .doesNotContain(SECRET)
          .doesNotContain("bad secret"); // the description echoed the secret: dropped
      assertThat(outcomes).containsExactly("rejected");
    }
  }

  @Test
  void oversizedAndNonTokenAnswersAreInvalidResponses() {
    server.on(
        "/token", CannedServer.json(200, "{\"access_token\":\"" + "x".repeat(200_000) + "\"}"));
    try (Authenticator auth = manager(ClientAuthMethod.CLIENT_SECRET_BASIC, null)) {
      AuthException big = failure(auth.credentials());
      assertThat(big.kind()).isEqualTo(Kind.INVALID_RESPONSE);
      assertThat(big.getMessage()).contains("larger than 100000 bytes");
    }
    server.on("/token", CannedServer.json(200, "{\"hello\":\"world\"}"));
    try (Authenticator auth = manager(ClientAuthMethod.CLIENT_SECRET_BASIC, null)) {
      AuthException notToken = failure(auth.credentials());
      assertThat(notToken.kind()).isEqualTo(Kind.INVALID_RESPONSE);
      assertThat(notToken.getMessage()).contains("without a valid token response");
    }
    assertThat(outcomes).containsExactly("invalid_response", "invalid_response");
  }

  @Test
  void aRejectionOfStaleCredentialsIsAnsweredWithTheCurrentOnesWithoutARequest() {
    try (Authenticator auth = manager(ClientAuthMethod.CLIENT_SECRET_BASIC, null)) {
      Credentials first = auth.credentials().join();
      server.on("/token", CannedServer.token("access-2"));
      Credentials second = auth.renewAfterRejection(first).join();
      assertThat(second.headers().get(0).value().revealAsString()).isEqualTo("Bearer access-2");
      // a late 401 for the first credentials: the second ones are current, no new request
      assertThat(auth.renewAfterRejection(first).join()).isSameAs(second);
      assertThat(server.received("/token")).hasSize(2);
    }
  }

  @Test
  void closedManagerFailsAsClosed() {
    Authenticator auth = manager(ClientAuthMethod.CLIENT_SECRET_BASIC, null);
    Credentials c = auth.credentials().join();
    auth.close();
    assertThat(failure(auth.credentials()).kind()).isEqualTo(Kind.CLOSED);
    assertThat(failure(auth.renewAfterRejection(c)).kind()).isEqualTo(Kind.CLOSED);
    assertThat(auth + " " + auth.describe() + " " + c).doesNotContain(SECRET, "access-1");
  }
}
