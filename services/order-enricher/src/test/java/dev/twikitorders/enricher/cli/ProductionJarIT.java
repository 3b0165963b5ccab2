package dev.twikitorders.enricher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.enricher.config.KafkaSettings;
import dev.twikitorders.enricher.config.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged production jar, {@code order-enricher.jar}, as an operator runs it: it holds no
 * embedded stack, and {@code run} without Kafka settings refuses to start instead of quietly
 * starting one.
 */
class ProductionJarIT {
  private static final Path JAR = Path.of(System.getProperty("order-enricher.jar"));

  @Test
  void runWithoutKafkaSettingsExitsTwoAndNamesTheVariable(@TempDir Path dir) throws Exception {
    Result r = run(dir, "run");

    assertThat(r.exitCode()).as("exit code; stderr: %s", r.err()).isEqualTo(2);
    assertThat(r.err())
        .contains(KafkaSettings.BOOTSTRAP_SERVERS.env())
        .contains("bin/demo")
        .doesNotContain("Exception");
  }

  @Test
  void theJarHoldsNoEmbeddedStackSandboxOrDemo() throws IOException {
    List<String> forbidden = new ArrayList<>();
    try (JarFile jar = new JarFile(JAR.toFile())) {
      jar.stream()
          .map(e -> e.getName())
          .filter(
              n ->
                  n.startsWith("dev/twikitorders/localstack/")
                      || n.startsWith("dev/twikitorders/sandbox/")
                      || n.startsWith("dev/twikitorders/devstack/")
                      || n.startsWith("io/vertx/")
                      || n.startsWith("org/apache/kafka/common/test/")
                      || n.startsWith("kafka/server/"))
          .limit(10)
          .forEach(forbidden::add);
    }
    assertThat(forbidden).as("dev-stack classes in the production jar").isEmpty();
  }

  /** Runs the jar with none of the pipeline's settings in its environment. */
  private static Result run(Path dir, String... args) throws Exception {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> cmd = new ArrayList<>(List.of(java, "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment()
        .keySet()
        .removeIf(
            k -> k.startsWith("KAFKA_") || Settings.ALL.stream().anyMatch(s -> s.env().equals(k)));
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("order-enricher.jar " + String.join(" ", args) + " did not exit");
    }
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private record Result(int exitCode, String out, String err) {}
}
