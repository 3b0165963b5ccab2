package dev.twikitorders.enricher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.auth.tls.KeyMaterial;
import dev.twikitorders.auth.tls.StoreType;
import dev.twikitorders.settings.ConfigException;
import dev.twikitorders.settings.ConfigSources;
import dev.twikitorders.testpki.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** twikit.ssl.* and schema.registry.ssl.*: typed, loaded once, errors naming the setting. */
class TlsSettingsConfigTest {
  @TempDir static Path dir;
  static TestPki pki;

  @BeforeAll
  static void pki() {
    pki = TestPki.create(dir.resolve("pki"));
  }

  private static EnricherConfig load(Map<String, String> env) {
    return EnricherConfig.from(new ConfigSources(Settings.CATALOG).environment(new HashMap<>(env)));
  }

  @Test
  void pkcs12TrustAndPemKeyMaterialForTwikit() {
    EnricherConfig c =
        load(
            Map.of(
                "TWIKIT_SSL_TRUSTSTORE_LOCATION", pki.trustStore().toString(),
                "TWIKIT_SSL_TRUSTSTORE_PASSWORD_FILE", pki.passwordFile().toString(),
                "TWIKIT_SSL_KEYSTORE_TYPE", "PEM",
                "TWIKIT_SSL_KEYSTORE_LOCATION", pki.clientCertPem().toString(),
                "TWIKIT_SSL_KEYSTORE_KEY_LOCATION", pki.clientEncryptedKeyPem().toString(),
                "TWIKIT_SSL_KEY_PASSWORD_FILE", pki.passwordFile().toString()));
    assertThat(c.twikit().tls().trust().type()).isEqualTo(StoreType.PKCS12);
    assertThat(c.twikit().tls().key()).isInstanceOf(KeyMaterial.Pem.class);
    assertThat(c.toString()).doesNotContain(pki.password());
  }

  @Test
  void pemTrustAndPkcs12KeyStoreForTheRegistry() {
    EnricherConfig c =
        load(
            Map.of(
                "SCHEMA_REGISTRY_SSL_TRUSTSTORE_TYPE", "PEM",
                "SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION", pki.caCertPem().toString(),
                "SCHEMA_REGISTRY_SSL_KEYSTORE_LOCATION", pki.clientKeyStore().toString(),
                "SCHEMA_REGISTRY_SSL_KEYSTORE_PASSWORD_FILE", pki.passwordFile().toString()));
    assertThat(c.registry().tls().trust().type()).isEqualTo(StoreType.PEM);
    assertThat(c.registry().tls().key()).isInstanceOf(KeyMaterial.Store.class);
    assertThat(c.twikit().tls().isDefault()).isTrue();
  }

  @Test
  void aWrongPasswordNamesTheStoreSettingAndNotThePassword() throws Exception {
    Path wrong = Files.writeString(dir.resolve("wrong-password"), "not-the-password-42\n");
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        "TWIKIT_SSL_KEYSTORE_LOCATION", pki.clientKeyStore().toString(),
                        "TWIKIT_SSL_KEYSTORE_PASSWORD_FILE", wrong.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("twikit.ssl.keystore.location")
        .hasMessageNotContaining("not-the-password-42");
  }

  @Test
  void aMissingTrustStoreFileNamesTheSetting() {
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        "SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION",
                        dir.resolve("missing.p12").toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.ssl.truststore.location")
        .hasMessageContaining("missing.p12");
  }

  @Test
  void aPemKeyStoreNeedsItsKeyFileAndAStoreKeyStoreRefusesOne() {
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        "TWIKIT_SSL_KEYSTORE_TYPE",
                        "PEM",
                        "TWIKIT_SSL_KEYSTORE_LOCATION",
                        pki.clientCertPem().toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("twikit.ssl.keystore.key.location");
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        "TWIKIT_SSL_KEYSTORE_LOCATION", pki.clientKeyStore().toString(),
                        "TWIKIT_SSL_KEYSTORE_PASSWORD_FILE", pki.passwordFile().toString(),
                        "TWIKIT_SSL_KEYSTORE_KEY_LOCATION", pki.clientKeyPem().toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("twikit.ssl.keystore.key.location")
        .hasMessageContaining("only for key store type PEM");
    assertThatThrownBy(() -> load(Map.of("TWIKIT_SSL_TRUSTSTORE_TYPE", "PEMM")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("twikit.ssl.truststore.type");
  }

  @Test
  void plainHttpToANonLoopbackRegistryIsRefusedUnlessAllowed() {
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        "SCHEMA_REGISTRY_URL",
                        "https://a.example/apis,http://registry-2.example:8081")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url")
        .hasMessageContaining("registry-2.example")
        .hasMessageContaining("SCHEMA_REGISTRY_ALLOW_INSECURE_HTTP");
    assertThat(
            load(Map.of(
                    "SCHEMA_REGISTRY_URL", "http://registry.example:8081",
                    "SCHEMA_REGISTRY_ALLOW_INSECURE_HTTP", "true"))
                .registry()
                .allowInsecureHttp())
        .isTrue();
    assertThat(load(Map.of("SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081")).registry().url())
        .isNotNull();
  }
}
