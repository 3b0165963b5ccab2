package dev.twikitorders.enricher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.twikitorders.enricher.app.EnricherApp;
import dev.twikitorders.enricher.config.EnrichmentSettings;
import dev.twikitorders.enricher.flow.SystemPauses;
import dev.twikitorders.enricher.it.ExpectedOutputs.OutputKey;
import dev.twikitorders.enricher.it.ExpectedOutputs.Role;
import dev.twikitorders.enricher.it.TestOrders.Item;
import dev.twikitorders.enricher.it.TestOrders.Produced;
import dev.twikitorders.ops.MetricsSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * How the pipeline behaves when the Twikit API fails for a long time or for everybody: the backlog
 * stays bounded (input is paused at the source, not admitted without end), the log stays short, no
 * producer is fenced, systemic failures pause instead of dead-lettering, and everything resumes by
 * itself. Outcomes and counts only; how long things take is the benchmark's business.
 */
class FailureModesIT {
  private static final Duration LONG = Duration.ofMinutes(3);

  private static ItStack it;

  @TempDir Path tmp;

  private final List<EnricherApp> apps = new ArrayList<>();
  private final List<OutputReader> readers = new ArrayList<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeAll
  static void startStack() {
    it = ItStack.start(Duration.ofMillis(5), Duration.ofMillis(5));
  }

  @AfterAll
  static void stopStack() {
    if (it != null) {
      it.close();
    }
  }

  @BeforeEach
  void setUp() {
    it.sandbox().reset();
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void tearDown() {
    root.detachAppender(logs);
    apps.forEach(EnricherApp::close);
    readers.forEach(OutputReader::close);
  }

  @Test
  void aLongOutageWithABacklogPausesTheInputLogsLittleAndLosesNothing() {
    PipelineRun run = it.newRun("backlog-outage");
    // 3 tasks of at most 50 events in flight each: a backlog of 4,000 events is far beyond that
    EnricherApp app =
        start(run, tmp.resolve("state"), Map.of(EnrichmentSettings.MAX_PENDING_EVENTS.key(), "50"));
    it.sandbox().updateFaults(f -> f.errorRate(503, 1.0));
    List<Item> items = TestOrders.configuredOnly(run.name(), 4_000, 7);
    List<Produced> produced =
        TestOrders.produce(it.bootstrapServers(), it.registry(), run.input(), items);
    Map<OutputKey, Long> expected = ExpectedOutputs.of(produced);

    await("every task at its bound, with events waiting unstarted")
        .atMost(LONG)
        .until(
            () -> app.stats().parkedEvents() > 0 && it.sandbox().counters().totalRequests() > 30);
    // the breaker lets a probe through every 5 s: several probes mean the outage has lasted
    long probesBefore = it.sandbox().counters().requestsWithStatus(503);
    await("several breaker probes answered 503")
        .atMost(LONG)
        .until(() -> it.sandbox().counters().requestsWithStatus(503) >= probesBefore + 4);

    assertThat(app.stats().eventsRead())
        .as("input read during the outage: stopped at the source, not all 4,000 admitted")
        .isLessThan(items.size());
    assertThat(app.stats().pendingEvents())
        .as("pending events: the bound per task plus what Kafka Streams had buffered")
        .isLessThanOrEqualTo(3 * (50 + 1_000 + 500));
    assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);

    it.sandbox().resetFaults();
    OutputReader reader = reader(run);
    PipelineAssertions.awaitExactOutputs(reader, expected, run, LONG);
    assertThat(reader.records()).noneMatch(o -> o.role() == Role.DEAD_LETTER);
    PipelineAssertions.assertPerOrderInputOrder(reader.records());

    List<String> warnings =
        logs.list.stream()
            .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
            .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage())
            .toList();
    assertThat(warnings)
        .as("WARN and ERROR lines of the whole outage")
        .hasSizeLessThanOrEqualTo(30);
    assertThat(logs.list)
        .as("no transaction timed out: no fenced producer, no migrated task")
        .noneMatch(
            e ->
                e.getFormattedMessage().contains("ProducerFenced")
                    || e.getFormattedMessage().contains("TaskMigrated")
                    || (e.getThrowableProxy() != null
                        && (e.getThrowableProxy().getClassName().contains("ProducerFenced")
                            || e.getThrowableProxy().getClassName().contains("TaskMigrated"))));
  }

  @Test
  void aForbiddenApiPausesThePipelineInsteadOfDeadLetteringAndItResumesByItself() throws Exception {
    PipelineRun run = it.newRun("forbidden");
    int port = freePort();
    EnricherApp app =
        start(
            run,
            tmp.resolve("state"),
            Map.of(
                MetricsSettings.PORT.key(),
                String.valueOf(port),
                MetricsSettings.BIND_ADDRESS.key(),
                "127.0.0.1"));
    it.sandbox().updateFaults(f -> f.errorRate(403, 1.0));
    List<Item> items = TestOrders.configuredOnly(run.name(), 60, 8);
    List<Produced> produced =
        TestOrders.produce(it.bootstrapServers(), it.registry(), run.input(), items);
    Map<OutputKey, Long> expected = ExpectedOutputs.of(produced);

    await("paused for the 403s")
        .atMost(LONG)
        .until(() -> app.pauses().active().containsKey(SystemPauses.Cause.TWIKIT_FORBIDDEN));
    HttpResponse<String> ready = get(port, "/health/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.body()).isEqualTo("PAUSED TWIKIT_FORBIDDEN\n");
    assertThat(get(port, "/health/live").statusCode()).isEqualTo(200);
    assertThat(get(port, "/metrics").body())
        .contains("order_enricher_pauses_total{cause=\"TWIKIT_FORBIDDEN\"} 1.0");
    long forbidden = it.sandbox().counters().requestsWithStatus(403);
    await("the 403s were retried")
        .atMost(LONG)
        .until(() -> it.sandbox().counters().requestsWithStatus(403) > forbidden);

    OutputReader reader = reader(run);
    reader.poll();
    assertThat(reader.records())
        .as("nothing dead-lettered, nothing emitted while paused")
        .isEmpty();

    it.sandbox().resetFaults();
    PipelineAssertions.awaitExactOutputs(reader, expected, run, LONG);
    assertThat(reader.records()).noneMatch(o -> o.role() == Role.DEAD_LETTER);
    await("resumed and ready")
        .atMost(LONG)
        .until(() -> get(port, "/health/ready").statusCode() == 200);
    assertThat(app.pauses().paused()).isFalse();
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
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
