package dev.twikitorders.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.auth.AuthEvents;
import dev.twikitorders.auth.AuthSettings;
import dev.twikitorders.auth.Authenticator;
import dev.twikitorders.auth.Authenticators;
import dev.twikitorders.auth.http.JdkAuthHttp;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

/** Backoff bounds and policy checks (no request is sent). */
class BackoffTest {

  @Test
  void fullJitterStaysUnderTheDoublingCapAndALongerRetryAfterWinsUpToItsCap() {
    DeliveryPolicy policy =
        DeliveryPolicy.DEFAULT
            .withBackoff(Duration.ofMillis(100), Duration.ofMillis(1000))
            .withMaxRetryAfter(Duration.ofSeconds(5));
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try (JdkAuthHttp authHttp =
            new JdkAuthHttp(null, Duration.ofSeconds(1), Duration.ofSeconds(1), 1000);
        Authenticator none =
            Authenticators.create(
                new AuthSettings.None(), authHttp, scheduler, AuthEvents.NOOP, Clock.systemUTC());
        HttpDelivery http =
            new HttpDelivery(
                URI.create("http://127.0.0.1:9/sink"),
                none,
                null,
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Clock.systemUTC());
        PartitionDelivery p = new PartitionDelivery(http, policy, scheduler, o -> {})) {
      for (int attempt = 1; attempt <= 10; attempt++) {
        long cap = Math.min(1000, 100L << (attempt - 1));
        for (int i = 0; i < 50; i++) {
          assertThat(p.backoff(attempt, Optional.empty()))
              .isBetween(Duration.ZERO, Duration.ofMillis(cap));
        }
      }
      assertThat(p.backoff(1, Optional.of(Duration.ofSeconds(3)))).isEqualTo(Duration.ofSeconds(3));
      assertThat(p.backoff(1, Optional.of(Duration.ofMinutes(3)))).isEqualTo(Duration.ofSeconds(5));
      assertThat(p.backoff(40, Optional.of(Duration.ZERO)))
          .isLessThanOrEqualTo(Duration.ofSeconds(1));
      assertThat(p.pending()).isZero();
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void aBadPolicyIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> DeliveryPolicy.DEFAULT.withBatching(0, Duration.ZERO))
        .hasMessageContaining("maxBatchRecords");
    assertThatThrownBy(
            () -> DeliveryPolicy.DEFAULT.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("maxBackoff");
    assertThatThrownBy(() -> DeliveryPolicy.DEFAULT.withDeadline(Duration.ZERO))
        .hasMessageContaining("deadline");
  }
}
