package dev.twikitorders.sandbox;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS and mutual TLS, with certificates of the test PKI. */
class TlsTest {
  static final String ID = "5f0c1a0e-8a3b-4c1e-9d2f-0a1b2c3d4e5f";
  @TempDir static Path dir;
  static TestPki pki;

  @BeforeAll
  static void pki() {
    pki = TestPki.create(dir.resolve("pki"));
  }

  private static HttpClient client(SSLContext ssl, HttpClient.Version version) {
    HttpClient.Builder b =
        HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(5));
    if (ssl != null) {
      b.sslContext(ssl);
    }
    return b.build();
  }

  private static HttpResponse<String> get(HttpClient client, URI uri, String token)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String token(HttpClient client, TwikitSandbox sb) throws Exception {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(sb.tokenUrl())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "grant_type=client_credentials&client_id=demo&client_secret=demo-secret"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return SandboxHttp.json(r).get("access_token").asText();
  }

  @Test
  void httpsServesEverythingAndReportsHttpsUrls() throws Exception {
    try (TwikitSandbox sb =
        TwikitSandbox.start(
            SandboxConfig.builder()
                .eventLoops(1)
                .tls(pki.serverCertPem(), pki.serverKeyPem())
                .build())) {
      assertThat(sb.apiUrl().getScheme()).isEqualTo("https");
      assertThat(sb.tokenUrl().toString()).startsWith("https://127.0.0.1:");
      assertThat(sb.issuerUrl().getScheme()).isEqualTo("https");
      assertThat(sb.authorizationUrl().getScheme()).isEqualTo("https");
      assertThat(sb.registrationUrl().getScheme()).isEqualTo("https");
      assertThat(sb.adminUrl().getScheme()).isEqualTo("https");

      HttpClient trusting = client(pki.clientContext(false), HttpClient.Version.HTTP_1_1);
      String token = token(trusting, sb);
      HttpResponse<String> api =
          get(trusting, URI.create(sb.apiUrl() + "/configurations/" + ID), token);
      assertThat(api.statusCode()).isEqualTo(200);
      HttpResponse<String> metadata = get(trusting, sb.metadataUrl(), null);
      assertThat(SandboxHttp.json(metadata).get("issuer").asText())
          .isEqualTo(sb.issuerUrl().toString());
      assertThat(SandboxHttp.json(metadata).get("token_endpoint").asText())
          .isEqualTo(sb.tokenUrl().toString());

      // h2 by ALPN
      HttpClient h2 = client(pki.clientContext(false), HttpClient.Version.HTTP_2);
      HttpResponse<String> viaH2 =
          get(h2, URI.create(sb.apiUrl() + "/configurations/" + ID + "/summary"), token);
      assertThat(viaH2.statusCode()).isEqualTo(200);
      assertThat(viaH2.version()).isEqualTo(HttpClient.Version.HTTP_2);

      // a client without the CA refuses the server
      HttpClient untrusting = client(null, HttpClient.Version.HTTP_1_1);
      assertThatThrownBy(() -> get(untrusting, URI.create(sb.apiUrl() + "/status"), null))
          .isInstanceOf(IOException.class);
      // plain HTTP on the TLS port is no API
      HttpClient plain = client(null, HttpClient.Version.HTTP_1_1);
      URI httpUri = URI.create("http://127.0.0.1:" + sb.port() + "/status");
      boolean plainServed;
      try {
        plainServed = get(plain, httpUri, null).statusCode() == 200;
      } catch (IOException e) {
        plainServed = false;
      }
      assertThat(plainServed).isFalse();
    }
  }

  @Test
  void clientCaRequiresAClientCertificate() throws Exception {
    try (TwikitSandbox sb =
        TwikitSandbox.start(
            SandboxConfig.builder()
                .eventLoops(1)
                .tls(pki.serverCertPem(), pki.serverKeyPem())
                .clientCaFile(pki.caCertPem())
                .build())) {
      URI status = URI.create(sb.apiUrl() + "/status");
      HttpClient withoutCert = client(pki.clientContext(false), HttpClient.Version.HTTP_1_1);
      assertThatThrownBy(() -> get(withoutCert, status, null)).isInstanceOf(IOException.class);

      HttpClient withCert = client(pki.clientContext(true), HttpClient.Version.HTTP_1_1);
      assertThat(get(withCert, status, null).statusCode()).isEqualTo(200);
      String token = token(withCert, sb);
      assertThat(
              get(withCert, URI.create(sb.apiUrl() + "/configurations/" + ID), token).statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void clientCertificateOfAnotherCaIsRefused() throws Exception {
    TestPki other = TestPki.create(dir.resolve("other"));
    try (TwikitSandbox sb =
        TwikitSandbox.start(
            SandboxConfig.builder()
                .eventLoops(1)
                .tls(pki.serverCertPem(), pki.serverKeyPem())
                .clientCaFile(other.caCertPem())
                .build())) {
      // trusts the server (our CA) and presents a certificate the server's client CA did not sign
      HttpClient client = client(pki.clientContext(true), HttpClient.Version.HTTP_1_1);
      assertThatThrownBy(() -> get(client, URI.create(sb.apiUrl() + "/status"), null))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void unreadableTlsFilesAreClearErrors() {
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(
            () ->
                TwikitSandbox.start(
                    SandboxConfig.builder().eventLoops(1).tls(missing, pki.serverKeyPem()).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("certFile")
        .hasMessageContaining("missing.pem");
    assertThatThrownBy(() -> SandboxConfig.builder().certFile(pki.serverCertPem()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keyFile");
    assertThatThrownBy(() -> SandboxConfig.builder().clientCaFile(pki.caCertPem()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("clientCaFile");
  }
}
