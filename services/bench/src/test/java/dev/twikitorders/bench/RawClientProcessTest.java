package dev.twikitorders.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.sandbox.SandboxConfig;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.sandbox.api.Operation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The raw-ceiling child JVM against a real sandbox on loopback: the protocol and the counting. */
class RawClientProcessTest {
  private static final String SECRET = "raw-test-secret-5b1e";

  @TempDir Path work;

  @Test
  void childJvmOptionsAreThePipelines() {
    ChildJvm jvm = new ChildJvm("256m", "SerialGC", List.of("-Dx=1"));
    List<String> cmd = jvm.command(work.resolve("gc.log"));
    assertThat(cmd.get(0)).endsWith("java");
    assertThat(cmd)
        .contains("-Xmx256m", "-XX:+UseSerialGC", "-Xlog:gc:file=" + work.resolve("gc.log"));
    assertThat(cmd.get(cmd.size() - 1)).isEqualTo("-Dx=1");
    assertThat(jvm.describe()).isEqualTo("-Xmx256m -XX:+UseSerialGC -Dx=1");
  }

  @Test
  void measuresCallsTheSandboxAnsweredAndKeepsTheSecretOutOfItsLog() throws Exception {
    try (TwikitSandbox sandbox =
        TwikitSandbox.start(
            SandboxConfig.builder()
                .port(0)
                .clientId("bench")
                .clientSecret(SECRET)
                .latency(Duration.ZERO)
                .build())) {
      Map<String, String> settings = new LinkedHashMap<>();
      settings.put("kafka.bootstrap.servers", "localhost:9");
      settings.put("schema.registry.url", "mock://raw-test");
      settings.put("twikit.api.url", sandbox.apiUrl().toString());
      settings.put("twikit.token.url", sandbox.tokenUrl().toString());
      settings.put("twikit.client.id", "bench");
      settings.put("twikit.max.in.flight", "16");
      long before =
          sandbox.counters().totalRequests() - sandbox.counters().requests(Operation.STATUS);
      RawCeiling.Result result;
      try (RawClientProcess raw =
          RawClientProcess.start(
              new ChildJvm("128m", "SerialGC", List.of()), work, settings, SECRET)) {
        // a cold JVM may spend the first windows starting up; windows repeat until calls were
        // counted
        result = raw.run(Duration.ZERO, Duration.ofMillis(500));
        for (int i = 0; i < 60 && result.calls() == 0; i++) {
          result = raw.run(Duration.ZERO, Duration.ofMillis(500));
        }
      }
      long answered =
          sandbox.counters().totalRequests()
              - sandbox.counters().requests(Operation.STATUS)
              - before;
      assertThat(result.failures()).isZero();
      assertThat(result.calls()).isPositive().isLessThanOrEqualTo(answered);
      assertThat(result.lines()).isPositive();
      assertThat(sandbox.counters().tokensIssued()).isEqualTo(1);
      assertThat(Files.readString(work.resolve("raw-client.log"))).doesNotContain(SECRET);
    }
  }
}
