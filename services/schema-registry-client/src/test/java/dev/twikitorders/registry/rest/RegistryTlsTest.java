package dev.twikitorders.registry.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.tls.KeyMaterial;
import dev.twikitorders.auth.tls.TlsSettings;
import dev.twikitorders.auth.tls.TrustMaterial;
import dev.twikitorders.registry.RegistryConfig;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.SchemaRegistryClients;
import dev.twikitorders.registry.SchemaRegistryException;
import dev.twikitorders.testpki.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST client over real HTTPS: a loopback {@link HttpsServer} with the test PKI's server
 * certificate answers {@code GET /schemas/ids/1} as Confluent does. Trusted only with the test CA;
 * a server requiring client certificates is passed only with key material. Plain {@code http://} is
 * refused for hosts other than loopback unless allowed.
 */
class RegistryTlsTest {

  private static final String SCHEMA_1 = "{\"schema\":\"{\\\"type\\\":\\\"string\\\"}\"}";

  @TempDir static Path dir;
  static TestPki pki;
  static Secret password;

  @BeforeAll
  static void pki() {
    pki = TestPki.create(dir.resolve("pki"));
    password = Secret.of(pki.password());
  }

  /** A canned HTTPS registry; the server side is built with plain JDK calls. */
  private static final class Registry implements AutoCloseable {
    final HttpsServer server;
    final AtomicInteger answered = new AtomicInteger();

    Registry(boolean needClientAuth) throws Exception {
      SSLContext tls = serverContext();
      server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setHttpsConfigurator(
          new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
              SSLParameters p = tls.getDefaultSSLParameters();
              p.setNeedClientAuth(needClientAuth);
              params.setSSLParameters(p);
            }
          });
      server.createContext(
          "/",
          exchange -> {
            try (exchange) {
              boolean known = exchange.getRequestURI().getPath().equals("/schemas/ids/1");
              byte[] body =
                  (known ? SCHEMA_1 : "{\"error_code\":40403,\"message\":\"Schema not found\"}")
                      .getBytes(StandardCharsets.UTF_8);
              exchange
                  .getResponseHeaders()
                  .set("Content-Type", "application/vnd.schemaregistry.v1+json");
              exchange.sendResponseHeaders(known ? 200 : 404, body.length);
              try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
              }
              answered.incrementAndGet();
            } catch (IOException clientWentAway) {
              // a refused handshake
            }
          });
      server.start();
    }

    String url() {
      return "https://localhost:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  private static SSLContext serverContext() throws Exception {
    char[] pw = pki.password().toCharArray();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(pki.serverKeyStore())) {
      keys.load(in, pw);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, pw);
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("ca", pki.caCertificate());
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return context;
  }

  private static RestSchemaRegistryClient client(Registry registry, TlsSettings tls) {
    return RestSchemaRegistryClient.builder()
        .urls(registry.url())
        .maxRetries(0)
        .connectTimeout(Duration.ofSeconds(5))
        .tls(tls)
        .build();
  }

  private static TlsSettings trustingTestCa() {
    return TlsSettings.trusting(TrustMaterial.pem(pki.caCertPem()));
  }

  private static void assertRefusedByTls(Registry registry, TlsSettings tls) {
    assertRefused(registry, tls, true);
  }

  /**
   * Without a client certificate the server refuses the connection; under TLS 1.3 the client has
   * finished its side of the handshake by then, so the refusal reaches it either as an alert (an
   * {@link SSLException}) or as a connection closed before any answer: both are no response, and
   * the server served nothing.
   */
  private static void assertRefusedForMissingClientCertificate(Registry registry, TlsSettings tls) {
    assertRefused(registry, tls, false);
  }

  private static void assertRefused(Registry registry, TlsSettings tls, boolean sslCause) {
    try (RestSchemaRegistryClient client = client(registry, tls)) {
      SchemaRegistryException e =
          catchThrowableOfType(SchemaRegistryException.class, () -> client.getById(1));
      assertThat(e).as("refused with %s", tls).isNotNull();
      assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.NO_RESPONSE);
      if (sslCause) {
        boolean tlsCause = false;
        for (Throwable c = e; c != null; c = c.getCause()) {
          tlsCause |= c instanceof SSLException;
        }
        assertThat(tlsCause).as("an SSLException causes %s", e).isTrue();
      }
    }
    assertThat(registry.answered).hasValue(0);
  }

  private static void assertServed(Registry registry, TlsSettings tls) {
    try (RestSchemaRegistryClient client = client(registry, tls)) {
      assertThat(client.getById(1).getType()).isEqualTo(Schema.Type.STRING);
    }
  }

  @Test
  void refusedWithoutTheTestCaAcceptedWithIt() throws Exception {
    try (Registry registry = new Registry(false)) {
      assertRefusedByTls(registry, TlsSettings.DEFAULT);
      assertRefusedByTls(registry, TlsSettings.trusting(TrustMaterial.pem(pki.otherCaCertPem())));
      assertServed(registry, trustingTestCa());
      assertServed(
          registry, TlsSettings.trusting(TrustMaterial.pkcs12(pki.trustStore(), password)));
    }
  }

  @Test
  void mutualTlsNeedsKeyMaterial() throws Exception {
    try (Registry registry = new Registry(true)) {
      assertRefusedForMissingClientCertificate(registry, trustingTestCa());
      assertServed(
          registry,
          trustingTestCa()
              .withKey(
                  KeyMaterial.pem(pki.clientCertPem(), pki.clientEncryptedKeyPem(), password)));
      assertServed(
          registry, trustingTestCa().withKey(KeyMaterial.pkcs12(pki.clientKeyStore(), password)));
    }
  }

  @Test
  void theFactoryTakesTlsSettingsFromTheConfig() throws Exception {
    try (Registry registry = new Registry(true)) {
      Map<String, Object> config = new HashMap<>();
      config.put(RegistryConfig.SCHEMA_REGISTRY_URL, registry.url());
      config.put(RegistryConfig.MAX_RETRIES, 0);
      config.put(
          RegistryConfig.TLS,
          TlsSettings.trusting(TrustMaterial.pkcs12(pki.trustStore(), password))
              .withKey(KeyMaterial.pem(pki.clientCertPem(), pki.clientKeyPem(), null)));
      try (SchemaRegistryClient client = SchemaRegistryClients.create(config)) {
        assertThat(client.getById(1).getType()).isEqualTo(Schema.Type.STRING);
        assertThat(client.toString())
            .contains("truststore.p12", "client.pem")
            .doesNotContain(pki.password());
      }
    }
  }

  @Test
  void unusableTlsMaterialFailsNamingTheFileNeverThePassword() {
    Map<String, Object> config =
        Map.of(
            RegistryConfig.SCHEMA_REGISTRY_URL,
            "https://localhost:1",
            RegistryConfig.TLS,
            TlsSettings.trusting(TrustMaterial.pkcs12(pki.trustStore(), Secret.of("wrong-pw-5"))));
    assertThatThrownBy(() -> SchemaRegistryClients.create(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(pki.trustStore().toString())
        .hasMessageContaining("password does not open it")
        .hasMessageNotContaining("wrong-pw-5")
        .hasMessageNotContaining(pki.password());
    assertThatThrownBy(
            () ->
                SchemaRegistryClients.create(
                    Map.of(
                        RegistryConfig.SCHEMA_REGISTRY_URL,
                        "https://localhost:1",
                        RegistryConfig.TLS,
                        "/etc/ssl/ca.pem")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "schema.registry.tls must be a dev.twikitorders.auth.tls.TlsSettings");
  }

  @Test
  void confluentSslKeysAreRefusedNotIgnored() {
    assertThatThrownBy(
            () ->
                SchemaRegistryClients.create(
                    Map.of(
                        RegistryConfig.SCHEMA_REGISTRY_URL,
                        "https://localhost:1",
                        "schema.registry.ssl.truststore.location",
                        "/etc/ssl/trust.p12")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "schema.registry.ssl.truststore.location is not read by this schema registry client:"
                + " pass a dev.twikitorders.auth.tls.TlsSettings under schema.registry.tls");
  }

  @Test
  void plainHttpOnlyToLoopbackUnlessAllowed() {
    assertThatThrownBy(
            () ->
                RestSchemaRegistryClient.builder()
                    .urls("http://127.0.0.1:8081,http://alice:pw-6@registry.example:8081/ccompat")
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "schema.registry.url is http:// for host registry.example, which is not loopback: use"
                + " https:// or set schema.registry.allow.insecure.http=true");
    assertThatThrownBy(() -> SchemaRegistryClients.create("http://registry.example:8081"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.allow.insecure.http=true");
    try (SchemaRegistryClient allowed =
            SchemaRegistryClients.create(
                Map.of(
                    RegistryConfig.SCHEMA_REGISTRY_URL,
                    "http://registry.example:8081",
                    RegistryConfig.ALLOW_INSECURE_HTTP,
                    "true"));
        SchemaRegistryClient loopback =
            SchemaRegistryClients.create("http://localhost:8081,http://[::1]:8081");
        SchemaRegistryClient https = SchemaRegistryClients.create("https://registry.example")) {
      assertThat(allowed).isInstanceOf(RestSchemaRegistryClient.class);
      assertThat(loopback).isInstanceOf(RestSchemaRegistryClient.class);
      assertThat(https).isInstanceOf(RestSchemaRegistryClient.class);
    }
  }
}
