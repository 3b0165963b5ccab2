package dev.twikitorders.enricher.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.enricher.config.Settings;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.sandbox.SandboxConfig;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.settings.ConfigException;
import dev.twikitorders.settings.ConfigSources;
import dev.twikitorders.testpki.TestPki;
import dev.twikitorders.twikit.TwikitApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TLS handshake refused at start is a configuration error naming the TLS settings (exit 2 at
 * once), not an outage to wait for; credentials refused are named per scheme. Against the sandbox
 * over HTTPS with mutual TLS.
 */
class PreflightTlsTest {
  @TempDir static Path dir;
  static TestPki pki;
  static TwikitSandbox sandbox;
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  @BeforeAll
  static void start() throws Exception {
    pki = TestPki.create(dir.resolve("pki"));
    Path key = Files.writeString(dir.resolve("api-key"), "the-right-key-123\n");
    sandbox =
        TwikitSandbox.start(
            SandboxConfig.builder()
                .port(0)
                .tls(pki.serverCertPem(), pki.serverKeyPem())
                .clientCaFile(pki.caCertPem())
                .apiKey(Files.readString(key).strip())
                .build());
  }

  @AfterAll
  static void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  private static EnricherConfig config(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    env.put("TWIKIT_API_URL", sandbox.apiUrl().toString());
    env.put("TWIKIT_ISSUER_URL", sandbox.issuerUrl().toString());
    env.put("TWIKIT_CLIENT_ID", sandbox.config().clientId());
    env.put("TWIKIT_CLIENT_SECRET", sandbox.config().clientSecret());
    env.put("SCHEMA_REGISTRY_URL", sandbox.apiUrl().toString());
    env.putAll(extra);
    return EnricherConfig.from(new ConfigSources(Settings.CATALOG).environment(env));
  }

  private static Map<String, String> trustAndClientCertificate() {
    return Map.of(
        "TWIKIT_SSL_TRUSTSTORE_TYPE", "PEM",
        "TWIKIT_SSL_TRUSTSTORE_LOCATION", pki.caCertPem().toString(),
        "TWIKIT_SSL_KEYSTORE_LOCATION", pki.clientKeyStore().toString(),
        "TWIKIT_SSL_KEYSTORE_PASSWORD_FILE", pki.passwordFile().toString());
  }

  @Test
  void anUntrustedServerIsAConfigurationErrorNamingTheTrustStore() throws Exception {
    EnricherConfig c = config(Map.of());
    try (TwikitApi twikit = Wiring.of(c).twikitClient(null)) {
      assertThatThrownBy(() -> Preflight.checkTwikit(c, twikit, TIMEOUT))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("TLS handshake")
          .hasMessageContaining("twikit.ssl.truststore")
          .hasMessageContaining("TWIKIT_SSL_TRUSTSTORE_LOCATION");
    }
  }

  @Test
  void withoutTheClientCertificateTheHandshakeIsRefusedAndWithItTheCheckPasses() throws Exception {
    EnricherConfig noCertificate =
        config(
            Map.of(
                "TWIKIT_SSL_TRUSTSTORE_TYPE",
                "PEM",
                "TWIKIT_SSL_TRUSTSTORE_LOCATION",
                pki.caCertPem().toString()));
    try (TwikitApi twikit = Wiring.of(noCertificate).twikitClient(null)) {
      assertThatThrownBy(() -> Preflight.checkTwikit(noCertificate, twikit, TIMEOUT))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("twikit.ssl.keystore");
    }
    EnricherConfig ok = config(trustAndClientCertificate());
    try (TwikitApi twikit = Wiring.of(ok).twikitClient(null)) {
      assertThat(Preflight.checkTwikit(ok, twikit, TIMEOUT)).isNull();
    }
  }

  @Test
  void aRefusedApiKeyNamesItsFileSettingAndNotTheKey() throws Exception {
    Path wrong = Files.writeString(dir.resolve("wrong-key"), "a-wrong-key-456\n");
    Map<String, String> env = new HashMap<>(trustAndClientCertificate());
    env.put("TWIKIT_AUTH_SCHEME", "api_key");
    env.put("TWIKIT_API_KEY_FILE", wrong.toString());
    EnricherConfig c = config(env);
    try (TwikitApi twikit = Wiring.of(c).twikitClient(null)) {
      assertThatThrownBy(() -> Preflight.checkTwikit(c, twikit, TIMEOUT))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("api_key")
          .hasMessageContaining("TWIKIT_API_KEY_FILE")
          .hasMessageNotContaining("a-wrong-key-456");
    }
  }

  @Test
  void anUntrustedRegistryIsAConfigurationErrorNamingItsTrustStore() {
    EnricherConfig c = config(Map.of());
    try (SchemaRegistryClient registry = Wiring.of(c).registryClient()) {
      assertThatThrownBy(() -> Preflight.checkRegistry(c, registry))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("schema registry")
          .hasMessageContaining("SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION");
    }
  }
}
