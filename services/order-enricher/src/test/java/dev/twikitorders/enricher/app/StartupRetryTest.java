package dev.twikitorders.enricher.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.enricher.app.StartupRetry.Dependency;
import dev.twikitorders.enricher.app.StartupRetry.Unavailable;
import dev.twikitorders.settings.ConfigException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The start-up retry loop on a fake clock: backoff, jitter bounds, deadline, log lines. */
class StartupRetryTest {
  private static final Dependency KAFKA =
      new Dependency("Kafka", "127.0.0.1:1", "kafka.bootstrap.servers / KAFKA_BOOTSTRAP_SERVERS");

  /** A clock that only moves when the loop sleeps or an attempt says it took time. */
  private static final class FakeClock implements StartupRetry.Clock {
    Instant now = Instant.parse("2025-03-01T10:00:00Z");
    final List<Duration> sleeps = new ArrayList<>();

    @Override
    public Instant now() {
      return now;
    }

    @Override
    public void sleep(Duration d) {
      sleeps.add(d);
      now = now.plus(d);
    }
  }

  private final FakeClock clock = new FakeClock();
  private final List<String> log = new ArrayList<>();

  private StartupRetry retry(Duration timeout, double random) {
    return new StartupRetry(timeout, clock, () -> random, log::add);
  }

  @Test
  void backsOffFromOneSecondDoublingToFifteenThenSucceeds() throws Exception {
    int[] calls = {0};
    String result =
        retry(Duration.ofMinutes(5), 0.5)
            .until(
                KAFKA,
                timeout -> {
                  if (++calls[0] <= 6) {
                    throw new Unavailable("connection refused");
                  }
                  return "cluster-id";
                });

    assertThat(result).isEqualTo("cluster-id");
    // random 0.5: no jitter, the plain schedule
    assertThat(clock.sleeps)
        .containsExactly(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(8),
            Duration.ofSeconds(15),
            Duration.ofSeconds(15));
    assertThat(log).hasSize(7);
    assertThat(log.get(0))
        .startsWith("Waiting for Kafka at 127.0.0.1:1 (connection refused); next attempt at ")
        .contains("2025-03-01T10:00:01Z (in 1.0 s)")
        .contains("giving up at 2025-03-01T10:05:00Z (startup.timeout.ms)")
        .doesNotContain("Exception\n");
    assertThat(log.get(6)).isEqualTo("Kafka at 127.0.0.1:1 is reachable now");
  }

  @Test
  void jitterStaysWithinTwentyPercent() throws Exception {
    failTwiceThenSucceed(retry(Duration.ofMinutes(1), 0.0));
    failTwiceThenSucceed(retry(Duration.ofMinutes(1), 1.0));

    assertThat(clock.sleeps)
        .containsExactly(
            Duration.ofMillis(800),
            Duration.ofMillis(1600),
            Duration.ofMillis(1200),
            Duration.ofMillis(2400));
  }

  private static void failTwiceThenSucceed(StartupRetry retry) throws Exception {
    int[] calls = {0};
    retry.until(
        KAFKA,
        timeout -> {
          if (++calls[0] <= 2) {
            throw new Unavailable("down");
          }
          return null;
        });
  }

  @Test
  void givesUpAtTheDeadlineNamingTheDependencyTheSettingsAndTheTimeout() {
    List<Duration> attemptTimeouts = new ArrayList<>();
    StartupRetry retry = retry(Duration.ofSeconds(10), 0.5);

    assertThatThrownBy(
            () ->
                retry.until(
                    KAFKA,
                    timeout -> {
                      attemptTimeouts.add(timeout);
                      throw new Unavailable("TimeoutException: no node");
                    }))
        .isInstanceOf(DependencyUnavailableException.class)
        .hasMessageContaining("Kafka at 127.0.0.1:1 is still unreachable")
        .hasMessageContaining("startup.timeout.ms / STARTUP_TIMEOUT_MS = 10000")
        .hasMessageContaining("Check kafka.bootstrap.servers / KAFKA_BOOTSTRAP_SERVERS")
        .hasMessageContaining("Last error: TimeoutException: no node");
    // 1 + 2 + 4 s, then the last wait is cut to the 3 s left
    assertThat(clock.sleeps)
        .containsExactly(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(3));
    // each attempt may use what is left, at least 2 s, at most 10 s
    assertThat(attemptTimeouts)
        .containsExactly(
            Duration.ofSeconds(10),
            Duration.ofSeconds(9),
            Duration.ofSeconds(7),
            Duration.ofSeconds(3),
            Duration.ofSeconds(2));
  }

  @Test
  void attemptsThatTakeTimeUseTheSameBudget() {
    StartupRetry retry = retry(Duration.ofSeconds(5), 0.5);

    assertThatThrownBy(
            () ->
                retry.until(
                    KAFKA,
                    timeout -> {
                      clock.now = clock.now.plus(timeout); // an attempt that times out
                      throw new Unavailable("timed out");
                    }))
        .isInstanceOf(DependencyUnavailableException.class);
    assertThat(clock.sleeps).isEmpty();
  }

  @Test
  void zeroTimeoutTriesOnce() {
    int[] calls = {0};
    StartupRetry retry = retry(Duration.ZERO, 0.5);

    assertThatThrownBy(
            () ->
                retry.until(
                    KAFKA,
                    timeout -> {
                      calls[0]++;
                      throw new Unavailable("down");
                    }))
        .isInstanceOf(DependencyUnavailableException.class);
    assertThat(calls[0]).isEqualTo(1);
    assertThat(log).isEmpty();
  }

  @Test
  void aConfigurationErrorStopsAtOnce() {
    StartupRetry retry = retry(Duration.ofMinutes(2), 0.5);

    assertThatThrownBy(
            () ->
                retry.until(
                    KAFKA,
                    timeout -> {
                      throw new ConfigException("credentials refused");
                    }))
        .isInstanceOf(ConfigException.class)
        .hasMessage("credentials refused");
    assertThat(clock.sleeps).isEmpty();
    assertThat(log).isEmpty();
  }

  @Test
  void theDeadlineIsSharedByTheChecks() throws Exception {
    StartupRetry retry = retry(Duration.ofSeconds(4), 0.5);
    int[] calls = {0};
    retry.until(
        KAFKA,
        timeout -> {
          if (++calls[0] <= 2) {
            throw new Unavailable("down");
          }
          return null;
        });
    // 3 s of the 4 s are used: the registry gets 1 s, and its attempts at least 2 s
    Dependency registry = new Dependency("the schema registry", "http://127.0.0.1:2", "x");

    assertThatThrownBy(
            () ->
                retry.until(
                    registry,
                    timeout -> {
                      throw new Unavailable("refused");
                    }))
        .isInstanceOf(DependencyUnavailableException.class)
        .hasMessageStartingWith("the schema registry at http://127.0.0.1:2 is still unreachable");
    assertThat(clock.sleeps)
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1));
  }
}
