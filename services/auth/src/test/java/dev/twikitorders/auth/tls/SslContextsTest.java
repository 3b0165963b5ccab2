package dev.twikitorders.auth.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.tls.TlsMaterialException.Problem;
import dev.twikitorders.testpki.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SslContexts} against the test PKI: real handshakes with a loopback TLS server prove what a
 * built context trusts and presents; every kind of bad material fails with a message naming the
 * file and the problem, never a password.
 */
class SslContextsTest {

  private static final String WRONG = "not-the-password-42";

  @TempDir static Path dir;
  static TestPki pki;
  static Secret password;

  @BeforeAll
  static void pki() {
    pki = TestPki.create(dir.resolve("pki"));
    password = Secret.of(pki.password());
  }

  private static TlsTestServer.Outcome connect(TlsSettings settings, boolean needClientAuth)
      throws Exception {
    SSLContext context = SslContexts.build(settings);
    try (TlsTestServer server = TlsTestServer.start(pki, needClientAuth)) {
      return server.connect(context);
    }
  }

  private static TlsMaterialException failure(TlsSettings settings, Problem problem, Path file) {
    TlsMaterialException e =
        catchThrowableOfType(TlsMaterialException.class, () -> SslContexts.build(settings));
    assertThat(e).as("building %s must fail", settings).isNotNull();
    assertThat(e.problem()).as(e.getMessage()).isEqualTo(problem);
    assertThat(e.file()).isEqualTo(file);
    assertThat(e.getMessage()).contains(file.toString()).doesNotContain(pki.password(), WRONG);
    return e;
  }

  @Nested
  class Trust {

    @Test
    void pemCaCertificateIsTrusted() throws Exception {
      var outcome = connect(TlsSettings.trusting(TrustMaterial.pem(pki.caCertPem())), false);
      assertThat(outcome.ok()).as("%s", outcome).isTrue();
    }

    @Test
    void pemBundleOfSeveralCertificatesIsTrusted() throws Exception {
      Path bundle = dir.resolve("bundle.pem");
      Files.writeString(
          bundle,
          "# an unrelated CA first, then ours\n"
              + Files.readString(pki.otherCaCertPem())
              + Files.readString(pki.caCertPem()));
      var outcome = connect(TlsSettings.trusting(TrustMaterial.pem(bundle)), false);
      assertThat(outcome.ok()).as("%s", outcome).isTrue();
    }

    @Test
    void pkcs12TrustStoreIsTrusted() throws Exception {
      var outcome =
          connect(TlsSettings.trusting(TrustMaterial.pkcs12(pki.trustStore(), password)), false);
      assertThat(outcome.ok()).as("%s", outcome).isTrue();
    }

    @Test
    void jksTrustStoreIsTrusted() throws Exception {
      Path jks = TestKeys.toJks(pki.trustStore(), pki.password(), dir.resolve("trust.jks"), "x");
      var outcome = connect(TlsSettings.trusting(TrustMaterial.jks(jks, password)), false);
      assertThat(outcome.ok()).as("%s", outcome).isTrue();
    }

    @Test
    void anUnrelatedCaIsNotEnough() throws Exception {
      for (TrustMaterial other :
          new TrustMaterial[] {
            TrustMaterial.pem(pki.otherCaCertPem()),
            TrustMaterial.pkcs12(pki.otherTrustStore(), password)
          }) {
        var outcome = connect(TlsSettings.trusting(other), false);
        assertThat(outcome.clientError()).as("%s", other).isInstanceOf(SSLHandshakeException.class);
      }
    }

    @Test
    void theJvmDefaultCasDoNotTrustTheTestCa() throws Exception {
      var outcome = connect(TlsSettings.DEFAULT, false);
      assertThat(outcome.clientError()).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void anEncryptedPkcs12TrustStoreNeedsItsPassword() {
      // the JDK encrypts the certificates of a PKCS12 store: without the password it sees none
      TlsMaterialException e =
          failure(
              TlsSettings.trusting(TrustMaterial.pkcs12(pki.trustStore(), null)),
              Problem.NO_CERTIFICATE,
              pki.trustStore());
      assertThat(e.getMessage()).contains("set the trust store password");
    }

    @Test
    void aPasswordlessPkcs12TrustStoreIsTrusted() throws Exception {
      Path open = TestKeys.passwordlessTrustStore(pki.caCertificate(), dir.resolve("open.p12"));
      var outcome = connect(TlsSettings.trusting(TrustMaterial.pkcs12(open, null)), false);
      assertThat(outcome.ok()).as("%s", outcome).isTrue();
    }
  }

  @Nested
  class ClientCertificates {

    private TlsSettings trusting() {
      return TlsSettings.trusting(TrustMaterial.pem(pki.caCertPem()));
    }

    @Test
    void withoutKeyMaterialTheServerRefuses() throws Exception {
      var outcome = connect(trusting(), true);
      assertThat(outcome.serverError()).isInstanceOf(SSLHandshakeException.class);
      assertThat(outcome.clientError()).isInstanceOf(IOException.class);
    }

    @Test
    void pemKey() throws Exception {
      var outcome =
          connect(
              trusting().withKey(KeyMaterial.pem(pki.clientCertPem(), pki.clientKeyPem(), null)),
              true);
      assertThat(outcome.ok()).as("%s", outcome).isTrue();
      assertThat(outcome.presented()).isEqualTo("CN=test-client");
    }

    @Test
    void encryptedPemKey() throws Exception {
      var outcome =
          connect(
              trusting()
                  .withKey(
                      KeyMaterial.pem(pki.clientCertPem(), pki.clientEncryptedKeyPem(), password)),
              true);
      assertThat(outcome.ok()).as("%s", outcome).isTrue();
      assertThat(outcome.presented()).isEqualTo("CN=test-client");
    }

    @Test
    void oneFileHoldingChainAndKey() throws Exception {
      Path combined = dir.resolve("combined.pem");
      Files.writeString(
          combined, Files.readString(pki.clientKeyPem()) + Files.readString(pki.clientCertPem()));
      var outcome = connect(trusting().withKey(KeyMaterial.pem(combined, combined, null)), true);
      assertThat(outcome.presented()).isEqualTo("CN=test-client");
    }

    @Test
    void pkcs12KeyStore() throws Exception {
      var outcome =
          connect(trusting().withKey(KeyMaterial.pkcs12(pki.clientKeyStore(), password)), true);
      assertThat(outcome.ok()).as("%s", outcome).isTrue();
      assertThat(outcome.presented()).isEqualTo("CN=test-client");
    }

    @Test
    void jksKeyStoreWithItsOwnKeyPassword() throws Exception {
      Path jks =
          TestKeys.toJks(
              pki.clientKeyStore(), pki.password(), dir.resolve("client.jks"), "key-pass-7");
      var outcome =
          connect(
              trusting()
                  .withKey(
                      KeyMaterial.store(jks, StoreType.JKS, password, Secret.of("key-pass-7"))),
              true);
      assertThat(outcome.ok()).as("%s", outcome).isTrue();
      assertThat(outcome.presented()).isEqualTo("CN=test-client");
    }

    @Test
    void rsaAndEd25519PemKeys() throws Exception {
      for (String algorithm : new String[] {"RSA", "Ed25519"}) {
        TestKeys.SelfSigned own = TestKeys.selfSigned(algorithm, algorithm + "-client");
        Path cert =
            TestKeys.pem(
                dir.resolve(algorithm + ".pem"), "CERTIFICATE", own.certificate().getEncoded());
        Path key =
            TestKeys.pem(
                dir.resolve(algorithm + "-key.pem"),
                "PRIVATE KEY",
                own.keys().getPrivate().getEncoded());
        SSLContext context =
            SslContexts.build(trusting().withKey(KeyMaterial.pem(cert, key, null)));
        try (TlsTestServer server = TlsTestServer.start(pki, true, own.certificate())) {
          var outcome = server.connect(context);
          assertThat(outcome.ok()).as("%s: %s", algorithm, outcome).isTrue();
          assertThat(outcome.presented()).isEqualTo("CN=" + algorithm + "-client");
        }
      }
    }
  }

  @Nested
  class BadMaterial {

    @Test
    void missingFilesAreNamed() {
      Path missing = dir.resolve("no-such-file.pem");
      failure(TlsSettings.trusting(TrustMaterial.pem(missing)), Problem.MISSING_FILE, missing);
      failure(
          TlsSettings.trusting(TrustMaterial.pkcs12(missing, password)),
          Problem.MISSING_FILE,
          missing);
      failure(
          TlsSettings.DEFAULT.withKey(KeyMaterial.pkcs12(missing, password)),
          Problem.MISSING_FILE,
          missing);
      failure(
          TlsSettings.DEFAULT.withKey(KeyMaterial.pem(missing, pki.clientKeyPem(), null)),
          Problem.MISSING_FILE,
          missing);
      TlsMaterialException e =
          failure(
              TlsSettings.DEFAULT.withKey(KeyMaterial.pem(pki.clientCertPem(), missing, null)),
              Problem.MISSING_FILE,
              missing);
      assertThat(e.getMessage()).contains("TLS private key", "does not exist");
      failure(TlsSettings.trusting(TrustMaterial.pem(dir)), Problem.MISSING_FILE, dir);
    }

    @Test
    void aRelativePathIsShownWithWhereItWasLookedFor() {
      Path relative = Path.of("relative-no-such.pem");
      TlsMaterialException e =
          failure(
              TlsSettings.trusting(TrustMaterial.pem(relative)), Problem.MISSING_FILE, relative);
      assertThat(e.getMessage()).contains(relative.toAbsolutePath().toString());
    }

    @Test
    void wrongStorePasswords() throws Exception {
      Secret wrong = Secret.of(WRONG);
      failure(
          TlsSettings.DEFAULT.withKey(KeyMaterial.pkcs12(pki.clientKeyStore(), wrong)),
          Problem.WRONG_PASSWORD,
          pki.clientKeyStore());
      TlsMaterialException e =
          failure(
              TlsSettings.trusting(TrustMaterial.pkcs12(pki.trustStore(), wrong)),
              Problem.WRONG_PASSWORD,
              pki.trustStore());
      assertThat(e.getMessage()).contains("TLS trust store", "password does not open it");
      Path jks = TestKeys.toJks(pki.trustStore(), pki.password(), dir.resolve("t2.jks"), "x");
      failure(TlsSettings.trusting(TrustMaterial.jks(jks, wrong)), Problem.WRONG_PASSWORD, jks);
    }

    @Test
    void wrongKeyPasswords() throws Exception {
      Path jks =
          TestKeys.toJks(pki.clientKeyStore(), pki.password(), dir.resolve("k.jks"), "key-pass-9");
      TlsMaterialException noKeyPassword =
          failure(
              TlsSettings.DEFAULT.withKey(KeyMaterial.store(jks, StoreType.JKS, password, null)),
              Problem.WRONG_PASSWORD,
              jks);
      assertThat(noKeyPassword.getMessage()).contains("set the key password", "'client'");
      failure(
          TlsSettings.DEFAULT.withKey(
              KeyMaterial.store(jks, StoreType.JKS, password, Secret.of(WRONG))),
          Problem.WRONG_PASSWORD,
          jks);
      TlsMaterialException pem =
          failure(
              TlsSettings.DEFAULT.withKey(
                  KeyMaterial.pem(
                      pki.clientCertPem(), pki.clientEncryptedKeyPem(), Secret.of(WRONG))),
              Problem.WRONG_PASSWORD,
              pki.clientEncryptedKeyPem());
      assertThat(pem.getMessage()).contains("key password does not decrypt it");
    }

    @Test
    void encryptionAndPasswordMustAgree() {
      failure(
          TlsSettings.DEFAULT.withKey(
              KeyMaterial.pem(pki.clientCertPem(), pki.clientEncryptedKeyPem(), null)),
          Problem.PASSWORD_MISMATCH,
          pki.clientEncryptedKeyPem());
      failure(
          TlsSettings.DEFAULT.withKey(
              KeyMaterial.pem(pki.clientCertPem(), pki.clientKeyPem(), password)),
          Problem.PASSWORD_MISMATCH,
          pki.clientKeyPem());
    }

    @Test
    void aTrustStoreIsNoKeyStore() {
      TlsMaterialException e =
          failure(
              TlsSettings.DEFAULT.withKey(KeyMaterial.pkcs12(pki.trustStore(), password)),
              Problem.NO_KEY,
              pki.trustStore());
      assertThat(e.getMessage()).contains("no private key");
    }

    @Test
    void aCertificateMustMatchItsKey() throws Exception {
      TlsMaterialException e =
          failure(
              TlsSettings.DEFAULT.withKey(
                  KeyMaterial.pem(pki.clientCertPem(), pki.serverKeyPem(), null)),
              Problem.KEY_MISMATCH,
              pki.clientCertPem());
      assertThat(e.getMessage()).contains("does not match", pki.serverKeyPem().toString());
      Path caFirst = dir.resolve("ca-first.pem");
      Files.writeString(
          caFirst, Files.readString(pki.caCertPem()) + Files.readString(pki.clientCertPem()));
      TlsMaterialException order =
          failure(
              TlsSettings.DEFAULT.withKey(KeyMaterial.pem(caFirst, pki.clientKeyPem(), null)),
              Problem.KEY_MISMATCH,
              caFirst);
      assertThat(order.getMessage()).contains("leaf certificate must come first");
      // an RSA certificate for an EC key
      TestKeys.SelfSigned rsa = TestKeys.selfSigned("RSA", "rsa");
      Path rsaCert =
          TestKeys.pem(dir.resolve("rsa-only.pem"), "CERTIFICATE", rsa.certificate().getEncoded());
      failure(
          TlsSettings.DEFAULT.withKey(KeyMaterial.pem(rsaCert, pki.clientKeyPem(), null)),
          Problem.KEY_MISMATCH,
          rsaCert);
    }

    @Test
    void pkcs1AndSec1KeysAreRefusedWithTheConversionCommand() throws Exception {
      TestKeys.SelfSigned rsa = TestKeys.selfSigned("RSA", "rsa");
      Path pkcs1 =
          TestKeys.pem(
              dir.resolve("pkcs1.pem"),
              "RSA PRIVATE KEY",
              TestKeys.innerKey(rsa.keys().getPrivate()));
      Path cert =
          TestKeys.pem(dir.resolve("rsa.pem"), "CERTIFICATE", rsa.certificate().getEncoded());
      TlsMaterialException e =
          failure(
              TlsSettings.DEFAULT.withKey(KeyMaterial.pem(cert, pkcs1, null)),
              Problem.UNSUPPORTED,
              pkcs1);
      assertThat(e.getMessage())
          .contains(
              "PKCS#1",
              "-----BEGIN RSA PRIVATE KEY-----",
              "openssl pkcs8 -topk8 -nocrypt -in " + pkcs1,
              "-v2 aes-256-cbc");

      TestKeys.SelfSigned ec = TestKeys.selfSigned("EC", "ec");
      Path sec1 =
          TestKeys.pem(
              dir.resolve("sec1.pem"), "EC PRIVATE KEY", TestKeys.innerKey(ec.keys().getPrivate()));
      Path ecCert =
          TestKeys.pem(dir.resolve("ec.pem"), "CERTIFICATE", ec.certificate().getEncoded());
      TlsMaterialException sec1Error =
          failure(
              TlsSettings.DEFAULT.withKey(KeyMaterial.pem(ecCert, sec1, null)),
              Problem.UNSUPPORTED,
              sec1);
      assertThat(sec1Error.getMessage()).contains("SEC1", "openssl pkcs8 -topk8");
    }

    @Test
    void filesThatAreNotPem() throws Exception {
      TlsMaterialException binary =
          failure(
              TlsSettings.trusting(TrustMaterial.pem(pki.trustStore())),
              Problem.NOT_PEM,
              pki.trustStore());
      assertThat(binary.getMessage()).contains("is not PEM", "set the type to PKCS12");
      Path text = Files.writeString(dir.resolve("notes.txt"), "just some text\n");
      failure(TlsSettings.trusting(TrustMaterial.pem(text)), Problem.NOT_PEM, text);
      failure(
          TlsSettings.DEFAULT.withKey(KeyMaterial.pem(pki.clientCertPem(), text, null)),
          Problem.NOT_PEM,
          text);
      // a key in a trust file
      TlsMaterialException key =
          failure(
              TlsSettings.trusting(TrustMaterial.pem(pki.clientKeyPem())),
              Problem.NOT_PEM,
              pki.clientKeyPem());
      assertThat(key.getMessage()).contains("never a key");
      // a certificate where the key belongs
      failure(
          TlsSettings.DEFAULT.withKey(KeyMaterial.pem(pki.clientCertPem(), pki.caCertPem(), null)),
          Problem.NO_KEY,
          pki.caCertPem());
    }

    @Test
    void aPemFileIsNoPkcs12Store() {
      TlsMaterialException e =
          failure(
              TlsSettings.trusting(TrustMaterial.pkcs12(pki.caCertPem(), password)),
              Problem.BAD_FORMAT,
              pki.caCertPem());
      assertThat(e.getMessage()).contains("set the type to PEM");
    }

    @Test
    void damagedPem() throws Exception {
      Path badBase64 =
          Files.writeString(
              dir.resolve("bad64.pem"),
              "-----BEGIN CERTIFICATE-----\n@@not base64@@\n-----END CERTIFICATE-----\n");
      failure(TlsSettings.trusting(TrustMaterial.pem(badBase64)), Problem.BAD_FORMAT, badBase64);
      Path unterminated =
          Files.writeString(
              dir.resolve("open.pem"),
              Files.readString(pki.caCertPem()).replace("-----END CERTIFICATE-----", ""));
      failure(
          TlsSettings.trusting(TrustMaterial.pem(unterminated)), Problem.BAD_FORMAT, unterminated);
      Path notACertificate =
          TestKeys.pem(
              dir.resolve("garbage.pem"),
              "CERTIFICATE",
              "garbage".getBytes(StandardCharsets.US_ASCII));
      failure(
          TlsSettings.trusting(TrustMaterial.pem(notACertificate)),
          Problem.BAD_FORMAT,
          notACertificate);
      Path twoKeys =
          Files.writeString(
              dir.resolve("two-keys.pem"),
              Files.readString(pki.clientKeyPem()) + Files.readString(pki.serverKeyPem()));
      failure(
          TlsSettings.DEFAULT.withKey(KeyMaterial.pem(pki.clientCertPem(), twoKeys, null)),
          Problem.BAD_FORMAT,
          twoKeys);
    }

    @Test
    void unsupportedKeyEncodings() throws Exception {
      Path ssh =
          TestKeys.pem(
              dir.resolve("id_ed25519"),
              "OPENSSH PRIVATE KEY",
              "openssh-key-v1".getBytes(StandardCharsets.US_ASCII));
      failure(
          TlsSettings.DEFAULT.withKey(KeyMaterial.pem(pki.clientCertPem(), ssh, null)),
          Problem.UNSUPPORTED,
          ssh);
      Path mislabelled =
          TestKeys.pem(
              dir.resolve("mislabelled.pem"),
              "PRIVATE KEY",
              TestKeys.innerKey(TestKeys.selfSigned("RSA", "x").keys().getPrivate()));
      failure(
          TlsSettings.DEFAULT.withKey(KeyMaterial.pem(pki.clientCertPem(), mislabelled, null)),
          Problem.UNSUPPORTED,
          mislabelled);
    }
  }
}
