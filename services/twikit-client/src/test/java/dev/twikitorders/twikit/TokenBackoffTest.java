package dev.twikitorders.twikit;

import static dev.twikitorders.twikit.SandboxSupport.config;
import static dev.twikitorders.twikit.SandboxSupport.knownId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.sandbox.api.Operation;
import dev.twikitorders.twikit.TwikitException.Kind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * After a failed token request callers fail fast until a jittered backoff (1 s doubling to 60 s)
 * has passed: at most one token request per step whatever the load, one WARN line per step, one
 * INFO line on recovery. The clock is fixed and only the test moves it, so every window is exact.
 */
class TokenBackoffTest {

  private static TwikitSandbox sb;

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger clientLogger = (Logger) LoggerFactory.getLogger("dev.twikitorders.twikit");
  // the token manager lives in the auth module (dev.twikitorders.auth.oauth.TokenManager)
  private final Logger authLogger = (Logger) LoggerFactory.getLogger("dev.twikitorders.auth");
  private final MutableClock clock = MutableClock.fixed(Instant.parse("2026-03-01T12:00:00Z"));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

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
    logs.start();
    clientLogger.addAppender(logs);
    authLogger.addAppender(logs);
  }

  @AfterEach
  void detach() {
    clientLogger.detachAppender(logs);
    authLogger.detachAppender(logs);
  }

  private TwikitApi client() {
    return TwikitClient.create(config(sb).clock(clock).meterRegistry(registry).build());
  }

  private double tokenRequests() {
    return registry.find("twikit.client.token.requests").counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  private static TwikitException failure(CompletableFuture<?> call) {
    return TwikitException.unwrap(catchThrowable(call::join)).orElseThrow();
  }

  private static List<CompletableFuture<?>> fire(TwikitApi api, int n) {
    List<CompletableFuture<?>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      calls.add(api.summary(knownId()));
    }
    return calls;
  }

  private List<String> lines(Level level, String loggerSuffix) {
    return logs.list.stream()
        .filter(e -> e.getLevel() == level && e.getLoggerName().endsWith(loggerSuffix))
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  @Test
  void anOutageCostsOneTokenRequestPerStepWhateverTheLoad() {
    sb.updateFaults(f -> f.retryAfter(Duration.ZERO).tokenOutage(true));
    try (TwikitApi api = client()) {
      TwikitException step1 = failure(api.summary(knownId()));
      assertThat(step1.kind()).isEqualTo(Kind.UNAVAILABLE);
      assertThat(step1.httpStatus()).isEqualTo(503);
      assertThat(step1.retryAfter())
          .hasValueSatisfying(
              d -> assertThat(d).isBetween(Duration.ofMillis(800), Duration.ofMillis(1200)));
      assertThat(tokenRequests()).isEqualTo(1);

      // a burst within the window fails fast: same kind, the time left, no token request
      for (CompletableFuture<?> c : fire(api, 500)) {
        TwikitException e = failure(c);
        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(e.attempts()).isZero();
        assertThat(e.retryAfter()).isEqualTo(step1.retryAfter());
        assertThat(e.getMessage()).contains("failing fast", "HTTP 503");
      }
      assertThat(tokenRequests()).isEqualTo(1);
      clock.advance(step1.retryAfter().orElseThrow().minusMillis(1));
      assertThat(failure(api.summary(knownId())).retryAfter()).contains(Duration.ofMillis(1));
      assertThat(tokenRequests()).isEqualTo(1);

      // each later step: one token request however many callers, a window twice as long (+-20 %)
      Duration window = step1.retryAfter().orElseThrow();
      clock.advance(Duration.ofMillis(1));
      for (int step = 2; step <= 8; step++) {
        List<CompletableFuture<?>> burst = fire(api, 200);
        Duration longest = Duration.ZERO;
        for (CompletableFuture<?> c : burst) {
          Duration left = failure(c).retryAfter().orElseThrow();
          longest = left.compareTo(longest) > 0 ? left : longest;
        }
        assertThat(tokenRequests()).isEqualTo(step);
        long base = Math.min(60_000, 1000L << (step - 1));
        assertThat(longest)
            .isBetween(
                Duration.ofMillis(base * 8 / 10),
                Duration.ofMillis(Math.min(60_000, base * 12 / 10)));
        window = longest;
        clock.advance(window);
      }
      assertThat(sb.counters().tokenRequestsRejected()).isEqualTo(8);
      assertThat(sb.counters().requests(Operation.SUMMARY)).isZero();

      // recovery: the next caller after the window gets a token; the steps start over
      sb.tokenOutage(false);
      assertThat(api.summary(knownId()).join()).isNotNull();
      assertThat(sb.counters().tokensIssued()).isEqualTo(1);

      List<String> warns = lines(Level.WARN, "");
      assertThat(warns).hasSize(8);
      for (int step = 1; step <= 8; step++) {
        assertThat(warns.get(step - 1))
            .contains(
                "Token request for client id 'demo' to " + sb.tokenUrl(),
                "failed (HTTP 503); failing calls fast for ",
                "(step " + step + ")");
      }
      assertThat(lines(Level.INFO, "TokenManager"))
          .singleElement()
          .asString()
          .contains("again after 8 failed token request(s)");

      // after a success a new outage starts again at step 1 (1 s +-20 %)
      sb.tokenOutage(true);
      clock.advance(Duration.ofHours(2)); // the cached token has expired
      assertThat(failure(api.summary(knownId())).retryAfter())
          .hasValueSatisfying(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofMillis(1200)));
      assertThat(lines(Level.WARN, "").getLast()).contains("(step 1)");
    }
  }

  @Test
  void rejectedCredentialsFailFastWithTheirKindUntilTheWindowPasses() {
    try (TwikitApi api =
        TwikitClient.create(
            config(sb)
                .clientSecret(Secret.of("wrong-secret-1234"))
                .clock(clock)
                .meterRegistry(registry)
                .build())) {
      TwikitException first = failure(api.summary(knownId()));
      assertThat(first.kind()).isEqualTo(Kind.CREDENTIALS_REJECTED);
      for (CompletableFuture<?> c : fire(api, 100)) {
        TwikitException e = failure(c);
        assertThat(e.kind()).isEqualTo(Kind.CREDENTIALS_REJECTED);
        assertThat(e.errorCode()).contains("invalid_client");
        assertThat(e.retryAfter()).isEqualTo(first.retryAfter());
      }
      assertThat(sb.counters().tokenRequestsRejected()).isEqualTo(1);
      clock.advance(first.retryAfter().orElseThrow());
      assertThat(failure(api.summary(knownId())).kind()).isEqualTo(Kind.CREDENTIALS_REJECTED);
      assertThat(sb.counters().tokenRequestsRejected()).isEqualTo(2);
      assertThat(lines(Level.WARN, "TokenManager"))
          .hasSize(2)
          .allSatisfy(l -> assertThat(l).contains("HTTP 401, error invalid_client"));
      assertThat(lines(Level.WARN, "DefaultTwikitClient")).isEmpty();
    }
  }

  @Test
  void aFailedBackgroundRenewalKeepsTheValidTokenInUse() {
    sb.setTokenTtl(Duration.ofSeconds(100));
    try (TwikitApi api = client()) {
      assertThat(api.summary(knownId()).join()).isNotNull();
      sb.updateFaults(f -> f.retryAfter(Duration.ZERO).tokenOutage(true));
      clock.advance(Duration.ofSeconds(90)); // past renewAt, before expiry (95 s)
      assertThat(api.summary(knownId()).join()).isNotNull(); // starts the background renewal
      await().until(() -> !lines(Level.WARN, "TokenManager").isEmpty());
      assertThat(tokenRequests()).isEqualTo(2);
      CompletableFuture.allOf(fire(api, 50).toArray(CompletableFuture[]::new)).join();
      assertThat(tokenRequests()).isEqualTo(2);
      assertThat(sb.counters().tokenRequestsRejected()).isEqualTo(1);
      assertThat(lines(Level.WARN, "TokenManager"))
          .singleElement()
          .asString()
          .contains("still using the current token", "(step 1)");
    }
  }
}
