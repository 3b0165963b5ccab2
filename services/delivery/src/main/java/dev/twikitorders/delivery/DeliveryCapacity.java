package dev.twikitorders.delivery;

import dev.twikitorders.capacity.ConcurrencyLimiter;
import dev.twikitorders.capacity.ConcurrencySettings;
import dev.twikitorders.capacity.RateGate;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What one delivery service instance may ask of its endpoint, shared by all its partitions through
 * their {@link HttpDelivery}: a limit of requests in flight ({@link ConcurrencyLimiter}, adaptive
 * between a floor and a ceiling, or fixed) and a rate of requests per second ({@link RateGate},
 * lowered for every request when the endpoint answers 429).
 *
 * <p>Every request {@link HttpDelivery#send sent} holds one slot of the limiter from before its
 * rate token until its answer (a 401 and the renewed request count as one), and tells the limiter
 * and the gate how it went: 2xx and 4xx other than 408 and 429 are round-trip samples; a timeout,
 * 408, 429 and 503 are overload signals (the limit shrinks; a 429 also lowers the rate); refused
 * connections, other 5xx and cancelled requests say nothing about the endpoint's load.
 *
 * <p>Immutable holder; the limiter and the gate are thread-safe.
 *
 * @param limiter requests in flight over all partitions
 * @param rateGate requests per second over all partitions
 */
public record DeliveryCapacity(ConcurrencyLimiter limiter, RateGate rateGate) {

  public DeliveryCapacity {
    Objects.requireNonNull(limiter, "limiter");
    Objects.requireNonNull(rateGate, "rateGate");
  }

  /**
   * A limiter with {@code concurrency} and a gate of at most {@code maxRequestsPerSecond} (0 =
   * none); their waits complete on {@code scheduler} (the caller keeps owning it).
   */
  public static DeliveryCapacity create(
      ConcurrencySettings concurrency,
      double maxRequestsPerSecond,
      ScheduledExecutorService scheduler) {
    Objects.requireNonNull(scheduler, "scheduler");
    return new DeliveryCapacity(
        ConcurrencyLimiter.create(concurrency, scheduler),
        RateGate.create(maxRequestsPerSecond, scheduler));
  }

  /** The current limit of requests in flight. */
  public int limit() {
    return limiter.limit();
  }

  /** Requests in flight now (holding a slot: waiting for a rate token, sent or being answered). */
  public int inFlight() {
    return limiter.inUse();
  }

  /** Requests waiting for a slot now. */
  public int queued() {
    return limiter.queued();
  }

  /** The current rate in requests per second; 0 while unlimited. */
  public double rate() {
    return rateGate.rate();
  }

  /** 429 answers so far. */
  public long rateLimited() {
    return rateGate.rateLimited();
  }

  @Override
  public String toString() {
    ConcurrencySettings s = limiter.settings();
    return "DeliveryCapacity["
        + s.mode().settingValue()
        + " "
        + s.floor()
        + ".."
        + s.ceiling()
        + ", limit "
        + limit()
        + ", max rate "
        + (rateGate.maxRate() == 0 ? "none" : rateGate.maxRate() + "/s")
        + "]";
  }
}
