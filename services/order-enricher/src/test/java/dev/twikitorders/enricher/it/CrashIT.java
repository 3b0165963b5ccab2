package dev.twikitorders.enricher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twikitorders.enricher.config.Settings;
import dev.twikitorders.enricher.config.TwikitSettings;
import dev.twikitorders.enricher.it.ExpectedOutputs.OutputKey;
import dev.twikitorders.enricher.it.TestOrders.Item;
import dev.twikitorders.enricher.it.TestOrders.Produced;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 2 of docs/contracts.md across {@code kill -9}: the packaged application runs as a child
 * process ({@code java -jar order-enricher.jar run}) against the test's broker, registry and Twikit
 * sandbox; the test SIGKILLs it while calls are in flight, starts a new process with the same
 * application id and requires complete outputs without duplicates, read with {@code
 * read_committed}.
 *
 * <p>Child output goes to {@code target/it-logs/}; every child is killed in {@link #stopAll()},
 * also when a test fails.
 */
class CrashIT {
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
    it = ItStack.start(Duration.ofMillis(10), Duration.ofMillis(10));
  }

  @AfterAll
  static void stopAll() {
    synchronized (CHILDREN) {
      for (Process p : CHILDREN) {
        p.destroyForcibly();
      }
      for (Process p : CHILDREN) {
        try {
          p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    if (it != null) {
      it.close();
    }
  }

  @BeforeEach
  void resetSandbox() {
    it.sandbox().reset();
  }

  /**
   * The acceptance test of crash recovery: SIGKILL with at least 100 Twikit calls in flight,
   * restart, exactly once.
   */
  @Test
  void killedWithHundredsOfCallsInFlightThenRestartedGivesExactOutputs() throws Exception {
    PipelineRun run = it.newRun("crash-in-flight");
    Path stateDir = tmp.resolve("state");
    // calls that hang must stay in flight (not time out and retry) until the kill; a fixed limit of
    // 256, since the adaptive one (starting at 20) would not send more while its first calls hang:
    // no answer, no sign the API could take more
    Map<String, String> settings =
        Map.of(
            TwikitSettings.RESPONSE_TIMEOUT.key(), "600000",
            TwikitSettings.CONCURRENCY.key(), "fixed",
            TwikitSettings.MAX_IN_FLIGHT.key(), "256");
    Process first = startChild(run, stateDir, settings, "1");

    // the first 150 API calls are never answered; the rest are served, so some events complete
    it.sandbox().hangNext(150);
    List<Item> items = TestOrders.mixed(run.name(), 200, 11, it.registry(), run.input());
    List<Produced> produced =
        TestOrders.produce(it.bootstrapServers(), it.registry(), run.input(), items);
    Map<OutputKey, Long> expected = ExpectedOutputs.of(produced);
    long total = ExpectedOutputs.total(expected);

    try (OutputReader reader = new OutputReader(it.bootstrapServers(), it.registry(), run)) {
      await("at least 100 calls hanging in the sandbox and some outputs committed")
          .atMost(LONG)
          .until(() -> reader.poll() > 0 && hangingCalls() >= 100);
      assertThat(hangingCalls())
          .as("calls in flight when the process is killed")
          .isGreaterThanOrEqualTo(100);
      assertThat(first.isAlive()).isTrue();
      kill(first);
      assertThat((long) reader.count()).as("outputs committed before the kill").isLessThan(total);

      it.sandbox().resetFaults();
      Process second = startChild(run, stateDir, settings, "2");
      PipelineAssertions.awaitExactOutputs(reader, expected, run, LONG);
      PipelineAssertions.assertHeadersAndSources(reader.records(), produced);
      PipelineAssertions.assertPerOrderInputOrder(reader.records());
      assertThat(log(run, "2", "err"))
          .as("the second process re-issued the pending events of the first")
          .contains("re-issued");
      stop(second);
    }
  }

  /**
   * A kill at a random point of normal processing, restarted on a fresh state directory (restore
   * from the changelog).
   */
  @Test
  void killedAtARandomMomentThenRestartedElsewhereGivesExactOutputs() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    PipelineRun run = it.newRun("crash-random");
    it.sandbox().setLatency(Duration.ofMillis(60), Duration.ofMillis(60));
    Map<String, String> settings = Map.of(TwikitSettings.MAX_IN_FLIGHT.key(), "24");
    Process first = startChild(run, tmp.resolve("state-1"), settings, "1");

    List<Item> items = TestOrders.mixed(run.name(), 250, seed, it.registry(), run.input());
    List<Produced> produced =
        TestOrders.produce(it.bootstrapServers(), it.registry(), run.input(), items);
    Map<OutputKey, Long> expected = ExpectedOutputs.of(produced);
    long total = ExpectedOutputs.total(expected);
    long killAt = (long) (total * (0.1 + 0.6 * random.nextDouble()));

    try (OutputReader reader = new OutputReader(it.bootstrapServers(), it.registry(), run)) {
      await("%d of %d outputs committed (seed %d)".formatted(killAt, total, seed))
          .atMost(LONG)
          .until(() -> reader.poll() >= killAt);
      kill(first);
      assertThat((long) reader.count())
          .as("outputs committed before the kill (seed %d)", seed)
          .isLessThan(total);

      Process second = startChild(run, tmp.resolve("state-2"), settings, "2");
      PipelineAssertions.awaitExactOutputs(reader, expected, run, LONG);
      PipelineAssertions.assertHeadersAndSources(reader.records(), produced);
      PipelineAssertions.assertPerOrderInputOrder(reader.records());
      stop(second);
    }
  }

  /**
   * Two instances of one application id as separate processes; one is SIGKILLed with calls in
   * flight and not restarted: the other takes its tasks over (once its session times out) and the
   * outputs are exact. The second of the two leaves with SIGTERM afterwards.
   */
  @Test
  void oneOfTwoInstancesKilledTheOtherTakesOverExactlyOnce() throws Exception {
    PipelineRun run = it.newRun("crash-one-of-two");
    it.sandbox().setLatency(Duration.ofMillis(100), Duration.ofMillis(50));
    Map<String, String> settings = Map.of();
    Process first = startChild(run, tmp.resolve("state-1"), settings, "1");
    Process second = startChild(run, tmp.resolve("state-2"), settings, "2");

    List<Item> items = TestOrders.mixed(run.name(), 300, 17, it.registry(), run.input());
    List<Produced> produced =
        TestOrders.produce(it.bootstrapServers(), it.registry(), run.input(), items);
    Map<OutputKey, Long> expected = ExpectedOutputs.of(produced);
    long total = ExpectedOutputs.total(expected);

    try (OutputReader reader = new OutputReader(it.bootstrapServers(), it.registry(), run)) {
      await("some outputs committed").atMost(LONG).until(() -> reader.poll() >= total / 5);
      kill(second);
      assertThat((long) reader.count()).as("outputs before the kill").isLessThan(total);

      PipelineAssertions.awaitExactOutputs(reader, expected, run, LONG);
      PipelineAssertions.assertHeadersAndSources(reader.records(), produced);
      PipelineAssertions.assertPerOrderInputOrder(reader.records());
      assertThat(first.isAlive()).isTrue();
      stop(first);
    }
  }

  private static long hangingCalls() {
    return it.sandbox().counters().requestsWithStatus(0);
  }

  /**
   * Starts {@code java -jar order-enricher.jar run} with the settings as environment variables and
   * waits until it has passed its start-up checks and started Kafka Streams.
   */
  private static Process startChild(
      PipelineRun run, Path stateDir, Map<String, String> extra, String label) throws IOException {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    ProcessBuilder pb =
        new ProcessBuilder(java, "-Xmx384m", "-XX:+UseSerialGC", "-jar", jar.toString(), "run");
    Map<String, String> env = pb.environment();
    env.keySet()
        .removeIf(
            k -> k.startsWith("KAFKA_") || Settings.ALL.stream().anyMatch(s -> s.env().equals(k)));
    env.putAll(run.environment(stateDir, extra));
    pb.redirectOutput(logFile(run, label, "out").toFile());
    pb.redirectError(logFile(run, label, "err").toFile());
    Process p = pb.start();
    synchronized (CHILDREN) {
      CHILDREN.add(p);
    }
    await("child " + label + " of " + run + " running")
        .atMost(LONG)
        .until(
            () -> {
              if (!p.isAlive()) {
                throw new IllegalStateException(
                    "child "
                        + label
                        + " exited with "
                        + p.exitValue()
                        + ":\n"
                        + tail(log(run, label, "err")));
              }
              return log(run, label, "out").contains("Running.");
            });
    return p;
  }

  /** SIGKILL: no shutdown hook, no commit, no close. */
  private static void kill(Process p) throws InterruptedException {
    p.destroyForcibly();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("killed process exited").isTrue();
    assertThat(p.exitValue()).as("exit status of a SIGKILLed process").isEqualTo(128 + 9);
  }

  /** SIGTERM: the application's shutdown hook closes it cleanly. */
  private static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
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
