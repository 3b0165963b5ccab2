package dev.twikitorders.auth.tls;

import dev.twikitorders.testpki.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS server on loopback presenting the test PKI's server key store (built with plain JDK calls,
 * not with the code under test), optionally requiring a client certificate issued by the test CA or
 * one of {@code extraTrusted}. {@link #connect} runs one real handshake.
 */
final class TlsTestServer implements AutoCloseable {

  /**
   * What one connection showed.
   *
   * @param presented the client certificate subject the server saw, or null for none
   * @param clientError what failed on the client side, or null
   * @param serverError what failed on the server side, or null
   */
  record Outcome(String presented, Exception clientError, Exception serverError) {
    boolean ok() {
      return clientError == null && serverError == null;
    }
  }

  private final SSLServerSocket server;
  private final boolean needClientAuth;
  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  private TlsTestServer(SSLServerSocket server, boolean needClientAuth) {
    this.server = server;
    this.needClientAuth = needClientAuth;
  }

  static TlsTestServer start(TestPki pki, boolean needClientAuth, X509Certificate... extraTrusted)
      throws Exception {
    char[] password = pki.password().toCharArray();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(pki.serverKeyStore())) {
      keys.load(in, password);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, password);
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("ca", pki.caCertificate());
    for (int i = 0; i < extraTrusted.length; i++) {
      trusted.setCertificateEntry("extra-" + i, extraTrusted[i]);
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    SSLServerSocket socket =
        (SSLServerSocket)
            context
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
    socket.setNeedClientAuth(needClientAuth);
    socket.setSoTimeout(20_000);
    return new TlsTestServer(socket, needClientAuth);
  }

  /**
   * Connects to {@code localhost} with {@code client} (host name verified as HTTPS does), and
   * completes one handshake and one byte of application data each way.
   */
  Outcome connect(SSLContext client) throws Exception {
    Future<String> serverSide =
        executor.submit(
            () -> {
              try (SSLSocket s = (SSLSocket) server.accept()) {
                s.setSoTimeout(20_000);
                s.startHandshake();
                String presented =
                    needClientAuth
                        ? ((X509Certificate) s.getSession().getPeerCertificates()[0])
                            .getSubjectX500Principal()
                            .getName()
                        : null;
                s.getOutputStream().write('!');
                s.getOutputStream().flush();
                s.getInputStream().read(); // the client's byte (or its close)
                return presented;
              }
            });
    Exception clientError = null;
    try (SSLSocket s =
        (SSLSocket) client.getSocketFactory().createSocket("localhost", server.getLocalPort())) {
      s.setSoTimeout(20_000);
      SSLParameters parameters = s.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      s.setSSLParameters(parameters);
      s.startHandshake();
      int greeting = s.getInputStream().read(); // TLS 1.3: a refused client certificate shows here
      if (greeting != '!') {
        throw new IOException("the server closed the connection without its greeting");
      }
      s.getOutputStream().write('?');
      s.getOutputStream().flush();
    } catch (IOException e) {
      clientError = e;
    }
    try {
      return new Outcome(serverSide.get(30, TimeUnit.SECONDS), clientError, null);
    } catch (java.util.concurrent.ExecutionException e) {
      return new Outcome(null, clientError, (Exception) e.getCause());
    }
  }

  @Override
  public void close() throws IOException {
    executor.shutdownNow();
    server.close();
  }
}
