package dev.twikitorders.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.testpki.TestPki;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real registry serving HTTPS only from {@link TestPki}'s PEM certificate and key: a client
 * that trusts the test CA gets answers, one that does not (the JDK's default trust, an unrelated
 * CA) fails the handshake, and plain HTTP gets no answer. One registry for the class.
 */
class EmbeddedSchemaRegistryHttpsIT {
  @TempDir static Path dir;

  private static TestPki pki;
  private static EmbeddedSchemaRegistry registry;

  @BeforeAll
  static void startRegistry() {
    pki = TestPki.create(dir.resolve("pki"));
    registry =
        EmbeddedSchemaRegistry.builder()
            .https(pki.serverCertPem(), pki.serverKeyPem(), pki.caCertPem())
            .start();
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void answersOverHttpsAClientThatTrustsTheTestCa() throws Exception {
    assertThat(registry.isHttps()).isTrue();
    assertThat(registry.url())
        .isEqualTo("https://127.0.0.1:" + registry.port() + "/apis/ccompat/v7");

    try (HttpClient http = client(pki.clientContext(false))) {
      HttpResponse<String> subjects = get(http, registry.url() + "/subjects");
      // the start-up stored the default compatibility over HTTPS too
      HttpResponse<String> config = get(http, registry.url() + "/config");

      assertThat(subjects.statusCode()).isEqualTo(200);
      assertThat(subjects.body()).isEqualTo("[]");
      assertThat(config.body()).contains("\"compatibilityLevel\":\"BACKWARD\"");
    }
  }

  @Test
  void refusesAClientWithTheDefaultTrust() throws Exception {
    try (HttpClient http = client(SSLContext.getDefault())) {
      assertThatThrownBy(() -> get(http, registry.url() + "/subjects"))
          .isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void refusesAClientThatTrustsAnotherCa() {
    try (HttpClient http = client(EmbeddedSchemaRegistry.trusting(pki.otherCaCertPem()))) {
      assertThatThrownBy(() -> get(http, registry.url() + "/subjects"))
          .isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void servesNoPlainHttp() {
    String plain = "http://127.0.0.1:" + registry.port() + EmbeddedSchemaRegistry.CCOMPAT_PATH;
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      assertThatThrownBy(() -> get(http, plain + "/subjects")).isInstanceOf(IOException.class);
    }
  }

  private static HttpClient client(SSLContext context) {
    return HttpClient.newBuilder()
        .sslContext(context)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  private static HttpResponse<String> get(HttpClient http, String url)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
