package dev.twikitorders.twikit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.twikitorders.auth.Secret;
import dev.twikitorders.twikit.TwikitException.Kind;
import dev.twikitorders.twikit.model.BatchUpdateResult;
import dev.twikitorders.twikit.model.ConfigurationUpdate;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Answers no healthy Twikit gives: oversized bodies, redirects, HTML pages, batch results that lose
 * ids. All fail as {@link Kind#INVALID_RESPONSE} at once, without retries.
 */
class StrictResponsesTest {

  private static final int LIMIT = 1000;

  private CannedServer server;

  @BeforeEach
  void start() throws Exception {
    server = new CannedServer().on("/oauth2/token", CannedServer.token());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private TwikitClientConfig.Builder config() {
    return TwikitClientConfig.builder()
        .apiUrl(server.url(""))
        .tokenUrl(server.url("/oauth2/token"))
        .clientId("demo")
        .clientSecret(Secret.of("canned-secret-1"))
        .maxResponseBytes(LIMIT);
  }

  private static TwikitException failure(CompletableFuture<?> call) {
    return TwikitException.unwrap(catchThrowable(call::join)).orElseThrow();
  }

  /** A status JSON of exactly {@code size} bytes. */
  private static byte[] statusOfSize(int size) {
    String head = "{\"status\":\"ok\",\"version\":\"";
    String tail = "\"}";
    return (head + "v".repeat(size - head.length() - tail.length()) + tail)
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void defaultLimitIsFourMebibytes() {
    assertThat(config().maxResponseBytes(TwikitClientConfig.DEFAULT_MAX_RESPONSE_BYTES).build())
        .extracting(TwikitClientConfig::maxResponseBytes)
        .isEqualTo(4_194_304);
    assertThat(
            TwikitClientConfig.builder()
                .apiUrl("https://a")
                .tokenUrl("https://b")
                .clientId("c")
                .clientSecret(Secret.of("d"))
                .build()
                .maxResponseBytes())
        .isEqualTo(4_194_304);
  }

  @Test
  void aBodyAtTheLimitIsReadAndOneByteMoreIsRefusedWithAndWithoutContentLength() {
    try (TwikitApi api = TwikitClient.create(config().build())) {
      for (boolean chunked : new boolean[] {false, true}) {
        server.on(
            "/status", CannedServer.body(200, "application/json", statusOfSize(LIMIT), chunked));
        assertThat(api.status().join().isOk()).isTrue();

        server.on(
            "/status",
            CannedServer.body(200, "application/json", statusOfSize(LIMIT + 1), chunked));
        int before = server.hits("/status");
        TwikitException e = failure(api.status());
        assertThat(e.kind()).isEqualTo(Kind.INVALID_RESPONSE);
        assertThat(e.kind().isSystemic()).isTrue();
        assertThat(e.httpStatus()).isEqualTo(200);
        assertThat(e.attempts()).isEqualTo(1);
        assertThat(e.getMessage()).contains("larger than " + LIMIT + " bytes");
        if (!chunked) {
          assertThat(e.getMessage()).contains("Content-Length " + (LIMIT + 1));
        }
        assertThat(server.hits("/status") - before).isEqualTo(1); // not retried
      }
    }
  }

  @Test
  void anOversizedErrorBodyIsRefusedToo() {
    server.on(
        "/status", CannedServer.body(503, "text/html", new byte[LIMIT * 50], /* chunked= */ true));
    try (TwikitApi api = TwikitClient.create(config().build())) {
      TwikitException e = failure(api.status());
      assertThat(e.kind()).isEqualTo(Kind.INVALID_RESPONSE);
      assertThat(e.httpStatus()).isEqualTo(503);
      assertThat(server.hits("/status")).isEqualTo(1);
    }
  }

  @Test
  void anOversizedTokenResponseIsAnInvalidResponse() {
    server.on(
        "/oauth2/token",
        CannedServer.json(
            200, "{\"access_token\":\"" + "x".repeat(LIMIT) + "\",\"token_type\":\"Bearer\"}"));
    try (TwikitApi api = TwikitClient.create(config().build())) {
      TwikitException e = failure(api.summary("1c0ffee0-0000-4000-8000-000000000001"));
      assertThat(e.kind()).isEqualTo(Kind.INVALID_RESPONSE);
      assertThat(e.getMessage()).contains("token endpoint", "larger than " + LIMIT + " bytes");
      assertThat(server.hits("/oauth2/token")).isEqualTo(1);
    }
  }

  @Test
  void aRedirectIsNotFollowedAndNamesOnlyStatusAndHost() {
    server
        .on(
            "/status",
            CannedServer.redirect(
                302, "http://localhost:" + server.port() + "/landing?session=s3cr3t-42"))
        .on("/landing", CannedServer.json(200, "{\"status\":\"ok\"}"));
    try (TwikitApi api = TwikitClient.create(config().build())) {
      TwikitException e = failure(api.status());
      assertThat(e.kind()).isEqualTo(Kind.INVALID_RESPONSE);
      assertThat(e.httpStatus()).isEqualTo(302);
      assertThat(e.attempts()).isEqualTo(1);
      assertThat(e.getMessage())
          .contains("redirect HTTP 302", "host 'localhost'")
          .doesNotContain("session", "s3cr3t", "landing");
      assertThat(server.hits("/landing")).isZero();
      assertThat(server.hits("/status")).isEqualTo(1);
    }
  }

  @Test
  void aRedirectingTokenEndpointIsAnInvalidResponse() {
    server.on("/oauth2/token", CannedServer.redirect(307, "https://sso.portal.example/x?y=z"));
    try (TwikitApi api = TwikitClient.create(config().build())) {
      TwikitException e = failure(api.summary("1c0ffee0-0000-4000-8000-000000000001"));
      assertThat(e.kind()).isEqualTo(Kind.INVALID_RESPONSE);
      assertThat(e.operation()).isEqualTo(TwikitOperation.SUMMARY);
      assertThat(e.getMessage()).contains("307", "host 'sso.portal.example'").doesNotContain("y=z");
    }
  }

  @Test
  void anHtmlPageWithStatus200IsAnInvalidResponseNamingItsContentType() {
    server.on(
        "/status",
        CannedServer.body(
            200,
            "text/html; charset=utf-8",
            "<html><body>Please log in</body></html>".getBytes(StandardCharsets.UTF_8),
            false));
    try (TwikitApi api = TwikitClient.create(config().build())) {
      TwikitException e = failure(api.status());
      assertThat(e.kind()).isEqualTo(Kind.INVALID_RESPONSE);
      assertThat(e.getMessage()).contains("Content-Type text/html");
      assertThat(server.hits("/status")).isEqualTo(1);
    }
  }

  @Test
  void aBatchResultMustAccountForEveryRequestedId() {
    String a = "1c0ffee0-0000-4000-8000-00000000000a";
    String b = "1c0ffee0-0000-4000-8000-00000000000b";
    List<ConfigurationUpdate> updates =
        List.of(
            ConfigurationUpdate.linkToOrder(a, "o-1"), ConfigurationUpdate.linkToOrder(b, "o-1"));
    try (TwikitApi api = TwikitClient.create(config().build())) {
      server.on("/configurations", CannedServer.json(200, "{}"));
      TwikitException empty = failure(api.updateMany(updates));
      assertThat(empty.kind()).isEqualTo(Kind.INVALID_RESPONSE);
      assertThat(empty.getMessage()).contains("batch result does not account for ids", a, b);

      server.on("/configurations", CannedServer.json(200, "{\"updated\":[\"" + a + "\"]}"));
      TwikitException partial = failure(api.updateMany(updates));
      assertThat(partial.getMessage()).contains(b).doesNotContain(a);

      server.on(
          "/configurations",
          CannedServer.json(200, "{\"updated\":[\"" + a + "\"],\"notFound\":[\"" + b + "\"]}"));
      BatchUpdateResult ok = api.updateMany(updates).join();
      assertThat(ok.updated()).containsExactly(a);
      assertThat(ok.notFound()).containsExactly(b);
      assertThat(server.hits("/configurations")).isEqualTo(3);
    }
  }

  @Test
  void systemicKindsAreExactlyTheOnesAboutTheWholeSystem() {
    EnumSet<Kind> systemic = EnumSet.noneOf(Kind.class);
    for (Kind k : Kind.values()) {
      if (k.isSystemic()) {
        systemic.add(k);
        assertThat(k.isTransient()).isFalse();
      }
    }
    assertThat(systemic)
        .containsExactlyInAnyOrder(
            Kind.UNAUTHORIZED, Kind.FORBIDDEN, Kind.INVALID_RESPONSE, Kind.CREDENTIALS_REJECTED);
  }
}
