package dev.twikitorders.auth.tls;

import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Test key material the test PKI does not write: other algorithms, other formats. */
final class TestKeys {

  /** A key pair with a self-signed certificate. */
  record SelfSigned(KeyPair keys, X509Certificate certificate) {}

  private TestKeys() {}

  /** A self-signed certificate for a fresh key of {@code algorithm} (RSA, Ed25519, EC). */
  static SelfSigned selfSigned(String algorithm, String commonName) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
    if (algorithm.equals("RSA")) {
      generator.initialize(2048);
    }
    KeyPair keys = generator.generateKeyPair();
    String signature =
        switch (algorithm) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> "Ed25519";
        };
    X500Name name = new X500Name("CN=" + commonName);
    Instant now = Instant.now();
    X509Certificate certificate =
        new JcaX509CertificateConverter()
            .getCertificate(
                new JcaX509v3CertificateBuilder(
                        name,
                        BigInteger.valueOf(now.toEpochMilli()),
                        Date.from(now.minus(Duration.ofHours(1))),
                        Date.from(now.plus(Duration.ofDays(1))),
                        name,
                        keys.getPublic())
                    .build(new JcaContentSignerBuilder(signature).build(keys.getPrivate())));
    return new SelfSigned(keys, certificate);
  }

  /** Writes one PEM block. */
  static Path pem(Path file, String label, byte[] der) throws Exception {
    return pem(file, "", label, der);
  }

  /** Writes {@code prefix} and one PEM block after it. */
  static Path pem(Path file, String prefix, String label, byte[] der) throws Exception {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    Files.writeString(
        file,
        prefix + "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n",
        StandardCharsets.US_ASCII);
    return file;
  }

  /**
   * The algorithm-specific key inside a PKCS#8 encoding: PKCS#1 for RSA, SEC1 for EC (what {@code
   * openssl genrsa} / {@code openssl ecparam -genkey} write as RSA / EC PRIVATE KEY).
   */
  static byte[] innerKey(PrivateKey key) {
    byte[] der = key.getEncoded();
    int[] at = {0};
    header(der, at, 0x30); // PrivateKeyInfo SEQUENCE: step inside
    int version = header(der, at, 0x02); // version INTEGER: skip
    at[0] += version;
    int algorithm = header(der, at, 0x30); // AlgorithmIdentifier SEQUENCE: skip
    at[0] += algorithm;
    int length = header(der, at, 0x04); // privateKey OCTET STRING: its content
    return Arrays.copyOfRange(der, at[0], at[0] + length);
  }

  /** Reads a DER tag and length at {@code at}, leaves {@code at} on the content, returns length. */
  private static int header(byte[] der, int[] at, int tag) {
    if ((der[at[0]] & 0xff) != tag) {
      throw new IllegalArgumentException("unexpected DER tag " + der[at[0]]);
    }
    int first = der[at[0] + 1] & 0xff;
    at[0] += 2;
    if (first < 0x80) {
      return first;
    }
    int length = 0;
    for (int i = 0; i < (first & 0x7f); i++) {
      length = (length << 8) | (der[at[0]++] & 0xff);
    }
    return length;
  }

  /**
   * Copies the PKCS12 store {@code from} into a JKS store {@code to}, with {@code keyPassword} on
   * its keys (which may differ from the store password).
   */
  static Path toJks(Path from, String password, Path to, String keyPassword) throws Exception {
    KeyStore source = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(from)) {
      source.load(in, password.toCharArray());
    }
    KeyStore target = KeyStore.getInstance("JKS");
    target.load(null, null);
    for (String alias : Collections.list(source.aliases())) {
      if (source.isKeyEntry(alias)) {
        Key key = source.getKey(alias, password.toCharArray());
        Certificate[] chain = source.getCertificateChain(alias);
        target.setKeyEntry(alias, key, keyPassword.toCharArray(), chain);
      } else {
        target.setCertificateEntry(alias, source.getCertificate(alias));
      }
    }
    try (OutputStream out = Files.newOutputStream(to)) {
      target.store(out, password.toCharArray());
    }
    return to;
  }

  /** A PKCS12 trust store without password: no integrity check, certificates unencrypted. */
  static Path passwordlessTrustStore(X509Certificate ca, Path to) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("ca", ca);
    try (OutputStream out = Files.newOutputStream(to)) {
      store.store(out, null);
    }
    return to;
  }
}
