package dev.twikitorders.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twikitorders.sandbox.api.Operation;
import dev.twikitorders.sandbox.counters.Counters;
import dev.twikitorders.sandbox.counters.ServiceTimes;
import dev.twikitorders.sandbox.faults.Faults;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server model over real HTTP: capacity (M/D/N queue) and rate limit (token bucket). */
class CapacityAndRateLimitTest extends DefaultSandboxTest {
  static final String SUMMARY = "/configurations/" + ID + "/summary";
  static final Duration WAIT = Duration.ofSeconds(30);

  @BeforeEach
  void reset() {
    sb.reset();
  }

  private static List<HttpResponse<String>> fire(SandboxHttp h, String t, int n) {
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      calls.add(h.getAsync(SUMMARY, t));
    }
    await().atMost(WAIT).until(() -> calls.stream().allMatch(CompletableFuture::isDone));
    return calls.stream().map(CompletableFuture::join).toList();
  }

  @Test
  void capacityServesAtMostNAtOnceAndQueuesTheRest() {
    sb.setLatency(Duration.ofMillis(500));
    sb.setCapacity(2);
    sb.resetCounters();

    List<HttpResponse<String>> answers = fire(http, token, 6);

    assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
    Counters c = sb.counters();
    assertThat(c.maxConcurrent()).isEqualTo(2);
    assertThat(c.maxQueued()).isGreaterThanOrEqualTo(1);
    assertThat(c.requests(Operation.SUMMARY, 200)).isEqualTo(6);
    assertThat(c.rateLimited()).isZero();
    assertThat(sb.inService()).isZero();
    assertThat(sb.queued()).isZero();
    // the service times count the wait for a slot: with 2 slots of 500 ms, 6 requests need 3 turns
    ServiceTimes times = sb.serviceTimes();
    assertThat(times.total()).isEqualTo(6);
    assertThat(times.percentileMs(0.0)).isGreaterThanOrEqualTo(500);
    assertThat(times.percentileMs(1.0)).isGreaterThanOrEqualTo(1000);
    sb.resetCounters();
    assertThat(sb.serviceTimes().total()).isZero();
  }

  @Test
  void serviceTimesOfAWindowAreTheDifferenceOfTwoSnapshots() {
    ServiceTimes before = new ServiceTimes(counts(10, 3));
    ServiceTimes after = new ServiceTimes(counts(10, 5, 400, 2));
    ServiceTimes window = after.since(before);
    assertThat(window.total()).isEqualTo(4);
    assertThat(window.percentileMs(0.5)).isEqualTo(2.75); // bucket 10: [2.5, 2.75) ms
    assertThat(window.percentileMs(0.99)).isEqualTo(100.25);
    assertThat(new ServiceTimes(new long[ServiceTimes.BUCKETS]).percentileMs(0.5)).isEqualTo(-1);
  }

  private static long[] counts(int... bucketAndCount) {
    long[] c = new long[ServiceTimes.BUCKETS];
    for (int i = 0; i < bucketAndCount.length; i += 2) {
      c[bucketAndCount[i]] = bucketAndCount[i + 1];
    }
    return c;
  }

  @Test
  void withoutCapacityAllAreInServiceTogether() {
    sb.setLatency(Duration.ofMillis(300));
    sb.resetCounters();
    assertThat(fire(http, token, 4)).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
    assertThat(sb.counters().maxQueued()).isZero();
    assertThat(sb.counters().maxConcurrent()).isBetween(1, 4);
  }

  @Test
  void changesAtRunTimeActOnWaitingRequestsAndResetRestoresTheConfig() {
    try (TwikitSandbox own =
        TwikitSandbox.start(
            SandboxConfig.builder()
                .latency(Duration.ofSeconds(60))
                .capacity(1)
                .rateLimit(1000)
                .build())) {
      SandboxHttp h = new SandboxHttp(own);
      String t = h.token();
      assertThat(own.faults().capacity()).isEqualTo(1);
      assertThat(own.faults().rateLimit()).isEqualTo(1000);
      for (int i = 0; i < 3; i++) {
        h.getAsync(SUMMARY, t);
      }
      await().atMost(WAIT).until(() -> own.inService() == 1 && own.queued() == 2);
      JsonNode shown = SandboxHttp.json(h.admin("GET", "faults", null));
      assertThat(shown.get("inService").asInt()).isEqualTo(1);
      assertThat(shown.get("queued").asInt()).isEqualTo(2);

      own.setCapacity(3);
      await().atMost(WAIT).until(() -> own.inService() == 3 && own.queued() == 0);
      assertThat(own.counters().maxConcurrent()).isEqualTo(3);
      assertThat(own.counters().maxQueued()).isEqualTo(2);

      own.setCapacity(1);
      h.getAsync(SUMMARY, t);
      await().atMost(WAIT).until(() -> own.queued() == 1);
      assertThat(own.inService()).as("a lowered capacity ends no service").isEqualTo(3);

      own.resetCounters();
      assertThat(own.counters().maxConcurrent()).as("still in service").isEqualTo(3);
      assertThat(own.counters().maxQueued()).isEqualTo(1);

      own.setRateLimit(3);
      own.resetFaults();
      assertThat(own.faults().capacity()).isEqualTo(1);
      assertThat(own.faults().rateLimit()).isEqualTo(1000);
      assertThat(own.queued()).isEqualTo(1);
      own.setCapacity(0);
      assertThat(own.queued()).as("unlimited grants the waiting request").isZero();
      assertThat(own.inService()).isEqualTo(4);
    }
  }

  @Test
  void aHungRequestFreesItsSlotAfterItsLatency() {
    sb.setLatency(Duration.ofMillis(50));
    sb.setCapacity(1);
    sb.hangNext(1);
    CompletableFuture<HttpResponse<String>> hanging =
        SandboxHttp.CLIENT.sendAsync(
            http.request(SUMMARY, token).timeout(Duration.ofMillis(300)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    await().atMost(WAIT).until(() -> sb.counters().requests(Operation.SUMMARY, 0) == 1);
    // the hung request is never answered (the server does not notice its client giving up), so
    // this one is only served because the hung one gave its slot back when its latency was over
    assertThat(http.get(SUMMARY, token).statusCode()).isEqualTo(200);
    assertThat(sb.inService()).isZero();
    await().atMost(WAIT).until(hanging::isDone);
    assertThat(hanging).isCompletedExceptionally();
  }

  @Test
  void rateLimitAnswers429WithRetryAfterAndCountsThem() {
    sb.setRateLimit(5); // burst max(1, 0.5) = 1
    sb.resetCounters();

    List<HttpResponse<String>> answers = fire(http, token, 20);

    List<HttpResponse<String>> limited =
        answers.stream().filter(r -> r.statusCode() == 429).toList();
    assertThat(answers)
        .allSatisfy(r -> assertThat(r.statusCode()).isIn(200, 429))
        .anySatisfy(r -> assertThat(r.statusCode()).as("the full bucket").isEqualTo(200));
    assertThat(limited).isNotEmpty();
    for (HttpResponse<String> r : limited) {
      assertThat(Long.parseLong(r.headers().firstValue("retry-after").orElseThrow()))
          .isGreaterThanOrEqualTo(1);
      assertThat(r.headers().firstValue("ratelimit-limit")).hasValue("5");
      assertThat(r.headers().firstValue("ratelimit-remaining")).hasValue("0");
      JsonNode body = SandboxHttp.json(r);
      assertThat(body.get("error").asText()).isEqualTo("rate_limited");
      assertThat(body.get("error_description").asText()).contains("5 requests per second");
    }
    Counters c = sb.counters();
    assertThat(c.rateLimited()).isEqualTo(limited.size());
    assertThat(c.requests(Operation.SUMMARY, 429)).isEqualTo(limited.size());
    assertThat(c.requests(Operation.SUMMARY, 200)).isEqualTo(20 - limited.size());
    JsonNode shown = SandboxHttp.json(http.admin("GET", "counters", null));
    assertThat(shown.get("rateLimited").asLong()).isEqualTo(limited.size());
    assertThat(sb.countersJson()).contains("\"rateLimited\":" + limited.size());
  }

  @Test
  void withoutRateLimitNothingIsLimited() {
    sb.setRateLimit(5);
    sb.setRateLimit(0);
    sb.resetCounters();
    assertThat(fire(http, token, 20)).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
    assertThat(sb.counters().rateLimited()).isZero();
  }

  @Test
  void aRateLimitedRequestTakesNeitherTokenNorSlot() {
    sb.setLatency(Duration.ofMillis(200));
    sb.setCapacity(1);
    sb.setRateLimit(0.001); // one token per 1000 s: only the first request gets one
    sb.resetCounters();

    List<HttpResponse<String>> answers = fire(http, token, 5);

    assertThat(answers.stream().filter(r -> r.statusCode() == 200)).hasSize(1);
    assertThat(answers.stream().filter(r -> r.statusCode() == 429))
        .hasSize(4)
        .allSatisfy(
            r -> {
              assertThat(Long.parseLong(r.headers().firstValue("retry-after").orElseThrow()))
                  .isGreaterThan(900);
              assertThat(r.headers().firstValue("ratelimit-limit")).hasValue("1");
            });
    Counters c = sb.counters();
    assertThat(c.rateLimited()).isEqualTo(4);
    assertThat(c.maxQueued()).as("refused requests never queue").isZero();
    assertThat(c.maxConcurrent()).isEqualTo(1);
  }

  @Test
  void statusIsNeverLimitedButTheSinkIs() {
    sb.setRateLimit(0.001);
    sb.resetCounters();
    for (int i = 0; i < 3; i++) {
      assertThat(http.get("/status", null).statusCode()).isEqualTo(200);
    }
    HttpRequest.Builder sink =
        HttpRequest.newBuilder(sb.sinkUrl("capacity"))
            .header("Authorization", "Bearer " + token)
            .header("Idempotency-Key", "k-1")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"lineId\":\"l-1\"}"));
    assertThat(SandboxHttp.send(sink.build()).statusCode()).isEqualTo(200);
    HttpResponse<String> second = SandboxHttp.send(sink.build());
    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(second.headers().firstValue("retry-after")).isPresent();
    Counters c = sb.counters();
    assertThat(c.rateLimited()).isEqualTo(1);
    assertThat(c.requests(Operation.SINK, 429)).isEqualTo(1);
    assertThat(c.sinkRequests()).isEqualTo(2);
    assertThat(sb.sink("capacity").total()).isEqualTo(1);
    assertThat(c.requests(Operation.STATUS, 200)).isEqualTo(3);
  }

  @Test
  void adminApiSetsShowsAndValidatesBoth() {
    HttpResponse<String> r = http.admin("POST", "faults", "{\"capacity\":3,\"rateLimit\":2.5}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(sb.faults().capacity()).isEqualTo(3);
    assertThat(sb.faults().rateLimit()).isEqualTo(2.5);
    JsonNode shown = SandboxHttp.json(http.admin("GET", "faults", null));
    assertThat(shown.get("capacity").asInt()).isEqualTo(3);
    assertThat(shown.get("rateLimit").asDouble()).isEqualTo(2.5);
    assertThat(shown.get("inService").asInt()).isZero();
    assertThat(shown.get("queued").asInt()).isZero();

    HttpResponse<String> negative = http.admin("POST", "faults", "{\"capacity\":-3}");
    assertThat(negative.statusCode()).isEqualTo(400);
    assertThat(SandboxHttp.json(negative).get("message").asText())
        .isEqualTo("capacity must be >= 0, got -3");
    HttpResponse<String> negativeRate = http.admin("POST", "faults", "{\"rateLimit\":-1}");
    assertThat(negativeRate.statusCode()).isEqualTo(400);
    assertThat(negativeRate.body()).contains("rateLimit must be >= 0");
    assertThat(http.admin("POST", "faults", "{\"capacity\":1.5}").body()).contains("capacity");
    assertThat(http.admin("POST", "faults", "{\"capacity\":\"4\"}").statusCode()).isEqualTo(400);
    assertThat(http.admin("POST", "faults", "{\"rateLimit\":\"fast\"}").body())
        .contains("rateLimit");
    assertThat(sb.faults().capacity()).as("refused changes change nothing").isEqualTo(3);

    JsonNode counters = SandboxHttp.json(http.admin("GET", "counters", null));
    assertThat(counters.has("rateLimited")).isTrue();
    assertThat(counters.has("maxConcurrent")).isTrue();
    assertThat(counters.has("maxQueued")).isTrue();

    assertThat(http.admin("DELETE", "faults", null).statusCode()).isEqualTo(200);
    assertThat(sb.faults().capacity()).isZero();
    assertThat(sb.faults().rateLimit()).isZero();
  }

  @Test
  void javaApiRefusesNegativeValues() {
    assertThatThrownBy(() -> sb.setCapacity(-3)).hasMessage("capacity must be >= 0, got -3");
    assertThatThrownBy(() -> sb.setRateLimit(-0.5)).hasMessageContaining("rateLimit must be >= 0");
    assertThatThrownBy(() -> SandboxConfig.builder().capacity(-2).build())
        .hasMessage("capacity must be >= 0, got -2");
    assertThatThrownBy(() -> SandboxConfig.builder().rateLimit(Double.NaN).build())
        .hasMessageContaining("rateLimit must be >= 0");
    assertThat(sb.faults()).isEqualTo(Faults.none());
  }
}
