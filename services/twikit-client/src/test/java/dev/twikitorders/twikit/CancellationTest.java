package dev.twikitorders.twikit;

import static dev.twikitorders.twikit.SandboxSupport.config;
import static dev.twikitorders.twikit.SandboxSupport.knownId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.sandbox.api.Operation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A caller's {@code cancel} ends the call: no retry, no send from the in-flight queue, and the
 * exchange in flight is aborted. Each test reaches a point where a leftover attempt would already
 * have been counted (the single in-flight permit is handed out first come, first served), so the
 * assertions do not depend on timing.
 */
class CancellationTest {

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

  private static double gauge(SimpleMeterRegistry registry, String name) {
    return registry.get(name).gauge().value();
  }

  private static long cancelled(SimpleMeterRegistry registry) {
    return registry.get("twikit.client.requests").tag("outcome", "cancelled").timer().count();
  }

  @Test
  void aCancelledCallWaitingForItsRetryIsNeverRetried() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (TwikitApi api =
        TwikitClient.create(
            config(sb)
                .maxInFlight(1)
                .circuitBreaker(CircuitBreakerSettings.disabled())
                .meterRegistry(registry)
                .build())) {
      api.status().join();
      sb.updateFaults(f -> f.retryAfter(Duration.ofSeconds(1)));
      sb.failNext(1, 503, Operation.SUMMARY);
      CompletableFuture<?> a = api.summary(knownId());
      // A got its 503 and waits 1 s (+ at most 20 %) for its retry
      await()
          .until(
              () ->
                  registry.find("twikit.client.retries").tag("operation", "summary").counter()
                      != null);
      assertThat(a.cancel(true)).isTrue();

      // B waits 2 s for its retry, so A's retry would have been due before B's: with one
      // in-flight permit A's request would be answered before B's retry is even sent
      sb.updateFaults(f -> f.retryAfter(Duration.ofSeconds(2)));
      sb.failNext(1, 503, Operation.SUMMARY);
      assertThat(api.summary(knownId()).join()).isNotNull();

      assertThat(sb.counters().requests(Operation.SUMMARY, 503)).isEqualTo(2); // A once, B once
      assertThat(sb.counters().requests(Operation.SUMMARY, 200)).isEqualTo(1); // B's retry
      assertThat(sb.counters().requests(Operation.SUMMARY)).isEqualTo(3);
      assertThat(cancelled(registry)).isEqualTo(1);
    }
  }

  @Test
  void aCancelledQueuedCallGivesUpItsPlaceAndAHangingExchangeIsAborted() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (TwikitApi api =
        TwikitClient.create(
            config(sb)
                .maxInFlight(1)
                .responseTimeout(Duration.ofMinutes(5)) // only the cancellation ends A's wait
                .meterRegistry(registry)
                .build())) {
      api.status().join();
      sb.hangNext(1, Operation.SUMMARY); // never answered
      CompletableFuture<?> a = api.summary(knownId());
      await().until(() -> sb.counters().requests(Operation.SUMMARY, 0) == 1);
      CompletableFuture<?> b = api.summary(knownId());
      await().until(() -> gauge(registry, "twikit.client.queued") == 1);

      assertThat(b.cancel(true)).isTrue();
      assertThat(gauge(registry, "twikit.client.queued")).isZero(); // B left the queue at once

      assertThat(a.cancel(true)).isTrue();
      assertThat(gauge(registry, "twikit.client.inflight")).isZero(); // A's permit came back

      // C queues behind nobody: had B kept its place, B would have been sent before C
      assertThat(api.summary(knownId()).join()).isNotNull();
      assertThat(sb.counters().requests(Operation.SUMMARY, 0)).isEqualTo(1); // A
      assertThat(sb.counters().requests(Operation.SUMMARY, 200)).isEqualTo(1); // C
      assertThat(sb.counters().requests(Operation.SUMMARY)).isEqualTo(2);
      assertThat(cancelled(registry)).isEqualTo(2);
    }
  }

  @Test
  void cancellingAnExchangeInFlightClosesItsConnection() throws Exception {
    try (SilentServer silent = new SilentServer(0);
        TwikitApi api =
            TwikitClient.create(
                config(sb)
                    .apiUrl(silent.url())
                    .responseTimeout(Duration.ofMinutes(5)) // only the cancellation ends it
                    .build())) {
      CompletableFuture<?> call = api.status();
      await().until(() -> silent.requests() == 1);
      assertThat(call.cancel(true)).isTrue();
      await().until(() -> silent.closedByClient() == 1);
      assertThat(silent.requests()).isEqualTo(1);
    }
  }

  @Test
  void cancellingAnExchangeOnAPooledConnectionClosesItToo() throws Exception {
    // HttpClient 5.6's own cancel misses this case (see Transport.Abort)
    try (SilentServer silent = new SilentServer(1);
        TwikitApi api =
            TwikitClient.create(
                config(sb)
                    .apiUrl(silent.url())
                    .responseTimeout(Duration.ofMinutes(5)) // only the cancellation ends it
                    .build())) {
      assertThat(api.status().join().isOk()).isTrue(); // the connection now waits in the pool
      CompletableFuture<?> call = api.status();
      await().until(() -> silent.requests() == 2);
      assertThat(call.cancel(true)).isTrue();
      await().until(() -> silent.closedByClient() == 1);
      assertThat(silent.requests()).isEqualTo(2);
    }
  }
}
