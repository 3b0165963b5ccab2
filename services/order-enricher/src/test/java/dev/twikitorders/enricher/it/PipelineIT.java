package dev.twikitorders.enricher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.twikitorders.enricher.app.EnricherApp;
import dev.twikitorders.enricher.config.TwikitSettings;
import dev.twikitorders.enricher.it.ExpectedOutputs.OutputKey;
import dev.twikitorders.enricher.it.ExpectedOutputs.Role;
import dev.twikitorders.enricher.it.OutputReader.Output;
import dev.twikitorders.enricher.it.TestOrders.Item;
import dev.twikitorders.enricher.it.TestOrders.Produced;
import dev.twikitorders.sandbox.api.Operation;
import dev.twikitorders.schemas.OrderEventType;
import dev.twikitorders.schemas.OrderLine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The pipeline end to end, in-process, on real infrastructure: the embedded KRaft broker, the
 * Apicurio registry child JVM and the Twikit sandbox over HTTP on loopback (10-20 ms per call).
 * Proves the invariants of docs/contracts.md: 1 (conservation), 2 across a clean restart, 3
 * (per-order order), 4 (bad records and API outages) and 5 (secrets). The crash half of invariant 2
 * is {@link CrashIT}.
 */
class PipelineIT {
  private static final Duration LONG = Duration.ofMinutes(3);

  private static ItStack it;

  @TempDir Path tmp;

  private final List<EnricherApp> apps = new ArrayList<>();
  private final List<OutputReader> readers = new ArrayList<>();

  @BeforeAll
  static void startStack() {
    it = ItStack.start(Duration.ofMillis(10), Duration.ofMillis(10));
  }

  @AfterAll
  static void stopStack() {
    if (it != null) {
      it.close();
    }
  }

  @BeforeEach
  void resetSandbox() {
    it.sandbox().reset();
  }

  @AfterEach
  void closeApps() {
    apps.forEach(EnricherApp::close);
    readers.forEach(OutputReader::close);
  }

  @Test
  void everyLineIsConservedInOrderWithHeaders() {
    PipelineRun run = it.newRun("conservation");
    EnricherApp app = start(run, tmp.resolve("state"), Map.of());
    List<Item> items = TestOrders.mixed(run.name(), 250, 1, it.registry(), run.input());
    List<Produced> produced =
        TestOrders.produce(it.bootstrapServers(), it.registry(), run.input(), items);
    Map<OutputKey, Long> expected = ExpectedOutputs.of(produced);
    assertThat(produced).hasSizeGreaterThan(250);
    assertThat(expected.keySet().stream().map(OutputKey::status).collect(Collectors.toSet()))
        .as("the batch covers every kind of outcome")
        .contains(
            "PLACED", "CANCELLED", "NOT_FOUND", "INCOMPATIBLE", "UNREADABLE", "INVALID_EVENT");

    OutputReader reader = reader(run);
    PipelineAssertions.awaitExactOutputs(reader, expected, run, LONG);
    PipelineAssertions.assertHeadersAndSources(reader.records(), produced);
    PipelineAssertions.assertPerOrderInputOrder(reader.records());

    // each enriched line's configuration was linked to its order in the sandbox (update many)
    for (Output o : reader.records()) {
      if (o.role() == Role.ERP && "PLACED".equals(o.status())) {
        assertThat(it.sandbox().configurationJson(o.field("configurationId")))
            .as("configuration of %s", o)
            .hasValueSatisfying(
                json -> assertThat(json).contains("\"externalId\":\"" + o.key() + "\""));
      }
    }
    assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
    assertThat(app.stats().pendingEvents()).isZero();
  }

  @Test
  void anApiOutageDelaysButNeverDrops() {
    PipelineRun run = it.newRun("outage");
    EnricherApp app = start(run, tmp.resolve("state"), Map.of());
    // the app has passed its start-up checks; from now on every API call is answered 503
    it.sandbox().updateFaults(f -> f.errorRate(503, 1.0));
    List<Item> items = TestOrders.configuredOnly(run.name(), 40, 2);
    List<Produced> produced =
        TestOrders.produce(it.bootstrapServers(), it.registry(), run.input(), items);
    Map<OutputKey, Long> expected = ExpectedOutputs.of(produced);

    // the client's circuit breaker opens after 10 failures and lets one probe through every 5 s:
    // a few probes more than that mean the outage has lasted through several retry rounds
    await("the sandbox answered 503 to the first calls and to several probes")
        .atMost(LONG)
        .until(() -> it.sandbox().counters().requestsWithStatus(503) >= 13);
    // the events were consumed (their offsets committed as pending) and nothing came out of them
    PipelineAssertions.awaitInputCommitted(run, LONG);
    OutputReader reader = reader(run);
    reader.readToEnd(LONG);
    assertThat(reader.records()).as("outputs and dead letters during the outage").isEmpty();
    assertThat(app.stats().pendingEvents())
        .as("events waiting for the API")
        .isEqualTo(items.size());
    var counters = it.sandbox().counters();
    assertThat(
            counters.requests(Operation.COMPATIBILITY, 200)
                + counters.requests(Operation.SUMMARY, 200)
                + counters.requests(Operation.FILTERED, 200)
                + counters.requests(Operation.UPDATE_MANY, 200))
        .as("API calls answered 200 during the outage")
        .isZero();

    it.sandbox().resetFaults();
    PipelineAssertions.awaitExactOutputs(reader, expected, run, LONG);
    assertThat(reader.records()).noneMatch(o -> o.role() == Role.DEAD_LETTER);
    PipelineAssertions.assertHeadersAndSources(reader.records(), produced);
  }

  @Test
  void badRecordsNeverStopThePipeline() {
    PipelineRun run = it.newRun("bad-records");
    EnricherApp app = start(run, tmp.resolve("state"), Map.of());
    Random random = new Random(3);
    List<Item> bad = TestOrders.badRecords(run.name(), random, it.registry(), run.input());
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      items.add(
          Item.event(
              TestOrders.event(
                  run.name() + "-evt-" + i,
                  run.name() + "-order-" + i,
                  OrderEventType.ORDER_PLACED,
                  List.of(
                      new OrderLine("1", "SKU-1", 1, TestOrders.goodUuid(random)),
                      new OrderLine("2", "PLAIN-2", 1, null)))));
      items.add(
          i % 2 == 0
              ? Item.raw(run.name() + "-garbage-" + i, TestOrders.garbage(random))
              : bad.get(i / 2 % bad.size()));
    }
    List<Produced> produced =
        TestOrders.produce(it.bootstrapServers(), it.registry(), run.input(), items);
    Map<OutputKey, Long> expected = ExpectedOutputs.of(produced);
    assertThat(expected.keySet()).filteredOn(k -> k.status().equals("PLACED")).hasSize(120);

    OutputReader reader = reader(run);
    PipelineAssertions.awaitExactOutputs(reader, expected, run, LONG);
    PipelineAssertions.assertHeadersAndSources(reader.records(), produced);
    assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
    assertThat(app.fatalError()).isNull();
  }

  @Test
  void aCleanRestartResumesExactlyOnceFromTheChangelog() {
    PipelineRun run = it.newRun("restart");
    // slow enough that the batch is far from done when the first instance stops
    it.sandbox().setLatency(Duration.ofMillis(80), Duration.ofMillis(40));
    Map<String, String> slow = Map.of(TwikitSettings.MAX_IN_FLIGHT.key(), "16");
    EnricherApp first = start(run, tmp.resolve("state-1"), slow);
    List<Item> items = TestOrders.mixed(run.name(), 200, 4, it.registry(), run.input());
    List<Produced> produced =
        TestOrders.produce(it.bootstrapServers(), it.registry(), run.input(), items);
    Map<OutputKey, Long> expected = ExpectedOutputs.of(produced);
    long total = ExpectedOutputs.total(expected);

    OutputReader reader = reader(run);
    await("a quarter of the outputs").atMost(LONG).until(() -> reader.poll() >= total / 4);
    first.close();
    reader.readToEnd(LONG);
    assertThat((long) reader.count())
        .as("outputs committed by the first instance")
        .isLessThan(total);

    // a fresh state directory: the pending events come back from the changelog topic
    EnricherApp second = start(run, tmp.resolve("state-2"), slow);
    PipelineAssertions.awaitExactOutputs(reader, expected, run, LONG);
    PipelineAssertions.assertHeadersAndSources(reader.records(), produced);
    PipelineAssertions.assertPerOrderInputOrder(reader.records());
    assertThat(second.stats().restoredEvents())
        .as("pending events re-issued after the restore")
        .isPositive();
  }

  @Test
  void secretsAndTokensNeverShowInLogsDeadLettersOrExceptions() throws Exception {
    PipelineRun run = it.newRun("secrets");
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger ours = (Logger) LoggerFactory.getLogger("dev.twikitorders");
    Level oursBefore = ours.getLevel();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    ours.setLevel(Level.DEBUG);
    List<Output> outputs;
    String config;
    String metrics;
    try {
      // short-lived tokens and transient errors: the token renewal and retry paths (and their logs)
      // get their turn
      it.sandbox()
          .updateFaults(
              f ->
                  f.errorRate(503, 0.1)
                      .errorRate(500, 0.05)
                      .tokenTtl(Duration.ofSeconds(2))
                      .retryAfter(Duration.ZERO));
      EnricherApp app = start(run, tmp.resolve("state"), Map.of());
      config = app.config().toString();
      List<Item> items = TestOrders.mixed(run.name(), 80, 5, it.registry(), run.input());
      List<Produced> produced =
          TestOrders.produce(it.bootstrapServers(), it.registry(), run.input(), items);
      Map<OutputKey, Long> expected = ExpectedOutputs.of(produced);
      OutputReader reader = reader(run);
      PipelineAssertions.awaitExactOutputs(reader, expected, run, LONG);
      outputs = reader.records();
      metrics =
          app.streams().metrics().entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue().metricValue())
              .collect(Collectors.joining("\n"));
      app.close();
    } finally {
      root.detachAppender(logs);
      ours.setLevel(oursBefore);
    }
    assertThat(it.sandbox().counters().tokensIssued())
        .as("tokens issued during the run")
        .isPositive();
    assertThat(it.sandbox().counters().requestsWithStatus(503)).as("injected 503s").isPositive();
    String secret = it.clientSecret();
    String basic =
        Base64.getEncoder()
            .encodeToString((ItStack.CLIENT_ID + ":" + secret).getBytes(StandardCharsets.UTF_8));
    String token = fetchToken(secret);
    assertThat(token).startsWith("eyJ");
    Set<String> forbidden = Set.of(secret, basic, token, "eyJ");

    List<String> texts = new ArrayList<>();
    for (ILoggingEvent e : logs.list) {
      texts.add(e.getFormattedMessage());
      texts.add(String.valueOf(e.getMDCPropertyMap()));
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        texts.add(t.getClassName() + ": " + t.getMessage());
        for (IThrowableProxy s : t.getSuppressed()) {
          texts.add(s.getClassName() + ": " + s.getMessage());
        }
      }
    }
    assertThat(logs.list).as("captured log events").isNotEmpty();
    assertThat(logs.list)
        .as("debug events of the Twikit client and the enricher")
        .anyMatch(
            e -> e.getLevel() == Level.DEBUG && e.getLoggerName().startsWith("dev.twikitorders"));
    for (Output o : outputs) {
      texts.add(String.valueOf(o.value()));
      texts.add(String.valueOf(o.headers()));
    }
    assertThat(outputs).anyMatch(o -> o.role() == Role.DEAD_LETTER);
    texts.add(config);
    texts.add(metrics);
    for (String text : texts) {
      for (String f : forbidden) {
        assertThat(text)
            .as("a log message, dead letter, exception or config text")
            .doesNotContain(f);
      }
    }
  }

  /**
   * A token for the same client from the sandbox's token endpoint (RFC 6749 section 4.4, HTTP
   * Basic).
   */
  private static String fetchToken(String secret) throws Exception {
    String basic =
        Base64.getEncoder()
            .encodeToString((ItStack.CLIENT_ID + ":" + secret).getBytes(StandardCharsets.UTF_8));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(it.infra().twikitTokenUrl()))
            .header("Authorization", "Basic " + basic)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
            .build();
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      Matcher m = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
      assertThat(m.find()).as("access_token in the token reply").isTrue();
      return m.group(1);
    }
  }

  private EnricherApp start(PipelineRun run, Path stateDir, Map<String, String> extra) {
    EnricherApp app = EnricherApp.start(run.config(stateDir, extra));
    apps.add(app);
    await("Kafka Streams RUNNING")
        .atMost(LONG)
        .until(() -> app.streams().state() == KafkaStreams.State.RUNNING);
    return app;
  }

  private OutputReader reader(PipelineRun run) {
    OutputReader reader = new OutputReader(it.bootstrapServers(), it.registry(), run);
    readers.add(reader);
    return reader;
  }
}
