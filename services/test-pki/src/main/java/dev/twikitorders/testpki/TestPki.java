package dev.twikitorders.testpki;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away public key infrastructure for TLS tests, written to a directory: a test CA, a server
 * certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1} signed by it, a client
 * certificate ({@code CN=test-client}) signed by it, and an unrelated second CA for negative tests.
 * Every key is EC P-256.
 *
 * <p>Each certificate is written as PEM (certificate, and key as unencrypted PKCS#8) and the key
 * pairs also as PKCS12 key stores; the CA also as a PKCS12 trust store; the client key also as an
 * encrypted PKCS#8 PEM. All stores and the encrypted key use {@link #password()}, which is also in
 * {@link #passwordFile()}.
 *
 * <p>Thread-safety: immutable once {@link #create(Path)} returned.
 */
public final class TestPki {

  private static final String PASSWORD = "test-store-password";
  private static final Duration VALIDITY = Duration.ofDays(2);
  private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime() & 0xFFFFFFFL);

  private final Path dir;
  private final X509Certificate ca;
  private final KeyPair caKeys;
  private final X509Certificate server;
  private final KeyPair serverKeys;
  private final X509Certificate client;
  private final KeyPair clientKeys;
  private final X509Certificate otherCa;

  private TestPki(
      Path dir,
      X509Certificate ca,
      KeyPair caKeys,
      X509Certificate server,
      KeyPair serverKeys,
      X509Certificate client,
      KeyPair clientKeys,
      X509Certificate otherCa) {
    this.dir = dir;
    this.ca = ca;
    this.caKeys = caKeys;
    this.server = server;
    this.serverKeys = serverKeys;
    this.client = client;
    this.clientKeys = clientKeys;
    this.otherCa = otherCa;
  }

  /**
   * Creates the CAs and certificates and writes every file into {@code dir} (created if needed).
   */
  public static TestPki create(Path dir) {
    try {
      Files.createDirectories(dir);
      KeyPair caKeys = keyPair();
      X509Certificate ca = caCertificate("CN=Twikit Orders Test CA", caKeys);
      KeyPair otherKeys = keyPair();
      X509Certificate other = caCertificate("CN=Unrelated Test CA", otherKeys);
      KeyPair serverKeys = keyPair();
      X509Certificate server = leaf("CN=localhost", serverKeys, ca, caKeys, true);
      KeyPair clientKeys = keyPair();
      X509Certificate client = leaf("CN=test-client", clientKeys, ca, caKeys, false);
      TestPki pki = new TestPki(dir, ca, caKeys, server, serverKeys, client, clientKeys, other);
      pki.writeFiles();
      return pki;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create the test PKI", e);
    }
  }

  private void writeFiles()
      throws IOException, GeneralSecurityException, OperatorCreationException {
    Files.writeString(passwordFile(), PASSWORD + "\n", StandardCharsets.UTF_8);
    writePem(caCertPem(), ca);
    writePem(otherCaCertPem(), otherCa);
    writePem(serverCertPem(), server, ca);
    writePem(serverKeyPem(), new JcaPKCS8Generator(serverKeys.getPrivate(), null).generate());
    writePem(clientCertPem(), client, ca);
    writePem(clientKeyPem(), new JcaPKCS8Generator(clientKeys.getPrivate(), null).generate());
    OutputEncryptor encryptor =
        new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
            .setProvider(new BouncyCastleProvider())
            .setPRF(PKCS8Generator.PRF_HMACSHA256)
            .setPassword(PASSWORD.toCharArray())
            .build();
    writePem(
        clientEncryptedKeyPem(),
        new JcaPKCS8Generator(clientKeys.getPrivate(), encryptor).generate());
    writeStore(serverKeyStore(), keyStore("server", serverKeys.getPrivate(), server));
    writeStore(clientKeyStore(), keyStore("client", clientKeys.getPrivate(), client));
    writeStore(trustStore(), trustStore(ca));
    writeStore(otherTrustStore(), trustStore(otherCa));
  }

  /** The directory holding every file. */
  public Path directory() {
    return dir;
  }

  /** The password of every store and of the encrypted key. */
  public String password() {
    return PASSWORD;
  }

  /** A file holding {@link #password()} and a newline. */
  public Path passwordFile() {
    return dir.resolve("password.txt");
  }

  /** The test CA's certificate (PEM). */
  public Path caCertPem() {
    return dir.resolve("ca.pem");
  }

  /** An unrelated CA's certificate (PEM): trusting it must not make the server trusted. */
  public Path otherCaCertPem() {
    return dir.resolve("other-ca.pem");
  }

  /** The server certificate chain, leaf first (PEM). */
  public Path serverCertPem() {
    return dir.resolve("server.pem");
  }

  /** The server's private key (unencrypted PKCS#8 PEM). */
  public Path serverKeyPem() {
    return dir.resolve("server-key.pem");
  }

  /** The client certificate chain, leaf first (PEM). */
  public Path clientCertPem() {
    return dir.resolve("client.pem");
  }

  /** The client's private key (unencrypted PKCS#8 PEM). */
  public Path clientKeyPem() {
    return dir.resolve("client-key.pem");
  }

  /** The client's private key, encrypted PKCS#8 PEM under {@link #password()}. */
  public Path clientEncryptedKeyPem() {
    return dir.resolve("client-key-encrypted.pem");
  }

  /** The server key and chain as PKCS12 (alias {@code server}). */
  public Path serverKeyStore() {
    return dir.resolve("server.p12");
  }

  /** The client key and chain as PKCS12 (alias {@code client}). */
  public Path clientKeyStore() {
    return dir.resolve("client.p12");
  }

  /** The test CA as a PKCS12 trust store. */
  public Path trustStore() {
    return dir.resolve("truststore.p12");
  }

  /** The unrelated CA as a PKCS12 trust store. */
  public Path otherTrustStore() {
    return dir.resolve("other-truststore.p12");
  }

  /** The test CA certificate. */
  public X509Certificate caCertificate() {
    return ca;
  }

  /**
   * An {@link SSLContext} that trusts the test CA and, when {@code withClientCertificate}, presents
   * the client certificate.
   */
  public SSLContext clientContext(boolean withClientCertificate) {
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trustStore(ca));
      SSLContext ctx = SSLContext.getInstance("TLS");
      KeyManagerFactory kmf = null;
      if (withClientCertificate) {
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore("client", clientKeys.getPrivate(), client), PASSWORD.toCharArray());
      }
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the test SSL context", e);
    }
  }

  /**
   * A certificate and key signed by the test CA for {@code commonName}, as PEM files in the dir.
   */
  public Path[] issueClient(String commonName) {
    try {
      KeyPair keys = keyPair();
      X509Certificate cert = leaf("CN=" + commonName, keys, ca, caKeys, false);
      Path certFile = dir.resolve(commonName + ".pem");
      Path keyFile = dir.resolve(commonName + "-key.pem");
      writePem(certFile, cert, ca);
      writePem(keyFile, new JcaPKCS8Generator(keys.getPrivate(), null).generate());
      return new Path[] {certFile, keyFile};
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue a client certificate", e);
    }
  }

  @Override
  public String toString() {
    return "TestPki[" + dir + "]";
  }

  // ---- generation ----

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
    return g.generateKeyPair();
  }

  private static X509Certificate caCertificate(String dn, KeyPair keys)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    X500Name name = new X500Name(dn);
    Instant now = Instant.now();
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            name,
            serial(),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(VALIDITY)),
            name,
            keys.getPublic());
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    b.addExtension(
        Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
    return sign(b, keys.getPrivate());
  }

  private static X509Certificate leaf(
      String dn, KeyPair keys, X509Certificate issuer, KeyPair issuerKeys, boolean server)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    Instant now = Instant.now();
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            issuer,
            serial(),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(VALIDITY)),
            new X500Name(dn),
            keys.getPublic());
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(
        Extension.keyUsage,
        true,
        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyAgreement));
    b.addExtension(
        Extension.extendedKeyUsage,
        false,
        new ExtendedKeyUsage(
            server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
    b.addExtension(
        Extension.authorityKeyIdentifier,
        false,
        ext.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
    if (server) {
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(
                    GeneralName.iPAddress, InetAddress.getByName("::1").getHostAddress())
              }));
    }
    return sign(b, issuerKeys.getPrivate());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
      throws GeneralSecurityException, OperatorCreationException {
    ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
    return new JcaX509CertificateConverter().getCertificate(b.build(signer));
  }

  private static BigInteger serial() {
    return BigInteger.valueOf(SERIALS.incrementAndGet());
  }

  // ---- files ----

  private static void writePem(Path file, Object... objects) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
      for (Object o : objects) {
        pem.writeObject(o);
      }
    }
    Files.writeString(file, out.toString(), StandardCharsets.US_ASCII);
  }

  private KeyStore keyStore(String alias, PrivateKey key, X509Certificate leaf)
      throws GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry(alias, key, PASSWORD.toCharArray(), new Certificate[] {leaf, ca});
    return ks;
  }

  private static KeyStore trustStore(X509Certificate caCert)
      throws GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("ca", caCert);
    return ks;
  }

  private static void writeStore(Path file, KeyStore store)
      throws IOException, GeneralSecurityException {
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, PASSWORD.toCharArray());
    }
  }
}
