package dev.twikitorders.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.twikitorders.sandbox.api.Operation;
import dev.twikitorders.sandbox.data.Json;
import dev.twikitorders.sandbox.faults.Faults;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultsTest extends DefaultSandboxTest {
  static final String SUMMARY = "/configurations/" + ID + "/summary";

  @BeforeEach
  void reset() {
    sb.reset();
  }

  @Test
  void failNextFailsExactlyNThenRecovers() {
    sb.failNext(2, 503);
    HttpResponse<String> first = http.get(SUMMARY, token);
    assertThat(first.statusCode()).isEqualTo(503);
    assertThat(first.headers().firstValue("retry-after")).hasValue("1");
    assertThat(http.get(SUMMARY, token).statusCode()).isEqualTo(503);
    assertThat(http.get(SUMMARY, token).statusCode()).isEqualTo(200);
    assertThat(sb.counters().requests(Operation.SUMMARY, 503)).isEqualTo(2);
    assertThat(sb.counters().requests(Operation.SUMMARY, 200)).isEqualTo(1);
  }

  @Test
  void failNextCanTargetOperationsAndSparesStatus() {
    sb.failNext(1, 500, Operation.UPDATE_MANY);
    assertThat(http.get("/status", null).statusCode()).isEqualTo(200);
    assertThat(http.get(SUMMARY, token).statusCode()).isEqualTo(200);
    assertThat(http.post("/configurations", token, "{\"configurations\":[]}").statusCode())
        .isEqualTo(500);
    assertThat(http.post("/configurations", token, "{\"configurations\":[]}").statusCode())
        .isEqualTo(200);
    assertThat(sb.counters().updates()).as("a failed update is not processed").hasSize(1);
  }

  @Test
  void rateLimitCarriesConfiguredRetryAfter() {
    sb.updateFaults(f -> f.errorRate(429, 1.0).retryAfter(Duration.ofSeconds(7)));
    HttpResponse<String> r = http.get(SUMMARY, token);
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("retry-after")).hasValue("7");
    assertThat(Json.parse(r.body()).get("error").asText()).isEqualTo("rate_limited");
  }

  @Test
  void errorRatesApplyOnlyToFilteredOperations() {
    sb.faults(Faults.builder().errorRate(500, 1.0).operations(Operation.FILTERED).build());
    assertThat(http.get(SUMMARY, token).statusCode()).isEqualTo(200);
    assertThat(http.get("/configurations/" + ID + "/filtered", token).statusCode()).isEqualTo(500);
  }

  @Test
  void malformedJsonIsServedWith200() {
    sb.updateFaults(f -> f.malformedRate(1.0));
    HttpResponse<String> r = http.get(SUMMARY, token);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> Json.parse(r.body())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tokenOutageDoesNotAffectTheApi() {
    sb.tokenOutage(true);
    assertThat(http.get(SUMMARY, token).statusCode()).isEqualTo(200);
    assertThat(
            http.tokenRequest("grant_type=client_credentials", "demo", "demo-secret").statusCode())
        .isEqualTo(503);
  }

  @Test
  void hangNextNeverAnswersUntilTheClientGivesUp() {
    sb.hangNext(1, Operation.SUMMARY);
    CompletableFuture<HttpResponse<String>> hanging =
        SandboxHttp.CLIENT.sendAsync(
            http.request(SUMMARY, token).timeout(Duration.ofMillis(300)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(20)).until(hanging::isDone);
    assertThat(hanging).isCompletedExceptionally();
    assertThat(sb.counters().requests(Operation.SUMMARY, 0)).isEqualTo(1);
    assertThat(http.get(SUMMARY, token).statusCode()).isEqualTo(200);
  }

  @Test
  void hangForAnswersLater() {
    sb.updateFaults(f -> f.hangFor(Duration.ofMillis(50)));
    sb.hangNext(1);
    assertThat(http.get(SUMMARY, token).statusCode()).isEqualTo(200);
    assertThat(sb.counters().requests(Operation.SUMMARY, 0)).isZero();
  }

  @Test
  void latencyWaitsOnTimersNotThreads() {
    // One event loop, one worker: if a waiting request held a thread, 200 requests delayed by
    // 500 ms each would take 100 s; on timers they all wait concurrently.
    try (TwikitSandbox small =
        TwikitSandbox.start(
            SandboxConfig.builder().eventLoops(1).latency(Duration.ofMillis(500)).build())) {
      SandboxHttp h = new SandboxHttp(small);
      String t = h.token();
      assertThat(small.faults().latency()).isEqualTo(Duration.ofMillis(500));
      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        calls.add(h.getAsync("/configurations/" + ID + "/compatibility", t));
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> calls.stream().allMatch(CompletableFuture::isDone));
      assertThat(calls).allSatisfy(c -> assertThat(c.join().statusCode()).isEqualTo(200));
      assertThat(small.counters().requests(Operation.COMPATIBILITY, 200)).isEqualTo(200);
    }
  }

  @Test
  void resetRestoresStartUpFaults() {
    sb.setLatency(Duration.ofMillis(5), Duration.ofMillis(5));
    sb.failNext(3, 502);
    sb.reset();
    assertThat(sb.faults()).isEqualTo(Faults.none());
    assertThat(http.get(SUMMARY, token).statusCode()).isEqualTo(200);
  }

  @Test
  void invalidFaultsAreRejected() {
    assertThatThrownBy(() -> Faults.builder().errorRate(500, 0.7).errorRate(503, 0.7).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Faults.builder().hangRate(2).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sb.failNext(1, 200)).isInstanceOf(IllegalArgumentException.class);
  }
}
