package dev.twikitorders.enricher.app;

import dev.twikitorders.enricher.config.StartupSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * Retries the start-up checks of dependencies that are down (not misconfigured) with capped
 * exponential backoff and jitter (1 s doubling to 15 s, each wait 80-120 % of that), until one
 * deadline shared by all checks ({@code startup.timeout.ms} after construction). Each wait logs one
 * line: what it waits for, why, and when it tries again. When the deadline passes it throws {@link
 * DependencyUnavailableException}; a {@code ConfigException} from a check passes through at once.
 *
 * <p>Not thread-safe: one start-up uses it from one thread.
 */
final class StartupRetry {
  static final Duration FIRST_DELAY = Duration.ofSeconds(1);
  static final Duration MAX_DELAY = Duration.ofSeconds(15);

  /** The shortest time one attempt may take, even when the deadline is nearer (or passed). */
  static final Duration MIN_ATTEMPT = Duration.ofSeconds(2);

  /**
   * The longest time one attempt may take: a healthy dependency answers in milliseconds, and a down
   * one should lead to a logged wait soon, not to a long silence.
   */
  static final Duration MAX_ATTEMPT = Duration.ofSeconds(10);

  /** Time and waiting, replaceable by a fake clock in tests. */
  interface Clock {
    Instant now();

    void sleep(Duration d) throws InterruptedException;

    Clock SYSTEM =
        new Clock() {
          @Override
          public Instant now() {
            return Instant.now();
          }

          @Override
          public void sleep(Duration d) throws InterruptedException {
            Thread.sleep(d);
          }
        };
  }

  /**
   * A dependency as the messages name it.
   *
   * @param name e.g. "Kafka"
   * @param address where it was looked for (no credentials)
   * @param settings the settings to check, e.g. "kafka.bootstrap.servers / KAFKA_BOOTSTRAP_SERVERS"
   */
  record Dependency(String name, String address, String settings) {}

  /** The dependency did not answer (connection refused, timeout, 5xx, breaker open). */
  static final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;

    Unavailable(String reason) {
      super(reason, null, false, false);
    }
  }

  /** One check; {@code timeout} bounds how long it may wait for an answer. */
  @FunctionalInterface
  interface Attempt<T> {
    T run(Duration timeout) throws Unavailable, InterruptedException;
  }

  private final Duration timeout;
  private final Instant deadline;
  private final Clock clock;
  private final DoubleSupplier random;
  private final Consumer<String> log;

  StartupRetry(Duration timeout, Clock clock, DoubleSupplier random, Consumer<String> log) {
    this.timeout = timeout;
    this.clock = clock;
    this.random = random;
    this.log = log;
    this.deadline = clock.now().plus(timeout);
  }

  /** Runs {@code attempt} until it succeeds or the deadline passes. */
  <T> T until(Dependency dependency, Attempt<T> attempt) throws InterruptedException {
    Duration delay = FIRST_DELAY;
    int waits = 0;
    while (true) {
      Duration remaining = remaining();
      Duration attemptTimeout =
          remaining.compareTo(MIN_ATTEMPT) < 0
              ? MIN_ATTEMPT
              : remaining.compareTo(MAX_ATTEMPT) > 0 ? MAX_ATTEMPT : remaining;
      String reason;
      try {
        T result = attempt.run(attemptTimeout);
        if (waits > 0) {
          log.accept(dependency.name() + " at " + dependency.address() + " is reachable now");
        }
        return result;
      } catch (Unavailable e) {
        reason = e.getMessage();
      }
      remaining = remaining();
      if (remaining.isZero()) {
        throw new DependencyUnavailableException(
            dependency.name()
                + " at "
                + dependency.address()
                + " is still unreachable after "
                + seconds(timeout)
                + " ("
                + StartupSettings.TIMEOUT.key()
                + " / "
                + StartupSettings.TIMEOUT.env()
                + " = "
                + timeout.toMillis()
                + "). Check "
                + dependency.settings()
                + " and that it is up, or allow more time with "
                + StartupSettings.TIMEOUT.key()
                + ". Last error: "
                + reason);
      }
      Duration wait = jittered(delay);
      if (wait.compareTo(remaining) > 0) {
        wait = remaining;
      }
      Instant next = clock.now().plus(wait);
      log.accept(
          "Waiting for "
              + dependency.name()
              + " at "
              + dependency.address()
              + " ("
              + reason
              + "); next attempt at "
              + next.truncatedTo(ChronoUnit.MILLIS)
              + " (in "
              + seconds(wait)
              + "), giving up at "
              + deadline.truncatedTo(ChronoUnit.MILLIS)
              + " ("
              + StartupSettings.TIMEOUT.key()
              + ")");
      clock.sleep(wait);
      waits++;
      delay = delay.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay.multipliedBy(2);
    }
  }

  private Duration remaining() {
    Duration d = Duration.between(clock.now(), deadline);
    return d.isNegative() ? Duration.ZERO : d;
  }

  /** 80 to 120 % of {@code delay}: instances that failed together do not retry together. */
  private Duration jittered(Duration delay) {
    return Duration.ofMillis((long) (delay.toMillis() * (0.8 + 0.4 * random.getAsDouble())));
  }

  private static String seconds(Duration d) {
    return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
