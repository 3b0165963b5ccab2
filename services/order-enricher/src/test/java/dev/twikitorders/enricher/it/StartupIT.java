package dev.twikitorders.enricher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twikitorders.connections.RegistrySettings;
import dev.twikitorders.enricher.config.KafkaSettings;
import dev.twikitorders.enricher.config.Settings;
import dev.twikitorders.enricher.config.StartupSettings;
import dev.twikitorders.enricher.config.TwikitSettings;
import dev.twikitorders.enricher.it.ExpectedOutputs.OutputKey;
import dev.twikitorders.enricher.it.TestOrders.Item;
import dev.twikitorders.enricher.it.TestOrders.Produced;
import dev.twikitorders.sandbox.SandboxConfig;
import dev.twikitorders.sandbox.TwikitSandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up of the packaged application ({@code java -jar order-enricher.jar run}) while a
 * dependency is down: it waits (one log line per wait) for {@code startup.timeout.ms}, then exits 3
 * naming the dependency and its setting; a dependency that comes up during the wait is used; a
 * configuration error still exits 2 at once.
 *
 * <p>Child output goes to {@code target/it-logs/}; every child is killed in {@link #stopAll()}.
 */
class StartupIT {
  private static final Duration LONG = Duration.ofMinutes(3);
  private static final List<Process> CHILDREN = new ArrayList<>();

  private static ItStack it;
  private static Path jar;
  private static Path logs;

  @TempDir Path tmp;

  @BeforeAll
  static void startStack() throws IOException {
    jar =
        Path.of(System.getProperty("order-enricher.jar", "target/order-enricher.jar"))
            .toAbsolutePath();
    assertThat(jar).as("the packaged application (run the ITs with mvn verify)").isRegularFile();
    logs = Path.of(System.getProperty("it.logs.dir", "target/it-logs")).toAbsolutePath();
    Files.createDirectories(logs);
    it = ItStack.start(Duration.ofMillis(5), Duration.ofMillis(5));
  }

  @AfterAll
  static void stopAll() throws InterruptedException {
    synchronized (CHILDREN) {
      for (Process p : CHILDREN) {
        p.destroyForcibly();
      }
      for (Process p : CHILDREN) {
        p.waitFor(30, TimeUnit.SECONDS);
      }
    }
    if (it != null) {
      it.close();
    }
  }

  @Test
  void kafkaOnAClosedPortExitsThreeNamingKafkaAndItsSetting() throws Exception {
    String kafka = "127.0.0.1:" + closedPort();
    PipelineRun run = PipelineRun.unique("startup-kafka", it.infra());
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put(KafkaSettings.BOOTSTRAP_SERVERS.key(), kafka);
    extra.put(StartupSettings.TIMEOUT.key(), "12000");

    Process p = startChild(run, extra, "1");
    int code = exitCode(p);

    String err = log(run, "1", "err");
    assertThat(code).as("exit code; stderr:\n%s", tail(err)).isEqualTo(3);
    assertThat(err)
        .contains("Dependency unavailable: Kafka at " + kafka + " is still unreachable")
        .contains(KafkaSettings.BOOTSTRAP_SERVERS.env())
        .contains(StartupSettings.TIMEOUT.env())
        .contains("Waiting for Kafka at " + kafka)
        .contains("next attempt at")
        .doesNotContain("\tat ");
  }

  @Test
  void registryOnAClosedPortExitsThreeNamingTheRegistryAndItsSetting() throws Exception {
    String registry = "http://127.0.0.1:" + closedPort();
    PipelineRun run = PipelineRun.unique("startup-registry", it.infra());
    run.createTopics(3);
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put(RegistrySettings.URL.key(), registry);
    extra.put(StartupSettings.TIMEOUT.key(), "5000");

    Process p = startChild(run, extra, "1");
    int code = exitCode(p);

    String err = log(run, "1", "err");
    assertThat(code).as("exit code; stderr:\n%s", tail(err)).isEqualTo(3);
    assertThat(err)
        .contains("Dependency unavailable: the schema registry at " + registry)
        .contains(RegistrySettings.URL.env())
        .contains("Waiting for the schema registry at " + registry)
        .doesNotContain("\tat ");
  }

  @Test
  void refusedCredentialsExitTwoAtOnceWithoutWaiting() throws Exception {
    PipelineRun run = PipelineRun.unique("startup-credentials", it.infra());
    run.createTopics(3);
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put(TwikitSettings.CLIENT_SECRET.key(), "not-the-secret");
    extra.put(StartupSettings.TIMEOUT.key(), "600000");

    Process p = startChild(run, extra, "1");
    int code = exitCode(p);

    String err = log(run, "1", "err");
    assertThat(code).as("exit code; stderr:\n%s", tail(err)).isEqualTo(2);
    assertThat(err)
        .contains("Twikit refused the credentials (client_credentials")
        .contains(TwikitSettings.CLIENT_ID.env())
        .doesNotContain("Waiting for")
        .doesNotContain("not-the-secret");
  }

  /** Twikit is down when the pipeline starts and comes up during its wait: the pipeline runs. */
  @Test
  void twikitThatComesUpDuringTheWaitIsUsed() throws Exception {
    int port = closedPort();
    PipelineRun.Infrastructure up = it.infra();
    PipelineRun.Infrastructure twikitDown =
        new PipelineRun.Infrastructure(
            up.bootstrapServers(),
            up.schemaRegistryUrl(),
            "http://127.0.0.1:" + port,
            "http://127.0.0.1:" + port + "/oauth2/token",
            up.clientId(),
            up.clientSecret());
    PipelineRun run = PipelineRun.unique("startup-twikit-late", twikitDown);
    run.createTopics(3);
    Process p = startChild(run, Map.of(), "1");

    await("the pipeline waits for Twikit")
        .atMost(LONG)
        .until(
            () -> {
              assertThat(p.isAlive()).as("the pipeline is still waiting").isTrue();
              return log(run, "1", "err").contains("Waiting for the Twikit API");
            });
    assertThat(log(run, "1", "out")).doesNotContain("Running.");

    try (TwikitSandbox late =
        TwikitSandbox.start(
            SandboxConfig.builder()
                .port(port)
                .clientId(up.clientId())
                .clientSecret(up.clientSecret())
                .latency(Duration.ofMillis(5))
                .build())) {
      await("the pipeline running once Twikit is up")
          .atMost(LONG)
          .until(
              () -> {
                assertThat(p.isAlive()).as("the pipeline is alive").isTrue();
                return log(run, "1", "out").contains("Running.");
              });
      assertThat(log(run, "1", "err")).contains("the Twikit API at").contains("is reachable now");

      List<Item> items = TestOrders.configuredOnly(run.name(), 20, 7);
      List<Produced> produced =
          TestOrders.produce(it.bootstrapServers(), it.registry(), run.input(), items);
      Map<OutputKey, Long> expected = ExpectedOutputs.of(produced);
      try (OutputReader reader = new OutputReader(it.bootstrapServers(), it.registry(), run)) {
        PipelineAssertions.awaitExactOutputs(reader, expected, run, LONG);
      }
      p.destroy();
      p.waitFor(60, TimeUnit.SECONDS);
    }
  }

  /** A loopback port nothing listens on (it was free a moment ago). */
  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private Process startChild(PipelineRun run, Map<String, String> extra, String label)
      throws IOException {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    ProcessBuilder pb =
        new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString(), "run");
    Map<String, String> env = pb.environment();
    env.keySet()
        .removeIf(
            k -> k.startsWith("KAFKA_") || Settings.ALL.stream().anyMatch(s -> s.env().equals(k)));
    env.putAll(run.environment(tmp.resolve("state-" + label), extra));
    pb.redirectOutput(logFile(run, label, "out").toFile());
    pb.redirectError(logFile(run, label, "err").toFile());
    Process p = pb.start();
    synchronized (CHILDREN) {
      CHILDREN.add(p);
    }
    return p;
  }

  private static int exitCode(Process p) throws InterruptedException {
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("the pipeline exited").isTrue();
    return p.exitValue();
  }

  private static Path logFile(PipelineRun run, String label, String stream) {
    return logs.resolve(run.name() + "-" + label + "." + stream + ".log");
  }

  private static String log(PipelineRun run, String label, String stream) {
    try {
      return Files.readString(logFile(run, label, stream), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String tail(String text) {
    String[] lines = text.split("\n");
    return String.join(
        "\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 40), lines.length));
  }
}
