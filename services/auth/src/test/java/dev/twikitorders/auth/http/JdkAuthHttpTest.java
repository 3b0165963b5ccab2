package dev.twikitorders.auth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import dev.twikitorders.auth.CannedServer;
import dev.twikitorders.testpki.TestPki;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDK client adapter: redirects, size limit, timeout, headers and HTTPS, on loopback. */
class JdkAuthHttpTest {

  @TempDir Path dir;

  private static JdkAuthHttp http(SSLContext tls, Duration responseTimeout, long limit) {
    return new JdkAuthHttp(tls, Duration.ofSeconds(2), responseTimeout, limit);
  }

  private static Throwable rootOf(CompletableFuture<?> f) {
    Throwable t = catchThrowable(f::join);
    while (t.getCause() != null
        && (t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)) {
      t = t.getCause();
    }
    return t;
  }

  @Test
  void sendsMethodHeadersAndBodyAndReturnsAnyStatusWithItsHeaders() throws Exception {
    try (CannedServer server = new CannedServer();
        JdkAuthHttp http = http(null, Duration.ofSeconds(5), 10_000)) {
      server.on(
          "/t",
          CannedServer.withHeader(
              "Retry-After", "3", CannedServer.json(429, "{\"error\":\"slow_down\"}")));
      HTTPRequest request = new HTTPRequest(HTTPRequest.Method.POST, server.url("/t"));
      request.setAuthorization("Basic Zm9vOmJhcg==");
      request.setHeader("Content-Type", "application/x-www-form-urlencoded");
      request.setBody("grant_type=client_credentials");
      HTTPResponse r = http.send(request).join();
      assertThat(r.getStatusCode()).isEqualTo(429);
      assertThat(r.getHeaderValue("Retry-After")).isEqualTo("3");
      assertThat(r.getBody()).contains("slow_down");
      CannedServer.Received got = server.received("/t").get(0);
      assertThat(got.method()).isEqualTo("POST");
      assertThat(got.header("Authorization")).isEqualTo("Basic Zm9vOmJhcg==");
      assertThat(got.body()).isEqualTo("grant_type=client_credentials");
      assertThat(http.toString()).doesNotContain("Zm9v");
    }
  }

  @Test
  void neverFollowsRedirects() throws Exception {
    try (CannedServer server = new CannedServer();
        JdkAuthHttp http = http(null, Duration.ofSeconds(5), 10_000)) {
      server
          .on("/a", CannedServer.redirect(302, server.url("/b").toString()))
          .on("/b", CannedServer.json(200, "{}"));
      HTTPResponse r = http.send(new HTTPRequest(HTTPRequest.Method.GET, server.url("/a"))).join();
      assertThat(r.getStatusCode()).isEqualTo(302);
      assertThat(server.received("/b")).isEmpty();
    }
  }

  @Test
  void refusesBodiesOverTheLimitWithAndWithoutContentLength() throws Exception {
    try (CannedServer server = new CannedServer();
        JdkAuthHttp http = http(null, Duration.ofSeconds(5), 100)) {
      for (boolean chunked : new boolean[] {false, true}) {
        server.on("/ok", CannedServer.body(200, "application/json", new byte[100], chunked));
        assertThat(
                http.send(new HTTPRequest(HTTPRequest.Method.GET, server.url("/ok")))
                    .join()
                    .getStatusCode())
            .isEqualTo(200);
        server.on("/big", CannedServer.body(500, "text/html", new byte[5000], chunked));
        Throwable t =
            rootOf(http.send(new HTTPRequest(HTTPRequest.Method.GET, server.url("/big"))));
        assertThat(t)
            .isInstanceOfSatisfying(
                AuthHttp.ResponseTooLargeException.class,
                e -> assertThat(e.status()).isEqualTo(500))
            .hasMessageContaining("larger than 100 bytes");
      }
    }
  }

  @Test
  void noAnswerInTimeIsASocketTimeout() throws Exception {
    CompletableFuture<Void> release = new CompletableFuture<>();
    try (CannedServer server = new CannedServer();
        JdkAuthHttp http = http(null, Duration.ofMillis(300), 100)) {
      server.on("/silent", exchange -> release.join());
      Throwable t =
          rootOf(http.send(new HTTPRequest(HTTPRequest.Method.GET, server.url("/silent"))));
      assertThat(t).isInstanceOf(SocketTimeoutException.class);
      release.complete(null);
    } finally {
      release.complete(null);
    }
  }

  @Test
  void httpsWithTheGivenTrustAndNoneWithoutIt() throws Exception {
    TestPki pki = TestPki.create(dir);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(pki.serverKeyStore())) {
      ks.load(in, pki.password().toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, pki.password().toCharArray());
    SSLContext serverTls = SSLContext.getInstance("TLS");
    serverTls.init(kmf.getKeyManagers(), null, null);
    try (CannedServer server = new CannedServer(serverTls);
        JdkAuthHttp trusting = http(pki.clientContext(false), Duration.ofSeconds(5), 10_000);
        JdkAuthHttp defaults = http(null, Duration.ofSeconds(5), 10_000)) {
      server.on("/m", CannedServer.json(200, "{\"ok\":true}"));
      HTTPRequest get = new HTTPRequest(HTTPRequest.Method.GET, server.url("/m"));
      assertThat(server.url("/m").getScheme()).isEqualTo("https");
      assertThat(trusting.send(get).join().getBody()).isEqualTo("{\"ok\":true}");
      assertThat(rootOf(defaults.send(get))).isInstanceOf(SSLHandshakeException.class);
    }
    assertThat(new String(Files.readAllBytes(pki.caCertPem()), StandardCharsets.US_ASCII))
        .startsWith("-----BEGIN CERTIFICATE-----");
  }
}
