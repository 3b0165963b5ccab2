package dev.twikitorders.enricher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.sandbox.SandboxConfig;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.testpki.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code auth register} and {@code auth login}: help, the errors found before any request (exit 2),
 * and a registration the identity provider refuses (exit 1), against the sandbox over HTTPS. The
 * successful register and login flows run against the packaged jar in {@code HttpsAuthIT}.
 */
class AuthCliTest {
  @TempDir static Path dir;
  static TestPki pki;
  static TwikitSandbox sandbox;

  @BeforeAll
  static void start() {
    pki = TestPki.create(dir.resolve("pki"));
    sandbox =
        TwikitSandbox.start(
            SandboxConfig.builder()
                .port(0)
                .tls(pki.serverCertPem(), pki.serverKeyPem())
                .clientId("cli-test")
                .clientSecret("cli-test-secret")
                .build());
  }

  @AfterAll
  static void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  private static List<String> tls(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--set",
            "twikit.ssl.truststore.type=PEM",
            "--set",
            "twikit.ssl.truststore.location=" + pki.caCertPem()));
    return all;
  }

  @Test
  void helpDocumentsBothCommandsAndTheirExitCodes() {
    ItStack.CliResult auth = ItStack.cli(List.of("auth", "--help"));
    ItStack.CliResult register = ItStack.cli(List.of("auth", "register", "--help"));
    ItStack.CliResult login = ItStack.cli(List.of("auth", "login", "--help"));
    assertThat(auth.exitCode()).isZero();
    assertThat(auth.out()).contains("register", "login", "Exit codes");
    assertThat(register.out())
        .contains("--issuer", "--registration-url", "--output", "--grant-type", "--force")
        .contains("RFC 7591", "never the");
    assertThat(login.out())
        .contains("--issuer", "--authorization-url", "--store", "--port", "--timeout-s")
        .contains("PKCE", "127.0.0.1", "state");
  }

  @Test
  void registerWithoutAnEndpointIsAConfigurationError() {
    ItStack.CliResult r =
        ItStack.cli(List.of("auth", "register", "--output", dir.resolve("x.json").toString()));
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--registration-url", "TWIKIT_ISSUER_URL");
    assertThat(dir.resolve("x.json")).doesNotExist();
  }

  @Test
  void registerRefusesToOverwriteWithoutForce() throws Exception {
    Path existing = Files.writeString(dir.resolve("existing.json"), "{}");
    ItStack.CliResult r =
        ItStack.cli(
            tls(
                "auth",
                "register",
                "--issuer",
                sandbox.issuerUrl().toString(),
                "--output",
                existing.toString()));
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("exists", "--force");
    assertThat(Files.readString(existing)).isEqualTo("{}");
  }

  @Test
  void aRefusedRegistrationExitsOneWithTheErrorCode() {
    Path out = dir.resolve("refused.json");
    ItStack.CliResult r =
        ItStack.cli(
            tls(
                "auth",
                "register",
                "--issuer",
                sandbox.issuerUrl().toString(),
                "--grant-type",
                "authorization_code",
                "--redirect-uri",
                "http://shop.example/callback",
                "--output",
                out.toString()));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("invalid_redirect_uri");
    assertThat(out).doesNotExist();
  }

  @Test
  void loginWithoutAStoreIsAConfigurationError() {
    ItStack.CliResult r =
        ItStack.cli(
            tls(
                "auth",
                "login",
                "--issuer",
                sandbox.issuerUrl().toString(),
                "--set",
                "twikit.client.id=cli-test"));
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--store", "TWIKIT_REFRESH_TOKEN_FILE");
  }

  @Test
  void anUntrustedIdentityProviderFailsWithoutWritingAnything() {
    Path out = dir.resolve("untrusted.json");
    ItStack.CliResult r =
        ItStack.cli(
            List.of(
                "auth",
                "register",
                "--issuer",
                sandbox.issuerUrl().toString(),
                "--output",
                out.toString()));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains(sandbox.issuerUrl().getHost());
    assertThat(out).doesNotExist();
  }
}
