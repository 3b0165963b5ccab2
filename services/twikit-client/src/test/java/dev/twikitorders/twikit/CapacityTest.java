package dev.twikitorders.twikit;

import static dev.twikitorders.twikit.SandboxSupport.config;
import static dev.twikitorders.twikit.SandboxSupport.knownId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.capacity.ConcurrencySettings;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.sandbox.api.Operation;
import dev.twikitorders.sandbox.counters.Counters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The adaptive in-flight limit and the rate gate against the sandbox's capacity model and rate
 * limit: the limit follows the server's capacity (down when it queues, up when it does not), a
 * configured rate is never exceeded, and a 429 slows every call down rather than one at a time.
 * Assertions are directions and counts, never durations.
 */
class CapacityTest {

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

  @Test
  void theLimitClimbsWhileTheApiKeepsUp() {
    sb.setLatency(Duration.ofMillis(20));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (TwikitApi api =
        TwikitClient.create(config(sb).maxInFlight(400).meterRegistry(registry).build())) {
      assertThat(limit(registry)).isEqualTo(20); // the adaptive start
      closedLoop(api, 300, 3000);
      assertThat(limit(registry)).isGreaterThan(20);
      assertThat(sb.counters().maxConcurrent()).isGreaterThan(20);
    }
  }

  @Test
  void theLimitComesDownToAServerThatQueues() {
    sb.setLatency(Duration.ofMillis(30));
    sb.setCapacity(5); // beyond 5 concurrent calls, the round trip grows with the queue
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (TwikitApi api =
        TwikitClient.create(
            config(sb).maxInFlight(400).minInFlight(2).meterRegistry(registry).build())) {
      closedLoop(api, 100, 1500);
      assertThat(limit(registry)).isLessThan(20).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void aFixedLimitStaysPut() {
    sb.setLatency(Duration.ofMillis(30));
    sb.setCapacity(5);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (TwikitApi api =
        TwikitClient.create(
            config(sb)
                .maxInFlight(40)
                .concurrencyMode(ConcurrencySettings.Mode.FIXED)
                .meterRegistry(registry)
                .build())) {
      closedLoop(api, 100, 600);
      assertThat(limit(registry)).isEqualTo(40);
      assertThat(sb.counters().maxQueued()).isGreaterThan(0);
    }
  }

  @Test
  void aConfiguredRateIsNeverExceeded() {
    sb.setRateLimit(40); // the server's quota; burst 4
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (TwikitApi api =
        TwikitClient.create(config(sb).maxRequestsPerSecond(20).meterRegistry(registry).build())) {
      closedLoop(api, 50, 60);
      Counters c = sb.counters();
      assertThat(c.requests(Operation.SUMMARY, 200)).isEqualTo(60);
      assertThat(c.rateLimited()).isZero();
      assertThat(rate(registry)).isEqualTo(20.0);
    }
  }

  @Test
  void a429LowersTheRateForEveryCall() {
    sb.setRateLimit(30); // a quota the client is not told; burst 3
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (TwikitApi api = TwikitClient.create(config(sb).meterRegistry(registry).build())) {
      assertThat(rate(registry)).isZero(); // no cap yet
      closedLoop(api, 40, 150);
      Counters c = sb.counters();
      assertThat(c.requests(Operation.SUMMARY, 200)).isEqualTo(150); // every call got through
      assertThat(c.rateLimited()).isPositive();
      // the first 429s lowered the rate of every call: most calls never met one
      assertThat(c.rateLimited()).isLessThan(150);
      assertThat(rate(registry)).isPositive();
      assertThat(registry.get("twikit.client.rate.limited").counter().count())
          .isEqualTo(c.rateLimited());
    }
  }

  private static double limit(SimpleMeterRegistry registry) {
    return registry.get("twikit.client.concurrency.limit").gauge().value();
  }

  private static double rate(SimpleMeterRegistry registry) {
    return registry.get("twikit.client.rate.limit").gauge().value();
  }

  /** {@code total} summary calls, {@code concurrency} at a time; waits for all, fails on any. */
  private static void closedLoop(TwikitApi api, int concurrency, int total) {
    AtomicInteger started = new AtomicInteger();
    List<CompletableFuture<Void>> chains = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      chains.add(chain(api, started, total));
    }
    CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new)).join();
  }

  private static CompletableFuture<Void> chain(TwikitApi api, AtomicInteger started, int total) {
    if (started.getAndIncrement() >= total) {
      return CompletableFuture.completedFuture(null);
    }
    return api.summary(knownId()).thenCompose(s -> chain(api, started, total));
  }
}
