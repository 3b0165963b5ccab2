package dev.twikitorders.delivery.it;

import static dev.twikitorders.delivery.Records.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twikitorders.delivery.it.DeliveryProcess.Finished;
import dev.twikitorders.delivery.it.DeliveryStack.Produced;
import dev.twikitorders.delivery.it.DeliveryStack.Run;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.sandbox.sink.SinkRecording;
import dev.twikitorders.schemas.DeadLetter;
import dev.twikitorders.schemas.ErrorType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the endpoint refuses goes to the dead-letter topic and comes back by re-drive: the packaged
 * {@code delivery.jar} ({@code deliver}, {@code dlq list}, {@code dlq redrive} as child processes,
 * with {@code LOG_LEVEL=DEBUG} and the API key in a file) against the sandbox's sink refusing one
 * idempotency key with 400. The record lands in {@code <topic>.delivery-dlq} with its status, the
 * answer's excerpt, its key and its original value; everything else (also the same order's later
 * lines) is delivered; {@code dlq list} shows it; once the sink accepts it, {@code dlq redrive}
 * delivers it under the same key. The API key never appears in any child's output.
 *
 * <p>Child output goes to {@code target/it-logs/}; every child is killed in {@link #stopAll()}.
 */
class DeliveryDeadLetterIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String API_KEY = "dlq-api-key-SECRET-4e8b7d";

  private static DeliveryStack stack;
  private static TwikitSandbox sb;

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    stack = DeliveryStack.start(b -> b.apiKey(API_KEY));
    sb = stack.sandbox();
  }

  @AfterAll
  static void stopAll() {
    DeliveryProcess.killAll();
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aRefusedRecordIsDeadLetteredListedAndRedrivenUnderItsKey() throws IOException {
    Run run = stack.newRun("dlq-rejected");
    String refused = key("order-3", 1);
    sb.rejectSinkKeys(run.sink(), refused);
    List<Produced> produced = stack.produce(run, 6, 4);
    Produced refusedRecord =
        produced.stream().filter(p -> p.key().equals(refused)).findFirst().orElseThrow();
    Path keyFile = tmp.resolve("api-key");
    Files.writeString(keyFile, API_KEY + "\n");
    Map<String, String> extra = new HashMap<>();
    extra.put("DELIVERY_AUTH_SCHEME", "api_key");
    extra.put("DELIVERY_API_KEY_FILE", keyFile.toString());
    extra.put("DELIVERY_BATCH_MAX_RECORDS", "3");
    extra.put("LOG_LEVEL", "DEBUG");
    extra.put("LOG_FORMAT", "json");
    Map<String, String> env = stack.environment(run, extra);

    DeliveryProcess deliver = DeliveryProcess.deliver(run.name() + "-deliver", env);
    await("all but the refused record delivered")
        .atMost(DeliveryProcess.LONG)
        .until(() -> sb.sink(run.sink()).distinctKeys() == produced.size() - 1);
    await("one dead letter")
        .atMost(DeliveryProcess.LONG)
        .until(() -> stack.deadLetters(run).size() == 1);
    await("the group's offsets at the end")
        .atMost(DeliveryProcess.LONG)
        .until(() -> stack.committed(run).equals(stack.endOffsets(run.topic())));
    assertThat(deliver.stop()).isEqualTo(143);

    DeadLetter d = stack.deadLetters(run).get(0);
    assertThat(d.getErrorType()).isEqualTo(ErrorType.DELIVERY_REJECTED);
    assertThat(d.getHttpStatus()).isEqualTo(400);
    assertThat(d.getResponseExcerpt()).contains("invalid_record").doesNotContain(API_KEY);
    assertThat(d.getIdempotencyKey()).isEqualTo(refused);
    assertThat(d.getOrderId()).isEqualTo("order-3");
    assertThat(d.getLineId()).isEqualTo("line-1");
    assertThat(d.getSourceTopic()).isEqualTo(run.topic());
    assertThat(d.getSourcePartition()).isEqualTo(refusedRecord.partition());
    assertThat(d.getSourceOffset()).isEqualTo(refusedRecord.offset());
    assertThat(stack.readSummary(run.topic(), bytes(d.getValue())))
        .as("the original value")
        .isEqualTo(dev.twikitorders.delivery.Records.summary("order-3", 1));
    assertThat(new String(bytes(d.getKey()), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("order-3");

    SinkRecording sink = sb.sink(run.sink());
    assertThat(sink.countByKey()).doesNotContainKey(refused);
    Map<String, List<String>> arrived = DeliveryStack.firstArrivalsByOrder(sink.items());
    DeliveryStack.keysByOrder(produced)
        .forEach(
            (order, keys) ->
                assertThat(arrived.get(order))
                    .as("the rest of %s, in order", order)
                    .containsExactlyElementsOf(
                        keys.stream().filter(k -> !k.equals(refused)).toList()));
    assertThat(sink.countByKey()).containsKeys(key("order-3", 2), key("order-3", 3));

    Finished list = DeliveryProcess.run(run.name() + "-list", env, "dlq", "list");
    assertThat(list.exitCode()).as(list.all()).isZero();
    assertThat(list.out())
        .contains("DELIVERY_REJECTED", "order-3", "line-1", "1 dead letters listed")
        .contains(run.topic() + "/" + refusedRecord.partition() + "/" + refusedRecord.offset());
    Finished listJson =
        DeliveryProcess.run(run.name() + "-list-json", env, "dlq", "list", "--json");
    assertThat(listJson.exitCode()).as(listJson.all()).isZero();
    JsonNode doc = JSON.readTree(listJson.out());
    assertThat(doc.get("listed").asInt()).isEqualTo(1);
    JsonNode letter = doc.get("deadLetters").get(0);
    assertThat(letter.get("errorType").asText()).isEqualTo("DELIVERY_REJECTED");
    assertThat(letter.get("httpStatus").asInt()).isEqualTo(400);
    assertThat(letter.get("idempotencyKey").asText()).isEqualTo(refused);
    assertThat(letter.get("orderId").asText()).isEqualTo("order-3");
    assertThat(letter.get("lineId").asText()).isEqualTo("line-1");
    assertThat(letter.get("sourceOffset").asLong()).isEqualTo(refusedRecord.offset());
    assertThat(letter.has("key")).isFalse();
    assertThat(letter.has("value")).isFalse();
    // LOG_FORMAT=json: the service's log lines are JSON objects; the refusal names its record
    List<JsonNode> logLines = new ArrayList<>();
    for (String line : deliver.err().lines().filter(l -> l.startsWith("{")).toList()) {
      logLines.add(JSON.readTree(line));
    }
    assertThat(logLines).isNotEmpty().allSatisfy(n -> assertThat(n.has("timestamp")).isTrue());
    assertThat(logLines)
        .anySatisfy(
            n -> {
              assertThat(n.get("message").asText()).contains("rejected");
              assertThat(n.path("orderId").asText()).isEqualTo("order-3");
              assertThat(n.path("lineId").asText()).isEqualTo("line-1");
            });

    sb.clearSinkRejects(run.sink());
    Finished redrive = DeliveryProcess.run(run.name() + "-redrive", env, "dlq", "redrive");
    assertThat(redrive.exitCode()).as(redrive.all()).isZero();
    assertThat(redrive.out()).contains("1 delivered", "0 dead-lettered again");
    assertThat(sb.sink(run.sink()).countByKey()).containsEntry(refused, 1L);
    assertThat(sb.sink(run.sink()).distinctKeys()).isEqualTo(produced.size());
    assertThat(stack.deadLetters(run)).as("no new dead letter").hasSize(1);

    for (String output :
        List.of(
            deliver.out(), deliver.err(), list.out(), list.err(), listJson.all(), redrive.all())) {
      assertThat(output).doesNotContain(API_KEY);
    }
    assertThat(deliver.err()).as("DEBUG logging is on").contains("DEBUG");
  }

  /**
   * The first record of every order refused at once, right after the service created its
   * dead-letter topic: several dead letters written concurrently to the new topic, everything else
   * delivered; a re-drive while the sink still refuses them dead-letters them again with a replay
   * id and the attempts added up, and exits 0.
   */
  @Test
  void recordsRefusedRightAtTheStartAreDeadLetteredAndARefusedRedriveDeadLettersThemAgain()
      throws IOException {
    Run run = stack.newRun("dlq-at-start");
    List<String> refused = List.of(key("order-0", 0), key("order-1", 0), key("order-2", 0));
    sb.rejectSinkKeys(run.sink(), refused.toArray(String[]::new));
    List<Produced> produced = stack.produce(run, 6, 3);
    Path keyFile = tmp.resolve("api-key");
    Files.writeString(keyFile, API_KEY);
    Map<String, String> env =
        stack.environment(
            run,
            Map.of("DELIVERY_AUTH_SCHEME", "api_key", "DELIVERY_API_KEY_FILE", keyFile.toString()));

    DeliveryProcess deliver = DeliveryProcess.deliver(run.name() + "-deliver", env);
    await("the refused records dead-lettered")
        .atMost(DeliveryProcess.LONG)
        .until(() -> stack.deadLetters(run).size() == refused.size());
    await("the rest delivered")
        .atMost(DeliveryProcess.LONG)
        .until(() -> sb.sink(run.sink()).distinctKeys() == produced.size() - refused.size());
    await("the group's offsets at the end")
        .atMost(DeliveryProcess.LONG)
        .until(() -> stack.committed(run).equals(stack.endOffsets(run.topic())));
    assertThat(deliver.stop()).isEqualTo(143);
    List<DeadLetter> first = stack.deadLetters(run);
    assertThat(first)
        .extracting(DeadLetter::getIdempotencyKey)
        .containsExactlyInAnyOrderElementsOf(refused);
    assertThat(first).allMatch(d -> d.getErrorType() == ErrorType.DELIVERY_REJECTED);
    assertThat(first).allMatch(d -> d.getReplayId() == null);

    Finished redrive =
        DeliveryProcess.run(
            run.name() + "-redrive", env, "dlq", "redrive", "--replay-id", "it-replay-1");
    assertThat(redrive.exitCode()).as(redrive.all()).isZero();
    assertThat(redrive.out()).contains("0 delivered", "3 dead-lettered again");
    List<DeadLetter> all = stack.deadLetters(run);
    assertThat(all).hasSize(2 * refused.size());
    List<DeadLetter> again = all.stream().filter(d -> d.getReplayId() != null).toList();
    assertThat(again)
        .extracting(DeadLetter::getIdempotencyKey)
        .containsExactlyInAnyOrderElementsOf(refused);
    assertThat(again).allMatch(d -> "it-replay-1".equals(d.getReplayId()));
    assertThat(again).allMatch(d -> d.getHttpStatus() == 400);
    for (DeadLetter d : again) {
      DeadLetter before =
          first.stream()
              .filter(f -> f.getIdempotencyKey().equals(d.getIdempotencyKey()))
              .findFirst()
              .orElseThrow();
      assertThat(d.getAttempts()).isGreaterThan(before.getAttempts());
      assertThat(d.getValue()).isEqualTo(before.getValue());
    }
    assertThat(sb.sink(run.sink()).countByKey()).doesNotContainKeys(refused.toArray(String[]::new));
  }

  /**
   * Values that cannot be read (not Avro, a tombstone, an unknown schema id at the real registry)
   * are dead-lettered without a request ({@code httpStatus} 0); the records around them, of the
   * same orders too, are delivered and the offsets reach the end.
   */
  @Test
  void unreadableValuesAreDeadLetteredWithoutARequest() throws IOException {
    Run run = stack.newRun("dlq-unreadable");
    List<Produced> before = stack.produce(run, 3, 1);
    List<Produced> bad =
        List.of(
            stack.produceRaw(
                run,
                "order-0",
                "bad-not-avro",
                "not avro at all".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            stack.produceRaw(run, "order-1", "bad-tombstone", null),
            stack.produceRaw(
                run, "order-2", "bad-unknown-schema", new byte[] {0, 0, 0x0f, 0x42, 0x3f, 2, 4}));
    List<Produced> after = stack.produce(run, 3, 2);
    Path keyFile = tmp.resolve("api-key");
    Files.writeString(keyFile, API_KEY);
    Map<String, String> env =
        stack.environment(
            run,
            Map.of("DELIVERY_AUTH_SCHEME", "api_key", "DELIVERY_API_KEY_FILE", keyFile.toString()));

    DeliveryProcess deliver = DeliveryProcess.deliver(run.name(), env);
    await("the unreadable records dead-lettered")
        .atMost(DeliveryProcess.LONG)
        .until(() -> stack.deadLetters(run).size() == bad.size());
    await("the offsets at the end")
        .atMost(DeliveryProcess.LONG)
        .until(() -> stack.committed(run).equals(stack.endOffsets(run.topic())));
    assertThat(deliver.stop()).isEqualTo(143);

    List<DeadLetter> letters = stack.deadLetters(run);
    assertThat(letters)
        .extracting(DeadLetter::getIdempotencyKey)
        .containsExactlyInAnyOrder("bad-not-avro", "bad-tombstone", "bad-unknown-schema");
    assertThat(letters)
        .allSatisfy(
            d -> {
              assertThat(d.getErrorType()).isEqualTo(ErrorType.DELIVERY_REJECTED);
              assertThat(d.getHttpStatus()).isZero();
            });
    SinkRecording sink = sb.sink(run.sink());
    assertThat(sink.countByKey().keySet())
        .containsExactlyInAnyOrderElementsOf(
            java.util.stream.Stream.concat(before.stream(), after.stream())
                .map(Produced::key)
                .distinct()
                .toList());
    // the records before and after share keys (the same lines again): each arrived twice
    assertThat(sink.total()).isEqualTo(before.size() + after.size());
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
