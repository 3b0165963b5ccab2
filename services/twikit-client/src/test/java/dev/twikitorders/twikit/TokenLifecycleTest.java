package dev.twikitorders.twikit;

import static dev.twikitorders.twikit.SandboxSupport.CLIENT_ID;
import static dev.twikitorders.twikit.SandboxSupport.config;
import static dev.twikitorders.twikit.SandboxSupport.knownId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.twikitorders.auth.ClientAuthMethod;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.sandbox.api.Operation;
import dev.twikitorders.twikit.TwikitException.Kind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Token caching, renewal, single flight, 401 handling and rejected credentials (RFC 6749 section
 * 4.4).
 */
class TokenLifecycleTest {

  private static TwikitSandbox sb;

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
  }

  private static List<CompletableFuture<?>> fire(TwikitApi api, int n) {
    List<CompletableFuture<?>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      calls.add(api.compatibility(knownId()));
    }
    return calls;
  }

  private static void joinAll(List<CompletableFuture<?>> calls) {
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
  }

  @Test
  void oneTokenRequestServesAThousandCalls() {
    try (TwikitApi api = TwikitClient.create(config(sb).build())) {
      joinAll(fire(api, 1000));
      assertThat(sb.counters().tokensIssued()).isEqualTo(1);
      assertThat(sb.counters().requests(Operation.COMPATIBILITY, 200)).isEqualTo(1000);
    }
  }

  @Test
  void renewsAheadOfExpiryWithoutEverSendingAnExpiredToken() {
    sb.setTokenTtl(Duration.ofSeconds(3));
    try (TwikitApi api = TwikitClient.create(config(sb).build())) {
      api.summary(knownId()).join();
      assertThat(sb.counters().tokensIssued()).isEqualTo(1);
      // keep calling until the client has renewed twice; every call must succeed
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> api.summary(knownId()).join() != null && sb.counters().tokensIssued() >= 3);
      assertThat(sb.counters().requests(Operation.SUMMARY, 401)).isZero();
    }
  }

  @Test
  void tokenExpiryGaugeCountsDownFromTheTokenInUse() {
    sb.setTokenTtl(Duration.ofSeconds(600));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MutableClock clock = MutableClock.fixed(java.time.Instant.parse("2026-03-01T12:00:00Z"));
    try (TwikitApi api =
        TwikitClient.create(config(sb).clock(clock).meterRegistry(registry).build())) {
      double before = registry.get("twikit.client.token.expires.in.seconds").gauge().value();
      assertThat(before).isNaN(); // no token yet
      assertThat(registry.get("twikit.client.token.obtained.timestamp.seconds").gauge().value())
          .isNaN();
      api.summary(knownId()).join();
      // the last renewal: when the token in use was obtained, on the client's clock
      assertThat(registry.get("twikit.client.token.obtained.timestamp.seconds").gauge().value())
          .isEqualTo(java.time.Instant.parse("2026-03-01T12:00:00Z").getEpochSecond());
      double first = registry.get("twikit.client.token.expires.in.seconds").gauge().value();
      // expires_in is 600 s, counted from the client's (fixed) clock
      assertThat(first).isPositive().isLessThanOrEqualTo(600.0);
      clock.advance(Duration.ofSeconds(100));
      assertThat(registry.get("twikit.client.token.expires.in.seconds").gauge().value())
          .isCloseTo(first - 100.0, org.assertj.core.data.Offset.offset(0.001));
    }
  }

  @Test
  void twoHundredConcurrentCallersAtExpiryCauseExactlyOneTokenRequest() {
    MutableClock clock = MutableClock.ticking();
    try (TwikitApi api = TwikitClient.create(config(sb).clock(clock).build())) {
      api.summary(knownId()).join();
      assertThat(sb.counters().tokensIssued()).isEqualTo(1);
      clock.advance(Duration.ofHours(2)); // the cached token is now past its expiry
      joinAll(fire(api, 200));
      assertThat(sb.counters().tokensIssued()).isEqualTo(2);
      assertThat(sb.counters().requests(Operation.COMPATIBILITY, 200)).isEqualTo(200);
    }
  }

  @Test
  void a401RenewsTheTokenOnceAndRetriesTheCallOnce() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (TwikitApi api = TwikitClient.create(config(sb).meterRegistry(registry).build())) {
      // tokens issued now are already expired: the call gets 401, renews once, retries once, gives
      // up
      sb.setTokenTtl(Duration.ZERO);
      String id = knownId();
      TwikitException e =
          TwikitException.unwrap(catchThrowable(() -> api.filtered(id).join())).orElseThrow();
      assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED);
      assertThat(e.httpStatus()).isEqualTo(401);
      assertThat(e.attempts()).isEqualTo(2);
      assertThat(e.errorCode()).contains("invalid_token");
      assertThat(sb.counters().tokensIssued()).isEqualTo(2);
      assertThat(sb.counters().requests(Operation.FILTERED, 401)).isEqualTo(2);

      // valid tokens again: the stale cached token gets one 401, one renewal, one successful retry
      sb.setTokenTtl(Duration.ofHours(1));
      assertThat(api.filtered(id).join().uuid()).isEqualTo(id);
      assertThat(sb.counters().tokensIssued()).isEqualTo(3);
      assertThat(sb.counters().requests(Operation.FILTERED, 401)).isEqualTo(3);
      assertThat(sb.counters().requests(Operation.FILTERED, 200)).isEqualTo(1);
      assertThat(
              registry.get("twikit.client.retries").tag("reason", "unauthorized").counter().count())
          .isEqualTo(2);
    }
  }

  @Test
  void concurrent401sWithTheSameStaleTokenShareOneRenewal() {
    try (TwikitApi api = TwikitClient.create(config(sb).build())) {
      sb.setTokenTtl(Duration.ZERO);
      catchThrowable(() -> api.filtered(knownId()).join()); // leaves a stale token in the cache
      sb.setTokenTtl(Duration.ofHours(1));
      sb.resetCounters();
      joinAll(fire(api, 50));
      assertThat(sb.counters().tokensIssued()).isEqualTo(1);
      assertThat(sb.counters().requests(Operation.COMPATIBILITY, 200)).isEqualTo(50);
      assertThat(sb.counters().requests(Operation.COMPATIBILITY, 401)).isBetween(1L, 50L);
    }
  }

  @Test
  void wrongSecretFailsFastWithAClearErrorThatNeverShowsTheSecret() {
    String wrong = "wrong-secret-4d2b81";
    MutableClock clock = MutableClock.fixed(java.time.Instant.parse("2026-03-01T12:00:00Z"));
    try (TwikitApi api =
        TwikitClient.create(config(sb).clientSecret(Secret.of(wrong)).clock(clock).build())) {
      TwikitException e =
          TwikitException.unwrap(catchThrowable(() -> api.summary(knownId()).join())).orElseThrow();
      assertThat(e.kind()).isEqualTo(Kind.CREDENTIALS_REJECTED);
      assertThat(e.isTransient()).isFalse();
      assertThat(e.operation()).isEqualTo(TwikitOperation.SUMMARY);
      assertThat(e.errorCode()).contains("invalid_client");
      assertThat(e.getMessage())
          .contains("'" + CLIENT_ID + "'", sb.tokenUrl().toString(), "invalid_client")
          .doesNotContain(wrong);
      for (Throwable c = e; c != null; c = c.getCause()) {
        assertThat(String.valueOf(c.getMessage())).doesNotContain(wrong);
      }
      assertThat(sb.counters().tokenRequestsRejected()).isEqualTo(1); // 4xx is not retried
      assertThat(sb.counters().requests(Operation.SUMMARY)).isZero();

      // callers within the backoff window fail fast with the same kind, without a token request
      List<CompletableFuture<?>> calls = fire(api, 20);
      calls.forEach(
          c ->
              assertThat(TwikitException.unwrap(catchThrowable(c::join)).orElseThrow().kind())
                  .isEqualTo(Kind.CREDENTIALS_REJECTED));
      assertThat(sb.counters().tokenRequestsRejected()).isEqualTo(1);
    }
  }

  @Test
  void unknownScopeIsRejectedWithItsOAuthErrorCode() {
    try (TwikitApi api = TwikitClient.create(config(sb).scope("no-such/scope").build())) {
      TwikitException e =
          TwikitException.unwrap(catchThrowable(() -> api.summary(knownId()).join())).orElseThrow();
      assertThat(e.kind()).isEqualTo(Kind.CREDENTIALS_REJECTED);
      assertThat(e.errorCode()).contains("invalid_scope");
    }
  }

  @Test
  void clientSecretPostAndScopesWork() {
    try (TwikitApi api =
        TwikitClient.create(
            config(sb)
                .authMethod(ClientAuthMethod.CLIENT_SECRET_POST)
                .scope("configurations/configurations.read configurations/configurations.write")
                .build())) {
      assertThat(api.summary(knownId()).join()).isNotNull();
      assertThat(sb.counters().tokensIssued()).isEqualTo(1);
    }
  }

  @Test
  void tokenEndpointOutageIsOneRequestThenUnavailableAndRecoversAfterTheWindow() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MutableClock clock = MutableClock.fixed(java.time.Instant.parse("2026-03-01T12:00:00Z"));
    sb.updateFaults(f -> f.retryAfter(Duration.ZERO).tokenOutage(true));
    try (TwikitApi api =
        TwikitClient.create(config(sb).clock(clock).meterRegistry(registry).build())) {
      TwikitException e =
          TwikitException.unwrap(catchThrowable(() -> api.summary(knownId()).join())).orElseThrow();
      assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
      assertThat(e.isTransient()).isTrue();
      assertThat(e.retryAfter()).isPresent();
      assertThat(e.getMessage()).contains(sb.tokenUrl().toString());
      // one HTTP token request is one step: no retry loop inside the token manager
      assertThat(
              registry
                  .get("twikit.client.token.requests")
                  .tag("outcome", "server_error")
                  .counter()
                  .count())
          .isEqualTo(1);
      assertThat(sb.counters().requests(Operation.SUMMARY)).isZero();

      sb.tokenOutage(false); // recovers on the first call after the window
      clock.advance(e.retryAfter().orElseThrow());
      assertThat(api.summary(knownId()).join()).isNotNull();
    }
  }
}
