package dev.twikitorders.twikit;

import static dev.twikitorders.twikit.SandboxSupport.config;
import static dev.twikitorders.twikit.SandboxSupport.knownId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

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
 * Retries, Retry-After, the circuit breaker, timeouts and malformed answers against the sandbox.
 */
class ResilienceTest {

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

  private static TwikitException failure(CompletableFuture<?> call) {
    return TwikitException.unwrap(catchThrowable(call::join)).orElseThrow();
  }

  @Test
  void retryAfterOn429IsHonoured() {
    sb.updateFaults(f -> f.retryAfter(Duration.ofSeconds(1)));
    sb.failNext(2, 429, Operation.SUMMARY);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (TwikitApi api = TwikitClient.create(config(sb).meterRegistry(registry).build())) {
      api.status().join(); // connections warm; not counted under SUMMARY
      long start = System.nanoTime();
      assertThat(api.summary(knownId()).join()).isNotNull();
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(sb.counters().requests(Operation.SUMMARY, 429)).isEqualTo(2);
      assertThat(sb.counters().requests(Operation.SUMMARY, 200)).isEqualTo(1);
      // two waits of Retry-After: 1 s each (jittered backoff alone would be < 100 ms); one-sided
      // bound
      assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
      assertThat(registry.get("twikit.client.retries").tag("reason", "http_429").counter().count())
          .isEqualTo(2);
      assertThat(registry.get("twikit.client.rate.limited").counter().count()).isEqualTo(2);
    }
  }

  @Test
  void rateLimitedAfterAllAttemptsCarriesTheRetryAfterHint() {
    sb.updateFaults(f -> f.retryAfter(Duration.ZERO).errorRate(429, 1.0));
    try (TwikitApi api =
        TwikitClient.create(
            config(sb).retryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(2)).build())) {
      TwikitException e = failure(api.parameters(knownId()));
      assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
      assertThat(e.isTransient()).isTrue();
      assertThat(e.attempts()).isEqualTo(2);
      assertThat(e.retryAfter()).contains(Duration.ZERO);
    }
  }

  @Test
  void a503StormGivesExactlyMaxAttemptsThenUnavailable() {
    sb.updateFaults(f -> f.retryAfter(Duration.ZERO).errorRate(503, 1.0));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (TwikitApi api =
        TwikitClient.create(
            config(sb)
                .retryPolicy(
                    RetryPolicy.DEFAULT
                        .withMaxAttempts(5)
                        .withBackoff(Duration.ofMillis(1), Duration.ofMillis(10)))
                .circuitBreaker(CircuitBreakerSettings.disabled())
                .meterRegistry(registry)
                .build())) {
      String id = knownId();
      TwikitException e =
          failure(
              api.update(
                  id, dev.twikitorders.twikit.model.ConfigurationUpdate.linkToOrder(id, "o-1")));
      assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
      assertThat(e.httpStatus()).isEqualTo(503);
      assertThat(e.attempts()).isEqualTo(5);
      assertThat(e.operation()).isEqualTo(TwikitOperation.UPDATE);
      assertThat(sb.counters().requests(Operation.UPDATE_ONE, 503)).isEqualTo(5);
      assertThat(registry.get("twikit.client.retries").tag("operation", "update").counter().count())
          .isEqualTo(4);
      assertThat(
              registry
                  .get("twikit.client.requests")
                  .tag("outcome", "unavailable")
                  .tag("status", "5xx")
                  .timer()
                  .count())
          .isEqualTo(1);
    }
  }

  @Test
  void breakerOpensUnderAnOutageAndFailsFastWithoutTouchingTheServer() {
    sb.updateFaults(f -> f.retryAfter(Duration.ZERO).errorRate(500, 1.0));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (TwikitApi api =
        TwikitClient.create(
            config(sb)
                .retryPolicy(RetryPolicy.noRetries())
                .circuitBreaker(CircuitBreakerSettings.of(5, Duration.ofMinutes(1)))
                .meterRegistry(registry)
                .build())) {
      for (int i = 0; i < 5; i++) {
        assertThat(failure(api.summary(knownId())).httpStatus()).isEqualTo(500);
      }
      long served = sb.counters().requests(Operation.SUMMARY);
      assertThat(served).isEqualTo(5);
      assertThat(registry.get("twikit.client.breaker.state").gauge().value()).isEqualTo(2.0);

      List<CompletableFuture<?>> calls = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        calls.add(api.summary(knownId()));
      }
      for (CompletableFuture<?> c : calls) {
        TwikitException e = failure(c);
        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(e.attempts()).isZero();
        assertThat(e.retryAfter()).hasValueSatisfying(d -> assertThat(d).isPositive());
        assertThat(e.getMessage()).contains("circuit breaker open");
      }
      assertThat(sb.counters().requests(Operation.SUMMARY)).isEqualTo(served);
    }
  }

  @Test
  void breakerProbesAndClosesWhenTheServerRecovers() {
    MutableClock clock = MutableClock.ticking();
    sb.updateFaults(f -> f.retryAfter(Duration.ZERO).errorRate(503, 1.0));
    try (TwikitApi api =
        TwikitClient.create(
            config(sb)
                .clock(clock)
                .retryPolicy(RetryPolicy.noRetries())
                .circuitBreaker(CircuitBreakerSettings.of(3, Duration.ofSeconds(30)))
                .build())) {
      for (int i = 0; i < 3; i++) {
        failure(api.summary(knownId()));
      }
      assertThat(failure(api.summary(knownId())).getMessage()).contains("circuit breaker open");
      sb.resetFaults();
      clock.advance(Duration.ofSeconds(31));
      assertThat(api.summary(knownId()).join()).isNotNull(); // the probe
      assertThat(api.summary(knownId()).join()).isNotNull(); // closed again
    }
  }

  @Test
  void aHangingServerGivesATypedTimeoutAndARetryRecovers() {
    try (TwikitApi api =
        TwikitClient.create(
            config(sb)
                .responseTimeout(Duration.ofMillis(300))
                .retryPolicy(RetryPolicy.noRetries())
                .build())) {
      sb.hangNext(1, Operation.COMPATIBILITY);
      TwikitException e = failure(api.compatibility(knownId()));
      assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
      assertThat(e.isTransient()).isTrue();
      assertThat(e.httpStatus()).isZero();
      assertThat(e.attempts()).isEqualTo(1);
    }
    try (TwikitApi api =
        TwikitClient.create(
            config(sb)
                .responseTimeout(Duration.ofMillis(300))
                .retryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(2))
                .build())) {
      sb.hangNext(1, Operation.COMPATIBILITY);
      assertThat(api.compatibility(knownId()).join()).isNotNull();
    }
  }

  @Test
  void aHangingServerOverHttp2AlsoTimesOut() {
    try (TwikitApi api =
        TwikitClient.create(
            config(sb)
                .httpProtocol(HttpProtocol.HTTP_2)
                .responseTimeout(Duration.ofMillis(300))
                .retryPolicy(RetryPolicy.noRetries())
                .build())) {
      api.status().join();
      sb.hangNext(1, Operation.COMPATIBILITY);
      assertThat(failure(api.compatibility(knownId())).kind()).isEqualTo(Kind.TIMEOUT);
      assertThat(api.compatibility(knownId()).join()).isNotNull();
    }
  }

  @Test
  void malformedJsonIsAnInvalidResponseAndNotRetried() {
    sb.updateFaults(f -> f.malformedRate(1.0));
    try (TwikitApi api = TwikitClient.create(config(sb).build())) {
      TwikitException e = failure(api.configuration(knownId()));
      assertThat(e.kind()).isEqualTo(Kind.INVALID_RESPONSE);
      assertThat(e.httpStatus()).isEqualTo(200);
      assertThat(e.attempts()).isEqualTo(1);
      assertThat(sb.counters().requests(Operation.CONFIGURATION)).isEqualTo(1);
    }
  }

  @Test
  void connectionRefusedIsRetriedThenUnavailable() {
    TwikitSandbox gone = SandboxSupport.start();
    TwikitClientConfig cfg =
        config(gone)
            .retryPolicy(
                RetryPolicy.DEFAULT
                    .withMaxAttempts(3)
                    .withBackoff(Duration.ofMillis(1), Duration.ofMillis(5)))
            .build();
    gone.close();
    try (TwikitApi api = TwikitClient.create(cfg)) {
      TwikitException e = failure(api.status());
      assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
      assertThat(e.attempts()).isEqualTo(3);
    }
  }

  @Test
  void callsBeyondMaxInFlightQueueAndAllSucceed() {
    sb.setLatency(Duration.ofMillis(20));
    try (TwikitApi api = TwikitClient.create(config(sb).maxInFlight(2).build())) {
      List<CompletableFuture<?>> calls = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        calls.add(api.summary(knownId()));
      }
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
      assertThat(sb.counters().requests(Operation.SUMMARY, 200)).isEqualTo(40);
    }
  }

  @Test
  void closeFailsQueuedCallsAndLaterCallsAsUnavailable() {
    sb.hangNext(1, Operation.SUMMARY);
    TwikitApi api = TwikitClient.create(config(sb).maxInFlight(1).build());
    CompletableFuture<?> hanging = api.summary(knownId());
    CompletableFuture<?> queued = api.summary(knownId());
    api.close();
    assertThat(failure(hanging).kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(failure(queued).kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(failure(api.summary(knownId())).getMessage()).contains("closed");
  }
}
