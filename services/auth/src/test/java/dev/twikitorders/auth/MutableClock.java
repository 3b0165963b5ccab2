package dev.twikitorders.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A test clock that follows the system clock plus an offset the test can advance. Thread-safe. */
public final class MutableClock extends Clock {

  private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);
  private final Instant frozen;

  private MutableClock(Instant frozen) {
    this.frozen = frozen;
  }

  /** Ticks with the system clock, plus the advanced offset. */
  public static MutableClock ticking() {
    return new MutableClock(null);
  }

  /** Stands still at {@code at}, plus the advanced offset. */
  public static MutableClock fixed(Instant at) {
    return new MutableClock(at);
  }

  public void advance(Duration d) {
    offset.accumulateAndGet(d, Duration::plus);
  }

  @Override
  public Instant instant() {
    return (frozen == null ? Instant.now() : frozen).plus(offset.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
