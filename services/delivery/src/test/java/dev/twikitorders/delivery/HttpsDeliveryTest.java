package dev.twikitorders.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twikitorders.auth.AuthEvents;
import dev.twikitorders.auth.AuthSettings;
import dev.twikitorders.auth.Authenticator;
import dev.twikitorders.auth.Authenticators;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.http.JdkAuthHttp;
import dev.twikitorders.auth.tls.SslContexts;
import dev.twikitorders.auth.tls.TlsSettings;
import dev.twikitorders.auth.tls.TrustMaterial;
import dev.twikitorders.sandbox.SandboxConfig;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.testpki.TestPki;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delivery over HTTPS to the sandbox's sink, trusting a test CA given as {@link TlsSettings}. */
class HttpsDeliveryTest {

  private static final String API_KEY = "tls-key-3b8d21";

  @Test
  void deliversOverHttpsTrustingTheConfiguredCaAndNeverWithoutIt(@TempDir Path dir)
      throws Exception {
    TestPki pki = TestPki.create(dir);
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
    try (TwikitSandbox sb =
            TwikitSandbox.start(
                SandboxConfig.builder()
                    .port(0)
                    .tls(pki.serverCertPem(), pki.serverKeyPem())
                    .apiKey(API_KEY)
                    .build());
        JdkAuthHttp authHttp =
            new JdkAuthHttp(null, Duration.ofSeconds(2), Duration.ofSeconds(10), 1_000_000);
        Authenticator auth =
            Authenticators.create(
                new AuthSettings.ApiKey(Secret.of(API_KEY)),
                authHttp,
                scheduler,
                AuthEvents.NOOP,
                Clock.systemUTC())) {
      assertThat(sb.sinkUrl("tls").getScheme()).isEqualTo("https");
      SSLContext tls = SslContexts.build(TlsSettings.trusting(TrustMaterial.pem(pki.caCertPem())));
      List<RecordOutcome> outcomes = new CopyOnWriteArrayList<>();
      List<DeliveryRecord> records = Records.lines(3);
      try (HttpDelivery http =
              new HttpDelivery(
                  sb.sinkUrl("tls"),
                  auth,
                  tls,
                  Duration.ofSeconds(2),
                  Duration.ofSeconds(10),
                  Clock.systemUTC());
          HttpDelivery untrusting =
              new HttpDelivery(
                  sb.sinkUrl("tls"),
                  auth,
                  null,
                  Duration.ofSeconds(2),
                  Duration.ofSeconds(10),
                  Clock.systemUTC());
          PartitionDelivery p =
              new PartitionDelivery(
                  http,
                  DeliveryPolicy.DEFAULT.withBatching(2, Duration.ZERO),
                  scheduler,
                  outcomes::add)) {
        records.forEach(p::submit);
        await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.size() == 3);
        assertThat(outcomes)
            .extracting(RecordOutcome::kind)
            .containsOnly(RecordOutcome.Kind.DELIVERED);
        assertThat(sb.sink("tls").keys())
            .containsExactlyElementsOf(
                records.stream().map(DeliveryRecord::idempotencyKey).toList());

        DeliveryResult refused = untrusting.send(DeliveryRequest.of(records.subList(0, 1))).join();
        assertThat(refused).isInstanceOf(DeliveryResult.Retryable.class);
        assertThat(((DeliveryResult.Retryable) refused).status()).isZero();
      }
    } finally {
      scheduler.shutdownNow();
    }
  }
}
