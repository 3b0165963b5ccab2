package dev.twikitorders.enricher.config;

import dev.twikitorders.settings.Setting;
import dev.twikitorders.settings.SettingValues;
import java.time.Duration;
import java.util.List;

/**
 * How long {@code run} waits for Kafka, the schema registry and Twikit to become reachable at
 * start. A dependency that is down (connection refused, timeout, 5xx, circuit breaker open) is
 * retried with backoff until the timeout, then {@code run} exits 3; a configuration error (bad
 * value, refused credentials, missing topic) stops it at once (exit 2).
 *
 * <p>Immutable and thread-safe.
 *
 * @param timeout the whole start-up budget, shared by the three dependencies; zero: no retry
 */
public record StartupSettings(Duration timeout) {
  public static final Setting TIMEOUT =
      new Setting(
          "startup.timeout.ms",
          "120000",
          false,
          "How long `run` retries Kafka, the registry and Twikit at start while they are"
              + " unreachable (backoff 1 s doubling to 15 s), before it exits 3; 0 = no retry."
              + " Configuration errors exit 2 at once.");

  static final List<Setting> SETTINGS = List.of(TIMEOUT);

  static StartupSettings read(SettingValues v) {
    return new StartupSettings(v.millis(TIMEOUT, 0));
  }
}
