package dev.twikitorders.enricher.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.ops.Verdict;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The health decisions for every Kafka Streams state, and them on the endpoint over real HTTP (the
 * serving itself: OpsServerTest in services/ops).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // a guard against a hang, not a timing assertion
class MetricsServerTest {

  /** Per state: /health/live, /health/ready not paused, /health/ready paused. */
  private static final Map<State, List<Integer>> EXPECTED =
      Map.of(
          State.CREATED, List.of(200, 503, 503),
          State.REBALANCING, List.of(200, 503, 503),
          State.RUNNING, List.of(200, 200, 503),
          State.PENDING_SHUTDOWN, List.of(503, 503, 503),
          State.NOT_RUNNING, List.of(503, 503, 503),
          State.PENDING_ERROR, List.of(503, 503, 503),
          State.ERROR, List.of(503, 503, 503));

  @ParameterizedTest
  @EnumSource(State.class)
  void everyStateHasItsLivenessAndReadiness(State state) {
    assertThat(EXPECTED).as("expected statuses for %s", state).containsKey(state);
    List<Integer> expected = EXPECTED.get(state);

    Verdict live = MetricsServer.live(state, List.of("RUNNING", "RUNNING"));
    Verdict ready = MetricsServer.ready(state, false);
    Verdict paused = MetricsServer.ready(state, true);

    assertThat(live.status()).isEqualTo(expected.get(0));
    assertThat(ready.status()).isEqualTo(expected.get(1));
    assertThat(paused.status()).isEqualTo(expected.get(2));
    assertThat(live.body()).isEqualTo(state.name() + "\n");
    assertThat(ready.body()).isEqualTo(state.name() + "\n");
    assertThat(paused.body())
        .isEqualTo(state.isRunningOrRebalancing() ? "PAUSED\n" : state.name() + "\n");
  }

  @Test
  void aDeadStreamThreadIsNotLive() {
    assertThat(MetricsServer.live(State.RUNNING, List.of("RUNNING", "DEAD")))
        .isEqualTo(new Verdict(false, "STREAM_THREAD_DEAD\n"));
    assertThat(MetricsServer.live(State.REBALANCING, List.of("DEAD")).status()).isEqualTo(503);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "CREATED",
        "STARTING",
        "PARTITIONS_REVOKED",
        "PARTITIONS_ASSIGNED",
        "RUNNING",
        "PENDING_SHUTDOWN"
      })
  void aThreadThatIsNotDeadKeepsTheClientLive(String threadState) {
    assertThat(MetricsServer.live(State.RUNNING, List.of("RUNNING", threadState)))
        .isEqualTo(new Verdict(true, "RUNNING\n"));
  }

  @Test
  void noReportedThreadIsNoDeadThread() {
    assertThat(MetricsServer.live(State.RUNNING, List.of()).status()).isEqualTo(200);
  }

  /** A health source whose answers the test sets. */
  private static final class StubHealth implements MetricsServer.HealthSource {
    volatile State state = State.RUNNING;
    volatile boolean paused;
    volatile List<String> threadStates = List.of("RUNNING");

    @Override
    public State state() {
      return state;
    }

    @Override
    public boolean paused() {
      return paused;
    }

    @Override
    public List<String> threadStates() {
      return threadStates;
    }
  }

  private final StubHealth health = new StubHealth();
  private PrometheusMeterRegistry registry;
  private MetricsServer server;
  private HttpClient http;

  @BeforeEach
  void start() {
    registry = MetricsServer.registry();
    Counter.builder("test.requests").register(registry).increment(3);
    server =
        MetricsServer.serve(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), registry, health);
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterEach
  void stop() {
    http.close();
    server.close();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send("GET", path);
  }

  @Test
  void servesHealthAndMetricsWhenRunning() throws Exception {
    for (String path : List.of("/health/live", "/health/ready", "/health")) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.body()).as(path).isEqualTo("RUNNING\n");
      assertThat(r.headers().firstValue("Content-Type"))
          .as(path)
          .hasValue("text/plain; charset=utf-8");
    }
    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(metrics.body()).contains("test_requests_total 3.0");
  }

  @Test
  void readinessFollowsPauseAndRebalanceWhileLivenessHolds() throws Exception {
    health.paused = true;
    assertThat(get("/health/ready").statusCode()).isEqualTo(503);
    assertThat(get("/health/ready").body()).isEqualTo("PAUSED\n");
    assertThat(get("/health").statusCode()).isEqualTo(503);
    assertThat(get("/health/live").statusCode()).isEqualTo(200);

    health.paused = false;
    health.state = State.REBALANCING;
    assertThat(get("/health/ready").statusCode()).isEqualTo(503);
    assertThat(get("/health").body()).isEqualTo("REBALANCING\n");
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  void livenessFailsOnErrorAndOnADeadThread() throws Exception {
    health.state = State.ERROR;
    HttpResponse<String> error = get("/health/live");
    assertThat(error.statusCode()).isEqualTo(503);
    assertThat(error.body()).isEqualTo("ERROR\n");
    assertThat(get("/health/ready").statusCode()).isEqualTo(503);

    health.state = State.RUNNING;
    health.threadStates = List.of("RUNNING", "DEAD");
    HttpResponse<String> dead = get("/health/live");
    assertThat(dead.statusCode()).isEqualTo(503);
    assertThat(dead.body()).isEqualTo("STREAM_THREAD_DEAD\n");
  }

  @Test
  void closeStopsServing() throws Exception {
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    server.close();
    assertThatThrownBy(() -> get("/health/live")).isInstanceOf(IOException.class);
  }
}
