package dev.twikitorders.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.auth.Secret;
import dev.twikitorders.sandbox.SandboxConfig;
import dev.twikitorders.sandbox.TwikitSandbox;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the peer benchmark is found, built and started (without running it). */
class PeerBenchTest {
  @TempDir Path tmp;

  @Test
  void aPeersDirectoryNeedsAPom() throws IOException {
    assertThat(PeerBench.problem(tmp.resolve("nope"))).startsWith("--peers ").contains("no such");
    assertThat(PeerBench.problem(tmp)).contains("no pom.xml");
    Files.writeString(tmp.resolve("pom.xml"), "<project/>");
    assertThat(PeerBench.problem(tmp)).isNull();
  }

  @Test
  void theBuiltJarIsTheRunnableOne() throws Exception {
    jar(tmp.resolve("original-enrich-bench.jar"), true);
    jar(tmp.resolve("enrich-bench-sources.jar"), true);
    jar(tmp.resolve("lib.jar"), false);
    jar(tmp.resolve("enrich-bench.jar"), true);

    assertThat(PeerBench.builtJar(tmp)).isEqualTo(tmp.resolve("enrich-bench.jar"));

    jar(tmp.resolve("other.jar"), true);
    assertThatThrownBy(() -> PeerBench.builtJar(tmp))
        .isInstanceOf(PeerBench.PeerFailure.class)
        .hasMessageContaining("expected one runnable jar");
  }

  @Test
  void theCommandPointsAtTheSandboxAndBrokerAndItsLoggedFormHidesTheSecret() {
    Secret secret = Secret.of("s3cr3t-" + System.nanoTime());
    try (TwikitSandbox sandbox =
        TwikitSandbox.start(
            SandboxConfig.builder()
                .port(0)
                .clientId("bench")
                .clientSecret(secret.revealAsString())
                .latency(Duration.ZERO)
                .build())) {
      PeerBench.Params params =
          new PeerBench.Params(
              500, 20, 100, 50, 6, Duration.ofMinutes(5), "127.0.0.1:9092", "bench", secret);
      List<String> cmd =
          new PeerBench(tmp, tmp)
              .command(tmp.resolve("enrich-bench.jar"), sandbox, params, tmp.resolve("p.json"));

      assertThat(String.join(" ", cmd))
          .contains("-Xmx4g -jar " + tmp.resolve("enrich-bench.jar"))
          .contains("--peer all --orders 500 --streams-orders 20 --warmup-orders 100")
          .contains("--api-url " + sandbox.apiUrl())
          .contains("--token-url " + sandbox.tokenUrl())
          .contains("--client-id bench --client-secret " + secret.revealAsString())
          .contains("--bootstrap 127.0.0.1:9092")
          .contains("--json " + tmp.resolve("p.json"));
      String logged = String.join(" ", PeerBench.masked(cmd, secret));
      assertThat(logged).doesNotContain(secret.revealAsString()).contains("--client-secret ****");
      assertThat(params.toString()).doesNotContain(secret.revealAsString());
    }
  }

  @Test
  void theWarmUpEndsWithItsSummaryOrTheFirstMeasuredPeer() {
    assertThat(
            PeerBench.isMeasuredPhase(
                "[2026-11-29T12:00:00Z] === pc (warm-up, not measured): 4000 orders ==="))
        .isFalse();
    assertThat(PeerBench.isMeasuredPhase("[2026-11-29T12:00:00Z] pc warm-up (4000 orders): ok"))
        .isFalse();
    assertThat(PeerBench.isMeasuredPhase("[2026-11-29T12:00:09Z] warm-up done in 9 s")).isTrue();
    assertThat(
            PeerBench.isMeasuredPhase(
                "[2026-11-29T12:00:09Z] === pc: 2000 orders, latency external ==="))
        .isTrue();
  }

  private static void jar(Path file, boolean main) throws IOException {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (main) {
      m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "bench.Main");
    }
    try (OutputStream out = Files.newOutputStream(file);
        JarOutputStream j = new JarOutputStream(out, m)) {
      j.flush();
    }
  }
}
