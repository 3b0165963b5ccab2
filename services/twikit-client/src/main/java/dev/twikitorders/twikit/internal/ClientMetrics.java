package dev.twikitorders.twikit.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The client's Micrometer meters. Tags carry only operation names, outcomes, reasons and status
 * classes: never an id, token or secret. Meters are removed from the registry on {@link #close()}.
 *
 * <ul>
 *   <li>{@code twikit.client.requests}: timer per call, tags {@code operation}, {@code outcome}
 *       ({@code success} or the failure kind in lower case), {@code status} ({@code 2xx}..{@code
 *       5xx} or {@code none})
 *   <li>{@code twikit.client.retries}: counter, tags {@code operation}, {@code reason}
 *   <li>{@code twikit.client.token.requests}: counter, tag {@code outcome}
 *   <li>{@code twikit.client.inflight}: gauge of HTTP requests in flight
 *   <li>{@code twikit.client.queued}: gauge of calls waiting for an in-flight slot
 *   <li>{@code twikit.client.breaker.state}: gauge, 0 closed, 1 half-open, 2 open
 *   <li>{@code twikit.client.token.obtained.timestamp.seconds}: gauge, when the token in use was
 *       obtained (the last renewal)
 *   <li>{@code twikit.client.rate.limited}: counter of API responses with status 429 (each attempt,
 *       whether retried or not), tag {@code operation}
 *   <li>{@code twikit.client.token.expires.in.seconds}: gauge, seconds until the access token in
 *       use expires (negative once expired; NaN before the first token)
 * </ul>
 *
 * <p>The request timer publishes a percentile histogram (buckets from 1 ms to 60 s), so that
 * p50/p95/p99 can be computed over several instances with {@code histogram_quantile}.
 *
 * <p>Every meter also has the tag {@code client} (the configured client name).
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ClientMetrics implements AutoCloseable {

  private final MeterRegistry registry;
  private final Tags common;
  private final Set<Meter> registered = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> attempts = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
  private volatile Instant tokenExpiresAt;
  private volatile Instant tokenObtainedAt;
  private volatile Clock clock = Clock.systemUTC();

  public ClientMetrics(MeterRegistry registry, String clientName) {
    this.registry = registry;
    this.common = Tags.of("client", clientName);
  }

  public void gauge(String name, String description, Supplier<Number> value) {
    registered.add(
        Gauge.builder(name, value).description(description).tags(common).register(registry));
  }

  public void recordCall(String operation, String outcome, String statusClass, long nanos) {
    timers
        .computeIfAbsent(
            operation + '|' + outcome + '|' + statusClass,
            k ->
                histogram(
                    Timer.builder("twikit.client.requests")
                        .description("Twikit API calls, including their retries")
                        .tag("operation", operation)
                        .tag("outcome", outcome)
                        .tag("status", statusClass)))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * One HTTP attempt's round trip, from sending the request to its answer (any status) or I/O
   * error, without the waits before it (in-flight slot, rate, backoff): the API's own latency.
   */
  public void recordAttempt(String operation, long nanos) {
    attempts
        .computeIfAbsent(
            operation,
            k ->
                histogram(
                    Timer.builder("twikit.client.attempts")
                        .description(
                            "Round trip of each Twikit HTTP request (send to answer), without"
                                + " queueing")
                        .tag("operation", operation)))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Registers a timer with the common tags and a percentile histogram from 1 ms to 60 s. */
  private Timer histogram(Timer.Builder builder) {
    Timer t =
        builder
            .tags(common)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(60))
            .register(registry);
    registered.add(t);
    return t;
  }

  public void retry(String operation, String reason) {
    counter(
            "twikit.client.retries",
            "Retries of Twikit calls",
            "operation",
            operation,
            "reason",
            reason)
        .increment();
  }

  /**
   * One API response with status 429 (registers the counter on first use, see {@link
   * #rateLimitedCounter}).
   */
  public void rateLimited() {
    rateLimitedCounter().increment();
  }

  /**
   * Registers {@code twikit.client.rate.limited} (at start, so that it reads 0 before the first 429
   * instead of being absent).
   */
  public Counter rateLimitedCounter() {
    return counter(
        "twikit.client.rate.limited",
        "Twikit API responses with status 429 (rate limited), every attempt",
        null,
        null,
        null,
        null);
  }

  /**
   * Registers {@code twikit.client.token.expires.in.seconds}: the seconds from {@code clock}'s now
   * to the expiry last given to {@link #tokenObtained}, NaN before that.
   */
  public void tokenExpiryGauge(Clock clock) {
    this.clock = clock;
    gauge(
        "twikit.client.token.obtained.timestamp.seconds",
        "when the access token in use was obtained (Unix time, seconds; NaN before the first)",
        () -> {
          Instant at = tokenObtainedAt;
          return at == null ? Double.NaN : at.toEpochMilli() / 1000.0;
        });
    gauge(
        "twikit.client.token.expires.in.seconds",
        "seconds until the access token in use expires",
        () -> {
          Instant at = tokenExpiresAt;
          return at == null
              ? Double.NaN
              : Duration.between(clock.instant(), at).toMillis() / 1000.0;
        });
  }

  /** An access token valid until {@code expiresAt} is now in use. */
  public void tokenObtained(Instant expiresAt) {
    tokenExpiresAt = expiresAt;
    tokenObtainedAt = clock.instant();
  }

  public void tokenRequest(String outcome) {
    counter(
            "twikit.client.token.requests",
            "OAuth 2.0 token requests",
            "outcome",
            outcome,
            null,
            null)
        .increment();
  }

  private Counter counter(
      String name, String description, String k1, String v1, String k2, String v2) {
    return counters.computeIfAbsent(
        name + '|' + v1 + '|' + v2,
        k -> {
          Counter.Builder b = Counter.builder(name).description(description).tags(common);
          if (k1 != null) {
            b.tag(k1, v1);
          }
          if (k2 != null) {
            b.tag(k2, v2);
          }
          Counter c = b.register(registry);
          registered.add(c);
          return c;
        });
  }

  /** {@code 2xx}.. for a status, {@code none} for 0. */
  public static String statusClass(int status) {
    return status <= 0 ? "none" : (status / 100) + "xx";
  }

  @Override
  public void close() {
    for (Meter m : registered) {
      registry.remove(m);
    }
    registered.clear();
    timers.clear();
    counters.clear();
  }
}
