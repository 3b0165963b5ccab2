package dev.twikitorders.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.sandbox.cli.SandboxCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliAndConfigTest {

  @Test
  void helpListsEveryFlagWithDefaults() {
    StringWriter out = new StringWriter();
    int code = new CommandLine(new SandboxCommand()).setOut(new PrintWriter(out)).execute("--help");
    assertThat(code).isZero();
    String help = out.toString();
    assertThat(help)
        .contains(
            "--host",
            "--port",
            "--client-id",
            "--client-secret",
            "--client-secret-file",
            "--scopes",
            "--latency-ms",
            "--latency-spread-ms",
            "--token-ttl-s",
            "--seed-file",
            "--strict",
            "--event-loops",
            "--tls-cert",
            "--tls-key",
            "--client-ca",
            "--api-key-file",
            "--static-headers-file",
            "--registration-token-file",
            "--test-user",
            "--approval-page",
            "--refresh-token-ttl-s",
            "--sink-max-items",
            "--capacity",
            "--rate-limit",
            "--help",
            "--version");
    assertThat(help)
        .contains(
            "Default: 127.0.0.1",
            "Default: 8089",
            "Default: 3600",
            "Default: demo-user",
            "Default: 2592000",
            "Default: 1000000");
  }

  @Test
  void flagsBecomeTheConfigAndTheSecretIsMasked(@TempDir Path dir) throws Exception {
    Path seeds = dir.resolve("seeds.json");
    Files.writeString(
        seeds,
        "{\"configurations\":[{\"uuid\":"
            + "\"5f0c1a0e-8a3b-4c1e-9d2f-0a1b2c3d4e5f\",\"compatible\":false}]}");
    SandboxCommand cmd = new SandboxCommand();
    new CommandLine(cmd)
        .parseArgs(
            "--port",
            "0",
            "--client-id",
            "shop",
            "--client-secret",
            "s3cr3t-value",
            "--latency-ms",
            "50",
            "--latency-spread-ms",
            "10",
            "--token-ttl-s",
            "60",
            "--seed-file",
            seeds.toString(),
            "--strict",
            "--scopes",
            "configurations/configurations.read");
    SandboxConfig config = cmd.config();
    assertThat(config.port()).isZero();
    assertThat(config.clientId()).isEqualTo("shop");
    assertThat(config.clientSecret()).isEqualTo("s3cr3t-value");
    assertThat(config.latency()).isEqualTo(Duration.ofMillis(50));
    assertThat(config.latencySpread()).isEqualTo(Duration.ofMillis(10));
    assertThat(config.tokenTtl()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.strict()).isTrue();
    assertThat(config.seeds()).hasSize(1);
    assertThat(config.scopes()).containsExactly("configurations/configurations.read");
    assertThat(config.toString()).doesNotContain("s3cr3t-value").contains("****");

    try (TwikitSandbox sb = TwikitSandbox.start(config)) {
      assertThat(sb.toString()).doesNotContain("s3cr3t-value");
      assertThat(sb.apiUrl().toString()).startsWith("http://127.0.0.1:");
      assertThat(sb.tokenUrl().getPath()).isEqualTo("/oauth2/token");
      assertThat(sb.adminUrl().getPath()).isEqualTo("/_sandbox/");
      assertThat(sb.configurationJson("5f0c1a0e-8a3b-4c1e-9d2f-0a1b2c3d4e5f")).isPresent();
      assertThat(sb.configurationJson("11111111-8a3b-4c1e-9d2f-0a1b2c3d4e5f")).isEmpty();
    }
  }

  @Test
  void capacityAndRateLimitFlags() {
    SandboxCommand cmd = new SandboxCommand();
    new CommandLine(cmd).parseArgs("--port", "0", "--capacity", "4", "--rate-limit", "2.5");
    SandboxConfig config = cmd.config();
    assertThat(config.capacity()).isEqualTo(4);
    assertThat(config.rateLimit()).isEqualTo(2.5);
    assertThat(config.toString()).contains("capacity=4", "rateLimit=2.5");
    try (TwikitSandbox sb = TwikitSandbox.start(config)) {
      assertThat(sb.faults().capacity()).isEqualTo(4);
      assertThat(sb.faults().rateLimit()).isEqualTo(2.5);
    }

    SandboxCommand defaults = new SandboxCommand();
    new CommandLine(defaults).parseArgs("--port", "0");
    assertThat(defaults.config().capacity()).isZero();
    assertThat(defaults.config().rateLimit()).isZero();

    assertThat(usageError("--capacity", "-3")).contains("--capacity must be >= 0, got -3");
    assertThat(usageError("--rate-limit", "-1")).contains("--rate-limit must be >= 0");
    assertThat(usageError("--rate-limit", "NaN")).contains("--rate-limit must be >= 0");
    assertThat(usageError("--capacity", "many")).contains("--capacity");
  }

  @Test
  void badSeedFileIsAUsageError(@TempDir Path dir) throws Exception {
    Path seeds = dir.resolve("bad.json");
    Files.writeString(seeds, "{\"uuid\":\"nope\"}");
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new SandboxCommand())
            .setErr(new PrintWriter(err))
            .execute("--port", "0", "--seed-file", seeds.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("invalid --seed-file");
  }

  @Test
  void secretFromAFileIsStrippedAndNeverPrinted(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("client-secret");
    Files.writeString(file, "  file-s3cr3t\n");
    SandboxCommand cmd = new SandboxCommand();
    new CommandLine(cmd).parseArgs("--port", "0", "--client-secret-file", file.toString());
    SandboxConfig config = cmd.config();
    assertThat(config.clientSecret()).isEqualTo("file-s3cr3t");
    assertThat(config.toString()).doesNotContain("file-s3cr3t");
  }

  @Test
  void secretFileProblemsAreUsageErrors(@TempDir Path dir) throws Exception {
    Path empty = dir.resolve("empty");
    Files.writeString(empty, "\n");
    Path secret = dir.resolve("secret");
    Files.writeString(secret, "s3cr3t");
    assertThat(usageError("--client-secret-file", empty.toString())).contains("is empty");
    assertThat(usageError("--client-secret-file", dir.resolve("missing").toString()))
        .contains("cannot read --client-secret-file");
    String both = usageError("--client-secret", "other", "--client-secret-file", secret.toString());
    assertThat(both).contains("not both").doesNotContain("s3cr3t");
  }

  @Test
  void authorizationServerAndCredentialFlagsBecomeTheConfig(@TempDir Path dir) throws Exception {
    Path apiKey = Files.writeString(dir.resolve("api-key"), "\n  k3y-s3cret-1 \n");
    Path headers =
        Files.writeString(
            dir.resolve("headers"),
            "# comment\n\nTWN-InstanceKey:  inst-s3cret-2 \nTWN-Authentication: a:b=c-s3cret-3\n");
    Path reg = Files.writeString(dir.resolve("reg"), "reg-s3cret-4\n");
    Path cert = Files.writeString(dir.resolve("cert.pem"), "not checked before start");
    Path key = Files.writeString(dir.resolve("key.pem"), "not checked before start");
    Path ca = Files.writeString(dir.resolve("ca.pem"), "not checked before start");
    SandboxCommand cmd = new SandboxCommand();
    new CommandLine(cmd)
        .parseArgs(
            "--port",
            "0",
            "--api-key-file",
            apiKey.toString(),
            "--static-headers-file",
            headers.toString(),
            "--registration-token-file",
            reg.toString(),
            "--test-user",
            "alice",
            "--approval-page",
            "--refresh-token-ttl-s",
            "120",
            "--tls-cert",
            cert.toString(),
            "--tls-key",
            key.toString(),
            "--client-ca",
            ca.toString());
    SandboxConfig config = cmd.config();
    assertThat(config.apiKey()).hasValue("k3y-s3cret-1");
    assertThat(config.staticHeaders())
        .containsExactly(
            java.util.Map.entry("TWN-InstanceKey", "inst-s3cret-2"),
            java.util.Map.entry("TWN-Authentication", "a:b=c-s3cret-3"));
    assertThat(config.registrationToken()).hasValue("reg-s3cret-4");
    assertThat(config.testUser()).isEqualTo("alice");
    assertThat(config.approvalPage()).isTrue();
    assertThat(config.refreshTokenTtl()).isEqualTo(Duration.ofSeconds(120));
    assertThat(config.tls()).isTrue();
    assertThat(config.certFile()).hasValue(cert);
    assertThat(config.keyFile()).hasValue(key);
    assertThat(config.clientCaFile()).hasValue(ca);
    assertThat(config.toString())
        .doesNotContain("s3cret")
        .contains("TWN-InstanceKey", "TWN-Authentication", "alice", "cert.pem");
  }

  @Test
  void authorizationServerDefaults() {
    SandboxCommand cmd = new SandboxCommand();
    new CommandLine(cmd).parseArgs("--port", "0");
    SandboxConfig config = cmd.config();
    assertThat(config.apiKey()).isEmpty();
    assertThat(config.staticHeaders()).isEmpty();
    assertThat(config.registrationToken()).isEmpty();
    assertThat(config.testUser()).isEqualTo("demo-user");
    assertThat(config.approvalPage()).isFalse();
    assertThat(config.refreshTokenTtl()).isEqualTo(Duration.ofDays(30));
    assertThat(config.tls()).isFalse();
    assertThat(config.certFile()).isEmpty();
    assertThat(config.clientCaFile()).isEmpty();
  }

  @Test
  void credentialAndTlsFileProblemsAreUsageErrorsWithoutValues(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("empty"), " \n");
    Path noColon = Files.writeString(dir.resolve("no-colon"), "X-Ok: fine\nnocolon-s3cret\n");
    Path twice = Files.writeString(dir.resolve("twice"), "X-Key: s3cret-a\nx-key: s3cret-b\n");
    Path badName = Files.writeString(dir.resolve("bad-name"), "Bad Name: s3cret-c\n");
    Path comments = Files.writeString(dir.resolve("comments"), "# only\n\n");
    Path pem = Files.writeString(dir.resolve("x.pem"), "x");
    Path missing = dir.resolve("missing");

    assertThat(usageError("--api-key-file", empty.toString()))
        .contains("--api-key-file", "is empty");
    assertThat(usageError("--api-key-file", missing.toString()))
        .contains("cannot read --api-key-file");
    assertThat(usageError("--registration-token-file", missing.toString()))
        .contains("cannot read --registration-token-file");
    assertThat(usageError("--static-headers-file", noColon.toString()))
        .contains("line 2", "Name: value")
        .doesNotContain("s3cret");
    assertThat(usageError("--static-headers-file", twice.toString()))
        .contains("line 2", "twice")
        .doesNotContain("s3cret");
    assertThat(usageError("--static-headers-file", badName.toString()))
        .contains("Bad Name")
        .doesNotContain("s3cret");
    assertThat(usageError("--static-headers-file", comments.toString())).contains("no header");
    assertThat(usageError("--static-headers-file", missing.toString()))
        .contains("cannot read --static-headers-file");
    assertThat(usageError("--tls-cert", pem.toString())).contains("--tls-cert and --tls-key");
    assertThat(usageError("--client-ca", pem.toString())).contains("--client-ca needs");
    assertThat(usageError("--tls-cert", missing.toString(), "--tls-key", pem.toString()))
        .contains("cannot read --tls-cert");
    assertThat(usageError("--refresh-token-ttl-s", "-1")).contains("refreshTokenTtl");
  }

  private static String usageError(String... args) {
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 2];
    all[0] = "--port";
    all[1] = "0";
    System.arraycopy(args, 0, all, 2, args.length);
    int code = new CommandLine(new SandboxCommand()).setErr(new PrintWriter(err)).execute(all);
    assertThat(code).isEqualTo(2);
    return err.toString();
  }
}
