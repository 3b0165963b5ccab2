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
            "--help",
            "--version");
    assertThat(help).contains("Default: 127.0.0.1", "Default: 8089", "Default: 3600");
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
