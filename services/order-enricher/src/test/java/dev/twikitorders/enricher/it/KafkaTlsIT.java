package dev.twikitorders.enricher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twikitorders.enricher.config.KafkaSettings;
import dev.twikitorders.enricher.config.Settings;
import dev.twikitorders.enricher.config.StartupSettings;
import dev.twikitorders.enricher.it.ExpectedOutputs.OutputKey;
import dev.twikitorders.enricher.it.ExpectedOutputs.Role;
import dev.twikitorders.enricher.it.TestOrders.Item;
import dev.twikitorders.enricher.it.TestOrders.Produced;
import dev.twikitorders.localstack.EmbeddedKafka;
import dev.twikitorders.localstack.LocalStack;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.SchemaRegistryClients;
import dev.twikitorders.sandbox.SandboxConfig;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.testpki.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application ({@code java -jar order-enricher.jar run}) reaches Kafka over TLS
 * through the {@code KAFKA_*} pass-through alone: over the embedded broker's {@code SSL} listener
 * ({@code KAFKA_SECURITY_PROTOCOL=SSL} and a PKCS12 trust store) and over its {@code SASL_SSL}
 * listener with {@code SCRAM-SHA-512} ({@code KAFKA_SASL_MECHANISM}, {@code
 * KAFKA_SASL_JAAS_CONFIG}). Every Kafka client of {@code run} uses that listener: the start-up
 * checks and the topic creation (the test leaves the topics to the application), the output-limit
 * lookup, and Kafka Streams. The test's own producer and reader use the broker's PLAINTEXT
 * listener.
 *
 * <p>A wrong SCRAM password or a trust store that does not hold the broker's CA stops {@code run}
 * at once, without waiting for the start-up timeout (exit code 2, a last line naming the address
 * and the failure), and no password shows in the output: the child logs Kafka's client
 * configurations ({@code KAFKA_LOG_LEVEL=INFO}) so that a leak would show.
 *
 * <p>Certificates from {@link TestPki}. Child output goes to {@code target/it-logs/}; every child
 * is killed in {@link #stopAll()}.
 */
class KafkaTlsIT {
  private static final Duration LONG = Duration.ofMinutes(3);
  private static final String CLIENT_ID = "tls-it-client";
  private static final String SCRAM_USER = "enricher";
  private static final String SCRAM_PASSWORD = "scram-PASSWORD-" + UUID.randomUUID();
  private static final List<Process> CHILDREN = new ArrayList<>();

  @TempDir static Path shared;

  private static TestPki pki;
  private static LocalStack stack;
  private static SchemaRegistryClient registry;
  private static String clientSecret;
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
    pki = TestPki.create(shared.resolve("pki"));
    clientSecret = "tls-it-SECRET-" + UUID.randomUUID();
    String secret = clientSecret;
    stack =
        LocalStack.builder()
            .kafka(
                EmbeddedKafka.builder()
                    .tlsListeners(
                        pki.serverKeyStore(), pki.password(), pki.trustStore(), pki.password()))
            .service(
                TwikitSandbox.class,
                () ->
                    TwikitSandbox.start(
                        SandboxConfig.builder()
                            .port(0)
                            .clientId(CLIENT_ID)
                            .clientSecret(secret)
                            .latency(Duration.ofMillis(5))
                            .build()))
            .start();
    stack.kafka().createScramUser(SCRAM_USER, SCRAM_PASSWORD);
    registry = SchemaRegistryClients.create(stack.schemaRegistryUrl());
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
    try {
      if (registry != null) {
        registry.close();
      }
    } finally {
      if (stack != null) {
        stack.close();
      }
    }
  }

  @Test
  void runsOverTheSslListener() throws Exception {
    PipelineRun run = PipelineRun.unique("tls-ssl", infra());
    Map<String, String> settings = sslSettings(stack.kafka().sslBootstrapServers());
    settings.put(pass("security.protocol"), "SSL");

    enrichesEveryLine(run, settings);
  }

  /**
   * Also runs the bounded jobs with the same environment: {@code replay} (its admin client,
   * group-less consumer and transactional producer) into rehearsal topics, and {@code dlq list}.
   */
  @Test
  void runsOverTheSaslSslListenerWithScramSha512AndSoDoTheReplayAndDlqJobs() throws Exception {
    PipelineRun run = PipelineRun.unique("tls-scram", infra());
    Map<String, String> settings = saslSettings(SCRAM_PASSWORD);

    Map<OutputKey, Long> expected = enrichesEveryLine(run, settings);

    String output = log(run, "run.out") + log(run, "run.err");
    assertThat(output)
        .as("Kafka's client configurations are logged, with the JAAS configuration hidden")
        .contains("sasl.jaas.config = [hidden]")
        .doesNotContain(SCRAM_PASSWORD);

    String prefix = "rehearsal-" + run.name() + ".";
    int replay =
        exitCode(
            startChild(
                run,
                settings,
                "replay",
                List.of(
                    "replay",
                    "--no-progress",
                    "--from-offsets",
                    "0:0,1:0,2:0",
                    "--target-topic-prefix",
                    prefix)));
    String replayOut = log(run, "replay.out");
    long erpLines = expected.keySet().stream().filter(k -> k.role() == Role.ERP).count();
    assertThat(replay).as("replay exit code; stderr:\n%s", tail(log(run, "replay.err"))).isZero();
    assertThat(replayOut)
        .contains("events replayed: 12")
        .contains("written to " + prefix + run.erp() + ": " + erpLines)
        .contains("written to " + prefix + run.fulfillment() + ": " + erpLines);

    int list = exitCode(startChild(run, settings, "dlq", List.of("dlq", "list")));
    assertThat(list).as("dlq list exit code; stderr:\n%s", tail(log(run, "dlq.err"))).isZero();
    assertThat(log(run, "dlq.out")).contains("0 dead letters listed");
    assertThat(log(run, "replay.err") + replayOut + log(run, "dlq.err") + log(run, "dlq.out"))
        .doesNotContain(SCRAM_PASSWORD);
  }

  @Test
  void aWrongScramPasswordStopsTheStartAtOnceWithoutShowingIt() throws Exception {
    String wrong = "wrong-PASSWORD-" + UUID.randomUUID();
    PipelineRun run = PipelineRun.unique("tls-scram-refused", infra());
    Map<String, String> settings = saslSettings(wrong);
    // an authentication failure is a configuration error: no retry, whatever the start-up budget
    settings.put(StartupSettings.TIMEOUT.key(), "600000");

    Process p = startChild(run, settings);
    int code = exitCode(p);

    String err = log(run, "run.err");
    String all = log(run, "run.out") + err;
    assertThat(code).as("exit code; stderr:\n%s", tail(err)).isEqualTo(2);
    assertThat(lastLine(err))
        .as("the application's own message, its last line")
        .startsWith(
            "Configuration error: cannot use Kafka at "
                + stack.kafka().saslSslBootstrapServers()
                + ": ")
        .contains("Authentication failed")
        .contains("SCRAM-SHA-512");
    assertThat(err).doesNotContain("Waiting for Kafka");
    assertThat(all).doesNotContain(wrong).doesNotContain(SCRAM_PASSWORD);
    assertNoTopics(run);
  }

  @Test
  void aTrustStoreWithoutTheBrokersCaStopsTheStartAtOnce() throws Exception {
    PipelineRun run = PipelineRun.unique("tls-untrusted", infra());
    Map<String, String> settings = sslSettings(stack.kafka().sslBootstrapServers());
    settings.put(pass("security.protocol"), "SSL");
    settings.put(pass("ssl.truststore.location"), pki.otherTrustStore().toString());
    settings.put(StartupSettings.TIMEOUT.key(), "600000");

    Process p = startChild(run, settings);
    int code = exitCode(p);

    String err = log(run, "run.err");
    assertThat(code).as("exit code; stderr:\n%s", tail(err)).isEqualTo(2);
    assertThat(lastLine(err))
        .as("the application's own message, its last line")
        .startsWith(
            "Configuration error: cannot use Kafka at "
                + stack.kafka().sslBootstrapServers()
                + ": ")
        .contains("unable to find valid certification path");
    assertThat(err).contains("SSL handshake failed").doesNotContain("Waiting for Kafka");
    assertThat(log(run, "run.out") + err).doesNotContain(pki.password());
    assertNoTopics(run);
  }

  /**
   * Starts the application with {@code settings}, produces orders whose lines all need the Twikit
   * API (on the PLAINTEXT listener, once the application has created its topics), requires exactly
   * the expected ERP and fulfillment outputs (no dead letter), then stops it with SIGTERM.
   */
  private Map<OutputKey, Long> enrichesEveryLine(PipelineRun run, Map<String, String> settings)
      throws Exception {
    Process p = startChild(run, settings);
    awaitRunning(p, run);
    assertTopicsExist(run);

    List<Item> items = TestOrders.configuredOnly(run.name(), 12, 23);
    List<Produced> produced = TestOrders.produce(bootstrap(), registry, run.input(), items);
    Map<OutputKey, Long> expected = ExpectedOutputs.of(produced);
    assertThat(expected.keySet())
        .as("every line has an ERP and a fulfillment output, no dead letter")
        .extracting(OutputKey::role)
        .containsOnly(Role.ERP, Role.FULFILLMENT);
    try (OutputReader reader = new OutputReader(bootstrap(), registry, run)) {
      PipelineAssertions.awaitExactOutputs(reader, expected, run, LONG);
      PipelineAssertions.assertHeadersAndSources(reader.records(), produced);
    }

    p.destroy();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("stopped with SIGTERM").isTrue();
    assertThat(p.exitValue())
        .as("exit code after SIGTERM; stderr:\n%s", tail(log(run, "run.err")))
        .isEqualTo(143);
    assertThat(log(run, "run.out") + log(run, "run.err")).doesNotContain(pki.password());
    return expected;
  }

  /** {@code KAFKA_BOOTSTRAP_SERVERS} and the PKCS12 trust store holding the broker's CA. */
  private static Map<String, String> sslSettings(String bootstrapServers) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put(KafkaSettings.BOOTSTRAP_SERVERS.key(), bootstrapServers);
    s.put(pass("ssl.truststore.location"), pki.trustStore().toString());
    s.put(pass("ssl.truststore.password"), pki.password());
    s.put(pass("ssl.truststore.type"), "PKCS12");
    return s;
  }

  /** The SASL_SSL listener as {@link #SCRAM_USER} with {@code password}. */
  private static Map<String, String> saslSettings(String password) {
    Map<String, String> s = sslSettings(stack.kafka().saslSslBootstrapServers());
    s.put(pass("security.protocol"), "SASL_SSL");
    s.put(pass("sasl.mechanism"), "SCRAM-SHA-512");
    s.put(
        pass("sasl.jaas.config"),
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + SCRAM_USER
            + "\" password=\""
            + password
            + "\";");
    return s;
  }

  /** A pass-through key: {@code kafka.<setting>}, in the environment {@code KAFKA_<SETTING>}. */
  private static String pass(String kafkaSetting) {
    return Settings.KAFKA_PREFIX + kafkaSetting;
  }

  private static String bootstrap() {
    return stack.bootstrapServers();
  }

  private static PipelineRun.Infrastructure infra() {
    TwikitSandbox sandbox = stack.service(TwikitSandbox.class);
    return new PipelineRun.Infrastructure(
        stack.bootstrapServers(),
        stack.schemaRegistryUrl(),
        sandbox.apiUrl().toString(),
        sandbox.tokenUrl().toString(),
        CLIENT_ID,
        clientSecret);
  }

  private static void assertTopicsExist(PipelineRun run) throws Exception {
    try (Admin admin = stack.kafka().admin()) {
      assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
          .as("topics the application created over the secured listener")
          .contains(run.input(), run.erp(), run.fulfillment(), run.deadLetters());
    }
  }

  private static void assertNoTopics(PipelineRun run) throws Exception {
    try (Admin admin = stack.kafka().admin()) {
      assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
          .doesNotContain(run.input(), run.erp(), run.fulfillment(), run.deadLetters());
    }
  }

  /**
   * Starts {@code java -jar order-enricher.jar run} with the test's settings as environment
   * variables ({@code KAFKA_*} among them) and no other {@code KAFKA_*} variable, except {@code
   * KAFKA_LOG_LEVEL=INFO}, which makes the application log Kafka's client configurations.
   */
  private Process startChild(PipelineRun run, Map<String, String> settings) throws IOException {
    return startChild(run, settings, "run", List.of("run"));
  }

  /** Runs the jar with {@code args}; its output goes to {@code <run>.<label>.out/err.log}. */
  private Process startChild(
      PipelineRun run, Map<String, String> settings, String label, List<String> args)
      throws IOException {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command =
        new ArrayList<>(List.of(java, "-Xmx384m", "-XX:+UseSerialGC", "-jar", jar.toString()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.keySet()
        .removeIf(
            k -> k.startsWith("KAFKA_") || Settings.ALL.stream().anyMatch(s -> s.env().equals(k)));
    env.putAll(run.environment(tmp.resolve("state"), settings));
    env.put("KAFKA_LOG_LEVEL", "INFO");
    pb.redirectOutput(logFile(run, label + ".out").toFile());
    pb.redirectError(logFile(run, label + ".err").toFile());
    Process p = pb.start();
    synchronized (CHILDREN) {
      CHILDREN.add(p);
    }
    return p;
  }

  /** Waits until the child has passed its start-up checks and started Kafka Streams. */
  private static void awaitRunning(Process p, PipelineRun run) {
    await(run + " running")
        .atMost(LONG)
        .until(
            () -> {
              if (!p.isAlive()) {
                throw new IllegalStateException(
                    run + " exited with " + p.exitValue() + ":\n" + tail(log(run, "run.err")));
              }
              return log(run, "run.out").contains("Running.");
            });
  }

  private static int exitCode(Process p) throws InterruptedException {
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("the pipeline exited").isTrue();
    return p.exitValue();
  }

  private static Path logFile(PipelineRun run, String stream) {
    return logs.resolve(run.name() + "." + stream + ".log");
  }

  private static String log(PipelineRun run, String stream) {
    try {
      return Files.readString(logFile(run, stream), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1];
  }

  private static String tail(String text) {
    String[] lines = text.split("\n");
    return String.join(
        "\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 40), lines.length));
  }
}
