package dev.twikitorders.testpki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real TLS handshakes on loopback with the generated files. */
class TestPkiTest {

  @TempDir Path dir;

  @Test
  void writesPemFilesAndStores() throws Exception {
    TestPki pki = TestPki.create(dir);
    assertThat(Files.readString(pki.serverCertPem())).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(Files.readString(pki.serverKeyPem())).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Files.readString(pki.clientEncryptedKeyPem()))
        .startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
    assertThat(Files.readString(pki.passwordFile()).strip()).isEqualTo(pki.password());
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(pki.serverKeyStore())) {
      ks.load(in, pki.password().toCharArray());
    }
    assertThat(ks.getCertificateChain("server")).hasSize(2);
  }

  @Test
  void mutualTlsHandshakeSucceedsWithTheClientCertificateAndFailsWithout() throws Exception {
    TestPki pki = TestPki.create(dir);
    assertThat(exchange(pki, true, true)).isEqualTo(42);
    assertThatThrownBy(() -> exchange(pki, true, false)).isInstanceOf(Exception.class);
  }

  @Test
  void serverIsNotTrustedThroughTheUnrelatedCa() throws Exception {
    TestPki pki = TestPki.create(dir);
    KeyStore other = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(pki.otherTrustStore())) {
      other.load(in, pki.password().toCharArray());
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(other);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    try (SSLServerSocket server = serverSocket(pki, false)) {
      CompletableFuture<Void> accept = acceptOne(server);
      try (SSLSocket s =
          (SSLSocket)
              ctx.getSocketFactory()
                  .createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
        assertThatThrownBy(s::startHandshake).isInstanceOf(SSLException.class);
      }
      accept.handle((v, e) -> null).get(10, TimeUnit.SECONDS);
    }
  }

  private static int exchange(TestPki pki, boolean needClientAuth, boolean presentCert)
      throws Exception {
    try (SSLServerSocket server = serverSocket(pki, needClientAuth)) {
      CompletableFuture<Void> accept = acceptOne(server);
      try (SSLSocket s =
          (SSLSocket)
              pki.clientContext(presentCert)
                  .getSocketFactory()
                  .createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
        s.startHandshake();
        int read = s.getInputStream().read();
        if (read < 0) {
          throw new SSLException("closed by the server");
        }
        return read;
      } finally {
        accept.handle((v, e) -> null).get(10, TimeUnit.SECONDS);
      }
    }
  }

  private static SSLServerSocket serverSocket(TestPki pki, boolean needClientAuth)
      throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(pki.serverKeyStore())) {
      ks.load(in, pki.password().toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, pki.password().toCharArray());
    KeyStore ts = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(pki.trustStore())) {
      ts.load(in, pki.password().toCharArray());
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ts);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    SSLServerSocket server =
        (SSLServerSocket)
            ctx.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress());
    server.setNeedClientAuth(needClientAuth);
    return server;
  }

  private static CompletableFuture<Void> acceptOne(SSLServerSocket server) {
    return CompletableFuture.runAsync(
        () -> {
          try (SSLSocket s = (SSLSocket) server.accept()) {
            s.startHandshake();
            OutputStream out = s.getOutputStream();
            out.write(42);
            out.flush();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }
}
