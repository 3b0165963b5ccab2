package dev.twikitorders.twikit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.auth.ClientAuthMethod;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.tls.KeyMaterial;
import dev.twikitorders.auth.tls.StoreType;
import dev.twikitorders.auth.tls.TlsSettings;
import dev.twikitorders.auth.tls.TrustMaterial;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TwikitClientConfigTest {

  private static TwikitClientConfig.Builder minimal() {
    return TwikitClientConfig.builder()
        .apiUrl("http://localhost:1/api")
        .tokenUrl("http://localhost:1/oauth2/token")
        .clientId("demo")
        .clientSecret(Secret.of("s3cr3t-value"));
  }

  @Test
  void documentedDefaults() {
    TwikitClientConfig c = minimal().build();
    assertThat(c.authMethod()).isEqualTo(ClientAuthMethod.CLIENT_SECRET_BASIC);
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.responseTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.maxInFlight()).isEqualTo(256);
    assertThat(c.maxConnections()).isEqualTo(256);
    assertThat(c.httpProtocol()).isEqualTo(HttpProtocol.HTTP_1_1);
    assertThat(c.retryPolicy())
        .isEqualTo(
            new RetryPolicy(
                5, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(30)));
    assertThat(c.circuitBreaker())
        .isEqualTo(new CircuitBreakerSettings(true, 10, Duration.ofSeconds(5)));
    assertThat(c.paths()).isEqualTo(TwikitPaths.DEFAULT);
    assertThat(c.scope()).isEmpty();
    assertThat(c.tls()).isEqualTo(TlsSettings.DEFAULT);
    assertThat(c.allowInsecureHttp()).isFalse();
    assertThat(c.meterRegistry()).isEmpty();
    assertThat(c.clientName()).isEqualTo("twikit");
    assertThat(minimal().httpProtocol(HttpProtocol.HTTP_2).build().maxConnections()).isEqualTo(4);
  }

  @Test
  void toStringNeverShowsSecrets() {
    TwikitClientConfig c =
        minimal()
            .tls(
                new TlsSettings(
                    TrustMaterial.jks(Path.of("trust.jks"), Secret.of("ts-password-2")),
                    KeyMaterial.store(
                        Path.of("client.p12"),
                        StoreType.PKCS12,
                        Secret.of("ks-password-1"),
                        Secret.of("key-password-3"))))
            .build();
    assertThat(c.toString())
        .doesNotContain("s3cr3t-value", "ks-password-1", "ts-password-2", "key-password-3")
        .contains("demo", "client.p12", "trust.jks");
    assertThat(c.clientSecret().toString()).isEqualTo("****");
    assertThat(c.toBuilder().build().toString()).isEqualTo(c.toString());
  }

  @Test
  void plainHttpIsForLoopbackUnlessAllowed() {
    assertThat(minimal().apiUrl("http://127.0.0.1:8080").tokenUrl("http://[::1]/t").build())
        .isNotNull();
    assertThatThrownBy(() -> minimal().apiUrl("http://twikit-sandbox:8089").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "apiUrl is http:// for host twikit-sandbox, which is not loopback: use https:// or set"
                + " allowInsecureHttp=true");
    assertThatThrownBy(() -> minimal().tokenUrl("http://idp.example.com/token").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tokenUrl is http:// for host idp.example.com");
    TwikitClientConfig allowed =
        minimal()
            .apiUrl("http://twikit-sandbox:8089")
            .tokenUrl("http://twikit-sandbox:8089/oauth2/token")
            .allowInsecureHttp(true)
            .build();
    assertThat(allowed.allowInsecureHttp()).isTrue();
    assertThat(allowed.toBuilder().build().allowInsecureHttp()).isTrue();
    assertThat(minimal().apiUrl("https://api.example.com").build().apiUrl().getHost())
        .isEqualTo("api.example.com");
  }

  @Test
  void rejectsBadSettings() {
    assertThatThrownBy(() -> minimal().apiUrl("ftp://x").build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> minimal().apiUrl("http://user:pw@x").build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> minimal().clientId(" ").build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> minimal().maxInFlight(0).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> minimal().responseTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> minimal().clientSecret(null).build())
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(
            () ->
                new RetryPolicy(
                    0, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TwikitPaths.DEFAULT.withSummary("/summary"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TwikitPaths.DEFAULT.withStatus("/status/{id}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not contain {id}");
    assertThatThrownBy(() -> TwikitPaths.DEFAULT.withUpdateMany("configurations"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must start with '/'");
  }

  @Test
  void secretComparesAndMasks() {
    assertThat(Secret.of("abc"))
        .isEqualTo(Secret.of("abc".toCharArray()))
        .isNotEqualTo(Secret.of("abd"));
    assertThat(Secret.of("abc").isContainedIn("xxabcxx")).isTrue();
    assertThat(String.valueOf(Secret.of("abc"))).isEqualTo("****");
  }

  @Test
  void unwrapFindsTheExceptionThroughWrappers() {
    TwikitException e =
        new TwikitException(
            TwikitException.Kind.NOT_FOUND,
            TwikitOperation.SUMMARY,
            "id-1",
            404,
            1,
            null,
            "not_found",
            "HTTP 404",
            null);
    assertThat(TwikitException.unwrap(new java.util.concurrent.CompletionException(e)))
        .containsSame(e);
    assertThat(TwikitException.unwrap(new java.util.concurrent.ExecutionException(e)))
        .containsSame(e);
    assertThat(TwikitException.unwrap(new RuntimeException("x"))).isEmpty();
    assertThat(e.isTransient()).isFalse();
    assertThat(e.getMessage()).contains("summary", "id-1", "404", "attempts 1");
    assertThat(TwikitException.Kind.UNAVAILABLE.isTransient()).isTrue();
  }
}
