package dev.twikitorders.twikit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.tls.KeyMaterial;
import dev.twikitorders.auth.tls.TlsMaterialException;
import dev.twikitorders.auth.tls.TlsSettings;
import dev.twikitorders.auth.tls.TrustMaterial;
import dev.twikitorders.testpki.TestPki;
import dev.twikitorders.twikit.model.ApiStatus;
import dev.twikitorders.twikit.model.Summary;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client over real HTTPS: a loopback {@link com.sun.net.httpserver.HttpsServer} with the test
 * PKI's server certificate answers the token endpoint, the status and a summary. The client trusts
 * it only with the test CA, and passes a server that requires client certificates only with key
 * material (PEM or PKCS12).
 */
class TlsTest {

  private static final String ID = "1c0ffee0-0000-4000-8000-000000000001";
  private static final String SUMMARY =
      "{\"uuid\":\""
          + ID
          + "\",\"productUuid\":\"p-1\",\"productTitle\":\"Chair\",\"sku\":\"CH-1\","
          + "\"price\":{\"amount\":12.5,\"currency\":\"EUR\"},"
          + "\"parameters\":[{\"name\":\"color\",\"label\":\"Color\",\"value\":\"red\","
          + "\"displayValue\":\"Red\"}]}";

  @TempDir static Path dir;
  static TestPki pki;
  static Secret password;

  @BeforeAll
  static void pki() {
    pki = TestPki.create(dir.resolve("pki"));
    password = Secret.of(pki.password());
  }

  /** The server side, built with plain JDK calls: the server key store, trusting the test CA. */
  private static SSLContext serverContext() throws Exception {
    char[] pw = pki.password().toCharArray();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(pki.serverKeyStore())) {
      keys.load(in, pw);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, pw);
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("ca", pki.caCertificate());
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return context;
  }

  private static CannedServer server(boolean needClientAuth) throws Exception {
    return new CannedServer(serverContext(), needClientAuth)
        .on("/oauth2/token", CannedServer.token())
        .on("/status", CannedServer.json(200, "{\"status\":\"ok\",\"version\":\"1.2.3\"}"))
        .on("/configurations/" + ID + "/summary", CannedServer.json(200, SUMMARY));
  }

  private static TwikitClientConfig config(CannedServer server, TlsSettings tls) {
    return TwikitClientConfig.builder()
        .apiUrl(server.url(""))
        .tokenUrl(server.url("/oauth2/token"))
        .clientId("demo")
        .clientSecret(Secret.of("tls-secret-1"))
        .retryPolicy(
            new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(1)))
        .tls(tls)
        .build();
  }

  private static TlsSettings trustingTestCa() {
    return TlsSettings.trusting(TrustMaterial.pem(pki.caCertPem()));
  }

  private static void assertRefusedByTls(CannedServer server, TlsSettings tls) {
    assertRefused(server, tls, true);
  }

  /**
   * Without a client certificate the server refuses the connection; under TLS 1.3 the client has
   * finished its side of the handshake by then, so the refusal reaches it either as an alert (an
   * {@link SSLException}) or as a connection closed before any answer: both are UNAVAILABLE, and
   * the server served nothing.
   */
  private static void assertRefusedForMissingClientCertificate(
      CannedServer server, TlsSettings tls) {
    assertRefused(server, tls, false);
  }

  private static void assertRefused(CannedServer server, TlsSettings tls, boolean sslCause) {
    try (TwikitApi api = TwikitClient.create(config(server, tls))) {
      Throwable t = catchThrowable(() -> api.summary(ID).join());
      TwikitException e = TwikitException.unwrap(t).orElseThrow();
      assertThat(e.kind()).isEqualTo(TwikitException.Kind.UNAVAILABLE);
      if (sslCause) {
        assertThat(chainHas(e, SSLException.class))
            .as("an SSLException in the cause chain of %s", e)
            .isTrue();
      }
      assertThat(server.hits("/configurations/" + ID + "/summary")).isZero();
    }
  }

  private static boolean chainHas(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private static void assertServedOverTls(CannedServer server, TlsSettings tls) {
    try (TwikitApi api = TwikitClient.create(config(server, tls))) {
      ApiStatus status = api.status().join();
      assertThat(status.version()).isEqualTo("1.2.3");
      Summary summary = api.summary(ID).join();
      assertThat(summary.sku()).isEqualTo("CH-1");
      assertThat(server.hits("/oauth2/token")).isEqualTo(1); // the token came over TLS as well
    }
  }

  @Test
  void theServerIsRefusedWithoutTheTestCa() throws Exception {
    try (CannedServer server = server(false)) {
      assertRefusedByTls(server, TlsSettings.DEFAULT);
      assertRefusedByTls(server, TlsSettings.trusting(TrustMaterial.pem(pki.otherCaCertPem())));
      assertThat(server.hits("/oauth2/token")).isZero();
    }
  }

  @Test
  void theServerIsAcceptedWithTheTestCa() throws Exception {
    try (CannedServer server = server(false)) {
      assertServedOverTls(server, trustingTestCa());
    }
    try (CannedServer server = server(false)) {
      assertServedOverTls(
          server, TlsSettings.trusting(TrustMaterial.pkcs12(pki.trustStore(), password)));
    }
  }

  @Test
  void aServerRequiringClientCertificatesRefusesAClientWithout() throws Exception {
    try (CannedServer server = server(true)) {
      assertRefusedForMissingClientCertificate(server, trustingTestCa());
      assertThat(server.hits("/oauth2/token")).isZero();
    }
  }

  @Test
  void aServerRequiringClientCertificatesAcceptsPemKeyMaterial() throws Exception {
    try (CannedServer server = server(true)) {
      assertServedOverTls(
          server,
          trustingTestCa()
              .withKey(
                  KeyMaterial.pem(pki.clientCertPem(), pki.clientEncryptedKeyPem(), password)));
    }
    try (CannedServer server = server(true)) {
      assertServedOverTls(
          server,
          trustingTestCa().withKey(KeyMaterial.pem(pki.clientCertPem(), pki.clientKeyPem(), null)));
    }
  }

  @Test
  void aServerRequiringClientCertificatesAcceptsPkcs12KeyMaterial() throws Exception {
    try (CannedServer server = server(true)) {
      assertServedOverTls(
          server, trustingTestCa().withKey(KeyMaterial.pkcs12(pki.clientKeyStore(), password)));
    }
  }

  @Test
  void unusableTlsMaterialFailsCreationNamingTheFile() {
    TwikitClientConfig config =
        TwikitClientConfig.builder()
            .apiUrl("https://localhost:1/api")
            .tokenUrl("https://localhost:1/oauth2/token")
            .clientId("demo")
            .clientSecret(Secret.of("tls-secret-1"))
            .tls(
                trustingTestCa()
                    .withKey(KeyMaterial.pkcs12(pki.clientKeyStore(), Secret.of("wrong-pw-3"))))
            .build();
    assertThatThrownBy(() -> TwikitClient.create(config).close())
        .isInstanceOf(TlsMaterialException.class)
        .hasMessageContaining(pki.clientKeyStore().toString())
        .hasMessageContaining("password does not open it")
        .hasMessageNotContaining("wrong-pw-3")
        .hasMessageNotContaining(pki.password());
  }
}
