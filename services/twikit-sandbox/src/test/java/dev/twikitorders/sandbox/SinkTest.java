package dev.twikitorders.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twikitorders.sandbox.api.Operation;
import dev.twikitorders.sandbox.cli.SandboxCommand;
import dev.twikitorders.sandbox.counters.Counters;
import dev.twikitorders.sandbox.sink.SinkItem;
import dev.twikitorders.sandbox.sink.SinkRecording;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The delivery sink over real HTTP: wire format, recording, auth, faults, reject rules, admin. */
class SinkTest {
  static final String API_KEY = "sink-ap1-k3y";
  static final String HEADER = "X-Tenant-Key";
  static final String HEADER_VALUE = "sink-h3ader-v4lue";

  TwikitSandbox sb;
  SandboxHttp http;

  @BeforeEach
  void start() {
    sb =
        TwikitSandbox.start(
            SandboxConfig.builder()
                .eventLoops(2)
                .apiKey(API_KEY)
                .staticHeader(HEADER, HEADER_VALUE)
                .build());
    http = new SandboxHttp(sb);
  }

  @AfterEach
  void stop() {
    sb.close();
  }

  static String record(String lineId, String orderId) {
    return "{\"lineId\":\"" + lineId + "\",\"orderId\":\"" + orderId + "\",\"qty\":2}";
  }

  static String batch(String... keyAndRecord) {
    StringBuilder b = new StringBuilder("{\"records\":[");
    for (int i = 0; i < keyAndRecord.length; i += 2) {
      if (i > 0) {
        b.append(',');
      }
      b.append("{\"idempotencyKey\":\"")
          .append(keyAndRecord[i])
          .append("\",\"record\":")
          .append(keyAndRecord[i + 1])
          .append('}');
    }
    return b.append("]}").toString();
  }

  HttpRequest.Builder sinkRequest(URI url, String key, String body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header("Idempotency-Key", key);
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    return b;
  }

  /** POSTs to the default sink with the API key. */
  HttpResponse<String> deliver(String key, String body) {
    return deliver(sb.sinkUrl(), key, body);
  }

  HttpResponse<String> deliver(URI url, String key, String body) {
    return SandboxHttp.send(
        sinkRequest(url, key, body, "Authorization", "Bearer " + API_KEY).build());
  }

  @Test
  void singleAndBatchDeliveriesAreRecordedInArrivalOrder() {
    HttpResponse<String> one = deliver("k1", record("L1", "O1"));
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(SandboxHttp.json(one).get("accepted").asInt()).isEqualTo(1);
    assertThat(SandboxHttp.json(one).get("duplicates").asInt()).isZero();
    HttpResponse<String> two =
        deliver("b1", batch("k2", record("L2", "O1"), "k3", record("L3", "O2")));
    assertThat(two.statusCode()).isEqualTo(200);
    assertThat(SandboxHttp.json(two).get("accepted").asInt()).isEqualTo(2);
    assertThat(deliver(sb.sinkUrl("erp"), "e1", record("L9", "O9")).statusCode()).isEqualTo(200);

    SinkRecording r = sb.sink("default");
    assertThat(r.keys()).containsExactly("k1", "k2", "k3");
    assertThat(r.items()).extracting(SinkItem::sequence).containsExactly(0L, 1L, 2L);
    assertThat(r.items()).extracting(SinkItem::sink).containsOnly("default");
    assertThat(r.items()).extracting(SinkItem::batchKey).containsExactly(null, "b1", "b1");
    assertThat(r.items()).extracting(SinkItem::duplicate).containsOnly(false);
    assertThat(r.items().get(0).record()).isEqualTo(record("L1", "O1"));
    assertThat(r.items().get(2).record()).isEqualTo(record("L3", "O2"));
    assertThat(r.items()).allSatisfy(i -> assertThat(i.receivedAt()).isNotNull());
    assertThat(r.total()).isEqualTo(3);
    assertThat(r.distinctKeys()).isEqualTo(3);
    assertThat(r.truncated()).isFalse();

    SinkRecording erp = sb.sink("erp");
    assertThat(erp.keys()).containsExactly("e1");
    assertThat(erp.items().get(0).sink()).isEqualTo("erp");
    assertThat(sb.sink("never-used").total()).isZero();

    Counters c = sb.counters();
    assertThat(c.sinkRequests()).isEqualTo(3);
    assertThat(c.sinkItemsAccepted()).isEqualTo(4);
    assertThat(c.requests(Operation.SINK, 200)).isEqualTo(3);
  }

  @Test
  void duplicatesAreCountedAndStillAccepted() {
    assertThat(deliver("k1", record("L1", "O1")).statusCode()).isEqualTo(200);
    HttpResponse<String> again = deliver("k1", record("L1", "O1"));
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(SandboxHttp.json(again).get("duplicates").asInt()).isEqualTo(1);
    HttpResponse<String> b =
        deliver(
            "b1",
            batch("k1", record("L1", "O1"), "k4", record("L4", "O1"), "k4", record("L4", "O1")));
    assertThat(b.statusCode()).isEqualTo(200);
    assertThat(SandboxHttp.json(b).get("accepted").asInt()).isEqualTo(3);
    assertThat(SandboxHttp.json(b).get("duplicates").asInt()).isEqualTo(2);

    SinkRecording r = sb.sink("default");
    assertThat(r.total()).isEqualTo(5);
    assertThat(r.distinctKeys()).isEqualTo(2);
    assertThat(r.duplicates()).isEqualTo(3);
    assertThat(r.countByKey()).containsExactly(Map.entry("k1", 3L), Map.entry("k4", 2L));
    assertThat(r.items())
        .extracting(SinkItem::duplicate)
        .containsExactly(false, true, true, false, true);
    assertThat(sb.counters().sinkDuplicates()).isEqualTo(3);
    assertThat(sb.counters().sinkItemsAccepted()).isEqualTo(5);
  }

  @Test
  void malformedDeliveriesAre400AndRecordNothing() {
    HttpResponse<String> noKey = deliver(null, record("L1", "O1"));
    assertThat(noKey.statusCode()).isEqualTo(400);
    assertThat(SandboxHttp.json(noKey).get("error").asText()).isEqualTo("invalid_request");
    assertThat(SandboxHttp.json(noKey).get("error_description").asText())
        .contains("Idempotency-Key");
    HttpResponse<String> itemWithoutKey =
        deliver(
            "b1",
            "{\"records\":[{\"idempotencyKey\":\"k1\",\"record\":{}},{\"record\":{\"a\":1}}]}");
    assertThat(itemWithoutKey.statusCode()).isEqualTo(400);
    assertThat(SandboxHttp.json(itemWithoutKey).get("error_description").asText())
        .contains("records[1]");
    assertThat(deliver("k1", "not json").statusCode()).isEqualTo(400);
    assertThat(deliver("k1", "[1,2]").statusCode()).isEqualTo(400);
    assertThat(
            deliver("k1", "{\"records\":[{\"idempotencyKey\":\"k1\",\"record\":5}]}").statusCode())
        .isEqualTo(400);
    // a batch needs no batch key
    assertThat(deliver(null, batch("k7", record("L7", "O7"))).statusCode()).isEqualTo(200);
    assertThat(sb.sink("default").keys()).containsExactly("k7");
    assertThat(sb.counters().requests(Operation.SINK, 400)).isEqualTo(5);
    // not a sink name, not a POST
    assertThat(deliver(URI.create(sb.sinkUrl() + "/a/b"), "k", "{}").statusCode()).isEqualTo(404);
    HttpResponse<String> get = SandboxHttp.send(HttpRequest.newBuilder(sb.sinkUrl()).GET().build());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
  }

  @Test
  void everyApiCredentialIsAcceptedAndNothingElse() {
    String body = record("L1", "O1");
    URI url = sb.sinkUrl();
    HttpResponse<String> none = SandboxHttp.send(sinkRequest(url, "n1", body).build());
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));
    assertThat(
            SandboxHttp.send(
                    sinkRequest(url, "n2", body, "Authorization", "Bearer x" + API_KEY).build())
                .statusCode())
        .isEqualTo(401);
    assertThat(
            SandboxHttp.send(sinkRequest(url, "n3", body, HEADER, "x" + HEADER_VALUE).build())
                .statusCode())
        .isEqualTo(401);
    assertThat(
            SandboxHttp.send(
                    sinkRequest(
                            url,
                            "n4",
                            body,
                            "Authorization",
                            "Bearer " + sb.mintToken(Duration.ZERO, "configurations.write"))
                        .build())
                .statusCode())
        .isEqualTo(401);

    assertThat(
            SandboxHttp.send(
                    sinkRequest(url, "jwt", body, "Authorization", "Bearer " + http.token())
                        .build())
                .statusCode())
        .isEqualTo(200);
    // a JWT needs no particular scope
    assertThat(
            SandboxHttp.send(
                    sinkRequest(
                            url,
                            "jwt-no-scope",
                            body,
                            "Authorization",
                            "Bearer " + sb.mintToken(Duration.ofMinutes(5)))
                        .build())
                .statusCode())
        .isEqualTo(200);
    assertThat(deliver("api-key", body).statusCode()).isEqualTo(200);
    assertThat(
            SandboxHttp.send(sinkRequest(url, "headers", body, HEADER, HEADER_VALUE).build())
                .statusCode())
        .isEqualTo(200);

    assertThat(sb.sink("default").keys())
        .containsExactly("jwt", "jwt-no-scope", "api-key", "headers");
    assertThat(sb.counters().requests(Operation.SINK, 401)).isEqualTo(4);
    assertThat(sb.counters().distinctTokensSeen()).isEqualTo(2);
  }

  @Test
  void failNextOnTheSinkAnswers503And429WithRetryAfter() {
    String token = http.token();
    sb.failNext(1, 503, Operation.SINK);
    // the API is not affected by a sink fault
    assertThat(http.get("/configurations/5f0c1a0e-8a3b-4c1e-9d2f-0a1b2c3d4e5f", token).statusCode())
        .isEqualTo(200);
    HttpResponse<String> unavailable = deliver("k1", record("L1", "O1"));
    assertThat(unavailable.statusCode()).isEqualTo(503);
    assertThat(unavailable.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(sb.sink("default").total()).isZero();
    assertThat(deliver("k1", record("L1", "O1")).statusCode()).isEqualTo(200);

    sb.updateFaults(f -> f.retryAfter(Duration.ofSeconds(7)));
    sb.failNext(2, 429, Operation.SINK);
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> limited = deliver("k2", record("L2", "O1"));
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(limited.headers().firstValue("Retry-After")).hasValue("7");
      assertThat(SandboxHttp.json(limited).get("error").asText()).isEqualTo("rate_limited");
    }
    assertThat(deliver("k2", record("L2", "O1")).statusCode()).isEqualTo(200);
    assertThat(sb.sink("default").keys()).containsExactly("k1", "k2");
    Counters c = sb.counters();
    assertThat(c.requests(Operation.SINK, 503)).isEqualTo(1);
    assertThat(c.requests(Operation.SINK, 429)).isEqualTo(2);
    assertThat(c.sinkRequests()).isEqualTo(5);
  }

  @Test
  void hangNextOnTheSinkDelaysThenServes() {
    sb.updateFaults(f -> f.hangFor(Duration.ofMillis(50)));
    sb.hangNext(1, Operation.SINK);
    assertThat(deliver("k1", record("L1", "O1")).statusCode()).isEqualTo(200);
    JsonNode faults = SandboxHttp.json(http.admin("GET", "faults", null));
    assertThat(faults.get("hangNextRemaining").asInt()).isZero();
    assertThat(sb.sink("default").keys()).containsExactly("k1");
  }

  @Test
  void theSandboxLatencyAppliesToTheSink() {
    sb.setLatency(Duration.ofMinutes(10));
    HttpRequest slow =
        sinkRequest(sb.sinkUrl(), "late", record("L1", "O1"), "Authorization", "Bearer " + API_KEY)
            .timeout(Duration.ofSeconds(1))
            .build();
    assertThatThrownBy(
            () -> SandboxHttp.CLIENT.sendAsync(slow, HttpResponse.BodyHandlers.ofString()).join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(HttpTimeoutException.class);
    assertThat(sb.sink("default").total()).isZero();
    assertThat(sb.counters().sinkRequests()).isZero();
    sb.setLatency(Duration.ZERO);
    assertThat(deliver("on-time", record("L2", "O1")).statusCode()).isEqualTo(200);
    assertThat(sb.sink("default").keys()).containsExactly("on-time");
  }

  @Test
  void rejectRulesRefuseItemsAndWholeBatches() {
    sb.rejectSinkKeys("default", "bad-key");
    HttpResponse<String> single = deliver("bad-key", record("L1", "O1"));
    assertThat(single.statusCode()).isEqualTo(400);
    assertThat(SandboxHttp.json(single).get("error").asText()).isEqualTo("invalid_record");
    assertThat(SandboxHttp.json(single).get("rejected").get(0).asText()).isEqualTo("bad-key");

    // by field, through the admin API
    HttpResponse<String> rule =
        http.admin("POST", "sink/default/reject", "{\"field\":\"lineId\",\"equals\":\"L-poison\"}");
    assertThat(rule.statusCode()).isEqualTo(200);
    assertThat(SandboxHttp.json(rule).get("idempotencyKeys").get(0).asText()).isEqualTo("bad-key");
    assertThat(SandboxHttp.json(rule).get("fields").get(0).get("field").asText())
        .isEqualTo("lineId");
    assertThat(deliver("k9", record("L-poison", "O1")).statusCode()).isEqualTo(400);

    HttpResponse<String> b =
        deliver(
            "b1",
            batch(
                "k1",
                record("L1", "O1"),
                "k2",
                record("L-poison", "O1"),
                "bad-key",
                record("L3", "O2")));
    assertThat(b.statusCode()).isEqualTo(400);
    JsonNode rejected = SandboxHttp.json(b).get("rejected");
    assertThat(List.of(rejected.get(0).asText(), rejected.get(1).asText()))
        .containsExactly("k2", "bad-key");
    assertThat(rejected.size()).isEqualTo(2);
    assertThat(sb.sink("default").total()).isZero();

    HttpResponse<String> good = deliver("b2", batch("k1", record("L1", "O1")));
    assertThat(good.statusCode()).isEqualTo(200);
    assertThat(sb.sink("default").keys()).containsExactly("k1");
    // another sink has its own rule
    assertThat(deliver(sb.sinkUrl("other"), "bad-key", record("L1", "O1")).statusCode())
        .isEqualTo(200);

    assertThat(http.admin("DELETE", "sink/default/reject", null).statusCode()).isEqualTo(200);
    assertThat(deliver("bad-key", record("L-poison", "O1")).statusCode()).isEqualTo(200);
    assertThat(sb.counters().sinkRejected()).isEqualTo(4);
    assertThat(http.admin("POST", "sink/default/reject", "{}").statusCode()).isEqualTo(400);
    sb.rejectSinkField("default", "qty", "2");
    assertThat(deliver("k5", record("L5", "O1")).statusCode()).isEqualTo(400);
    sb.clearSinkRejects("default");
    assertThat(deliver("k5", record("L5", "O1")).statusCode()).isEqualTo(200);
  }

  @Test
  void adminListsWithFromAndLimitAndClears() {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      assertThat(deliver("k" + i, record("L" + i, "O1")).statusCode()).isEqualTo(200);
      expected.add("k" + i);
    }
    assertThat(deliver("k0", record("L0", "O1")).statusCode()).isEqualTo(200);
    JsonNode all = SandboxHttp.json(http.admin("GET", "sink/default", null));
    assertThat(all.get("total").asLong()).isEqualTo(6);
    assertThat(all.get("distinctKeys").asLong()).isEqualTo(5);
    assertThat(all.get("duplicates").asLong()).isEqualTo(1);
    assertThat(all.get("dropped").asLong()).isZero();
    assertThat(all.get("items").size()).isEqualTo(6);
    JsonNode first = all.get("items").get(0);
    assertThat(first.get("sequence").asLong()).isZero();
    assertThat(first.get("sink").asText()).isEqualTo("default");
    assertThat(first.get("idempotencyKey").asText()).isEqualTo("k0");
    assertThat(first.get("record").get("lineId").asText()).isEqualTo("L0");
    assertThat(first.get("receivedAt").asText()).isNotBlank();
    assertThat(first.get("duplicate").asBoolean()).isFalse();
    assertThat(all.get("items").get(5).get("duplicate").asBoolean()).isTrue();

    JsonNode page = SandboxHttp.json(http.admin("GET", "sink/default?from=2&limit=2", null));
    assertThat(page.get("items").size()).isEqualTo(2);
    assertThat(page.get("items").get(0).get("idempotencyKey").asText()).isEqualTo(expected.get(2));
    assertThat(page.get("items").get(1).get("sequence").asLong()).isEqualTo(3);
    assertThat(page.get("total").asLong()).isEqualTo(6);
    assertThat(http.admin("GET", "sink/default?from=-1", null).statusCode()).isEqualTo(400);
    assertThat(http.admin("GET", "sink/default?limit=x", null).statusCode()).isEqualTo(400);
    assertThat(http.admin("GET", "sink/bad%20name", null).statusCode()).isEqualTo(400);
    assertThat(SandboxHttp.json(http.admin("GET", "sink", null)).get("sinks").get(0).asText())
        .isEqualTo("default");

    JsonNode counters = SandboxHttp.json(http.admin("GET", "counters", null));
    assertThat(counters.get("sinkRequests").asLong()).isEqualTo(6);
    assertThat(counters.get("sinkItemsAccepted").asLong()).isEqualTo(6);
    assertThat(counters.get("sinkDuplicates").asLong()).isEqualTo(1);
    assertThat(counters.get("sinkRejected").asLong()).isZero();
    assertThat(counters.get("requests").get("sink").get("200").asLong()).isEqualTo(6);

    assertThat(http.admin("DELETE", "sink/default", null).statusCode()).isEqualTo(200);
    JsonNode cleared = SandboxHttp.json(http.admin("GET", "sink/default", null));
    assertThat(cleared.get("total").asLong()).isZero();
    assertThat(cleared.get("items").size()).isZero();
    assertThat(deliver("k0", record("L0", "O1")).statusCode()).isEqualTo(200);
    assertThat(sb.sink("default").items().get(0).duplicate()).isFalse();
    sb.clearSink("default");
    assertThat(sb.sink("default").total()).isZero();
  }

  @Test
  void beyondMaxItemsTheOldestAreDroppedButCounted() {
    try (TwikitSandbox small =
        TwikitSandbox.start(SandboxConfig.builder().sinkMaxItems(3).apiKey(API_KEY).build())) {
      for (int i = 0; i < 5; i++) {
        assertThat(deliver(small.sinkUrl(), "k" + i, record("L" + i, "O1")).statusCode())
            .isEqualTo(200);
      }
      SinkRecording r = small.sink("default");
      assertThat(r.total()).isEqualTo(5);
      assertThat(r.dropped()).isEqualTo(2);
      assertThat(r.truncated()).isTrue();
      assertThat(r.keys()).containsExactly("k2", "k3", "k4");
      assertThat(r.items()).extracting(SinkItem::sequence).containsExactly(2L, 3L, 4L);
      assertThat(r.countByKey()).hasSize(5);
      assertThat(r.distinctKeys()).isEqualTo(5);
      SandboxHttp h = new SandboxHttp(small);
      JsonNode page = SandboxHttp.json(h.admin("GET", "sink/default?from=3", null));
      assertThat(page.get("dropped").asLong()).isEqualTo(2);
      assertThat(page.get("items").get(0).get("sequence").asLong()).isEqualTo(3);
    }
  }

  @Test
  void sinkMaxItemsFlagIsParsedAndChecked() {
    SandboxCommand cmd = new SandboxCommand();
    new CommandLine(cmd).parseArgs("--port", "0", "--sink-max-items", "7");
    assertThat(cmd.config().sinkMaxItems()).isEqualTo(7);
    SandboxCommand dflt = new SandboxCommand();
    new CommandLine(dflt).parseArgs("--port", "0");
    assertThat(dflt.config().sinkMaxItems()).isEqualTo(SandboxConfig.DEFAULT_SINK_MAX_ITEMS);
    assertThat(dflt.config().toString()).contains("sinkMaxItems=1000000");

    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new SandboxCommand())
            .setErr(new PrintWriter(err))
            .execute("--port", "0", "--sink-max-items", "0");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("sinkMaxItems");
  }

  @Test
  void configAndUrlsNeverShowCredentials() {
    assertThat(sb.toString()).doesNotContain(API_KEY).doesNotContain(HEADER_VALUE);
    assertThat(sb.sinkUrl().getPath()).isEqualTo("/sink");
    assertThat(sb.sinkUrl("erp").getPath()).isEqualTo("/sink/erp");
    assertThatThrownBy(() -> sb.sinkUrl("a/b")).isInstanceOf(IllegalArgumentException.class);
  }
}
