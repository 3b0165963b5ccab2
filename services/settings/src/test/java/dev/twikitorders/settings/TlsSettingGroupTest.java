package dev.twikitorders.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.auth.tls.KeyMaterial;
import dev.twikitorders.auth.tls.StoreType;
import dev.twikitorders.auth.tls.TlsSettings;
import dev.twikitorders.testpki.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Any service's {@code <prefix>.ssl.*} group: typed, loaded once, errors naming the setting. */
class TlsSettingGroupTest {
  @TempDir static Path dir;
  static TestPki pki;

  @BeforeAll
  static void pki() {
    pki = TestPki.create(dir.resolve("pki"));
  }

  private static TlsSettings read(Map<String, String> env) {
    return TestCatalog.TLS.read(
        new ConfigSources(TestCatalog.PLAIN).environment(env).settingValues());
  }

  @Test
  void theGroupHasEightSettingsUnderItsPrefix() {
    assertThat(TestCatalog.TLS.prefix()).isEqualTo("upstream");
    assertThat(TestCatalog.TLS.settings())
        .extracting(Setting::key)
        .containsExactly(
            "upstream.ssl.truststore.location",
            "upstream.ssl.truststore.type",
            "upstream.ssl.truststore.password.file",
            "upstream.ssl.keystore.location",
            "upstream.ssl.keystore.type",
            "upstream.ssl.keystore.password.file",
            "upstream.ssl.key.password.file",
            "upstream.ssl.keystore.key.location");
    assertThat(TestCatalog.TLS.truststoreLocation().description()).contains("the upstream API");
    assertThat(read(Map.of()).isDefault()).isTrue();
  }

  @Test
  void pkcs12TrustAndEncryptedPemKey() {
    TlsSettings tls =
        read(
            Map.of(
                "UPSTREAM_SSL_TRUSTSTORE_LOCATION", pki.trustStore().toString(),
                "UPSTREAM_SSL_TRUSTSTORE_PASSWORD_FILE", pki.passwordFile().toString(),
                "UPSTREAM_SSL_KEYSTORE_TYPE", "PEM",
                "UPSTREAM_SSL_KEYSTORE_LOCATION", pki.clientCertPem().toString(),
                "UPSTREAM_SSL_KEYSTORE_KEY_LOCATION", pki.clientEncryptedKeyPem().toString(),
                "UPSTREAM_SSL_KEY_PASSWORD_FILE", pki.passwordFile().toString()));
    assertThat(tls.trust().type()).isEqualTo(StoreType.PKCS12);
    assertThat(tls.key()).isInstanceOf(KeyMaterial.Pem.class);
    assertThat(tls.toString()).doesNotContain(pki.password());
  }

  @Test
  void pemTrustAndPkcs12KeyStore() {
    TlsSettings tls =
        read(
            Map.of(
                "UPSTREAM_SSL_TRUSTSTORE_TYPE", "PEM",
                "UPSTREAM_SSL_TRUSTSTORE_LOCATION", pki.caCertPem().toString(),
                "UPSTREAM_SSL_KEYSTORE_LOCATION", pki.clientKeyStore().toString(),
                "UPSTREAM_SSL_KEYSTORE_PASSWORD_FILE", pki.passwordFile().toString()));
    assertThat(tls.trust().type()).isEqualTo(StoreType.PEM);
    assertThat(tls.key()).isInstanceOf(KeyMaterial.Store.class);
  }

  @Test
  void aWrongPasswordNamesTheStoreSettingAndNotThePassword() throws Exception {
    Path wrong = Files.writeString(dir.resolve("wrong-password"), "not-the-password-42\n");
    assertThatThrownBy(
            () ->
                read(
                    Map.of(
                        "UPSTREAM_SSL_KEYSTORE_LOCATION", pki.clientKeyStore().toString(),
                        "UPSTREAM_SSL_KEYSTORE_PASSWORD_FILE", wrong.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("upstream.ssl.keystore.location")
        .hasMessageContaining("environment UPSTREAM_SSL_KEYSTORE_LOCATION")
        .hasMessageNotContaining("not-the-password-42");
  }

  @Test
  void misconfiguredGroupsNameTheSettingAtFault() {
    assertThatThrownBy(
            () ->
                read(Map.of("UPSTREAM_SSL_TRUSTSTORE_LOCATION", dir.resolve("no.p12").toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("upstream.ssl.truststore.location")
        .hasMessageContaining("no.p12");
    assertThatThrownBy(
            () ->
                read(
                    Map.of(
                        "UPSTREAM_SSL_KEYSTORE_TYPE",
                        "PEM",
                        "UPSTREAM_SSL_KEYSTORE_LOCATION",
                        pki.clientCertPem().toString())))
        .hasMessageContaining("upstream.ssl.keystore.key.location");
    assertThatThrownBy(
            () ->
                read(
                    Map.of("UPSTREAM_SSL_TRUSTSTORE_PASSWORD_FILE", pki.passwordFile().toString())))
        .hasMessageContaining("upstream.ssl.truststore.password.file")
        .hasMessageContaining("is set without upstream.ssl.truststore.location");
    assertThatThrownBy(
            () -> read(Map.of("UPSTREAM_SSL_KEY_PASSWORD_FILE", pki.passwordFile().toString())))
        .hasMessageContaining(
            "upstream.ssl.keystore.location (not set; environment variable"
                + " UPSTREAM_SSL_KEYSTORE_LOCATION) is not set, but other upstream.ssl.keystore/key"
                + " settings are");
    assertThatThrownBy(() -> read(Map.of("UPSTREAM_SSL_TRUSTSTORE_TYPE", "PEMM")))
        .hasMessageContaining("upstream.ssl.truststore.type");
  }
}
