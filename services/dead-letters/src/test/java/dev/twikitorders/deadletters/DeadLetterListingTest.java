package dev.twikitorders.deadletters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twikitorders.schemas.DeadLetter;
import dev.twikitorders.schemas.ErrorType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code dlq list} table (the scan itself runs against a broker in the enricher's ITs). */
class DeadLetterListingTest {

  private static String print(DeadLetterListing listing) {
    StringWriter out = new StringWriter();
    listing.print(new PrintWriter(out));
    return out.toString();
  }

  private static final List<DeadLetterScan.Entry> ENTRIES =
      List.of(
          new DeadLetterScan.Entry(
              0,
              5,
              1L,
              DeadLetter.newBuilder()
                  .setErrorType(ErrorType.NOT_FOUND)
                  .setMessage("no such configuration c1")
                  .setSourceTopic("order-events")
                  .setSourcePartition(1)
                  .setSourceOffset(42)
                  .setKey(ByteBuffer.wrap("KEY-BYTES".getBytes(StandardCharsets.UTF_8)))
                  .setValue(ByteBuffer.wrap("VALUE-BYTES".getBytes(StandardCharsets.UTF_8)))
                  .setEventId("e1")
                  .setOrderId("o1")
                  .setLineId("l1")
                  .setConfigurationId("c1")
                  .setAttempts(3)
                  .setFailedAt(Instant.parse("2025-03-01T00:00:00Z"))
                  .build()),
          new DeadLetterScan.Entry(
              2,
              17,
              2L,
              DeadLetter.newBuilder()
                  .setErrorType(ErrorType.UNREADABLE)
                  .setMessage("bad\r\nbytes")
                  .setSourceTopic("order-events")
                  .setSourcePartition(0)
                  .setSourceOffset(7)
                  .setAttempts(1)
                  .setFailedAt(Instant.parse("2025-03-01T00:00:01Z"))
                  .setReplayId("r-9")
                  .build()));

  @Test
  void printsOneAlignedLinePerDeadLetterAndACount() {
    String printed = print(new DeadLetterListing(ENTRIES, false, 40, 0));
    assertThat(printed.lines().toList())
        .containsExactly(
            "DLQ   SOURCE             ERROR_TYPE  ATTEMPTS  FAILED_AT             EVENT_ID  ORDER_ID  LINE_ID  CONFIGURATION_ID  REPLAY_ID  MESSAGE",
            "0/5   order-events/1/42  NOT_FOUND   3         2025-03-01T00:00:00Z  e1        o1        l1       c1                -          no such configuration c1",
            "2/17  order-events/0/7   UNREADABLE  1         2025-03-01T00:00:01Z  -         -         -        -                 r-9        bad  bytes",
            "2 dead letters listed (40 records scanned)");
    assertThat(printed).doesNotContain("KEY-BYTES").doesNotContain("VALUE-BYTES");
  }

  @Test
  void saysWhenTheLimitCutItShortAndWhatWasUnreadable() {
    assertThat(print(new DeadLetterListing(ENTRIES.subList(0, 1), true, 9, 2)).lines().toList())
        .last()
        .isEqualTo(
            "1 dead letters listed; --limit reached, more may match"
                + " (9 records scanned, 2 unreadable skipped)");
    assertThat(print(new DeadLetterListing(List.of(), false, 0, 0)).lines().toList())
        .containsExactly(
            "DLQ  SOURCE  ERROR_TYPE  ATTEMPTS  FAILED_AT  EVENT_ID  ORDER_ID  LINE_ID"
                + "  CONFIGURATION_ID  REPLAY_ID  MESSAGE",
            "0 dead letters listed (0 records scanned)");
  }

  @Test
  void refusesALimitBelowOne() {
    assertThatThrownBy(() -> DeadLetterListing.checkLimit(0))
        .isInstanceOf(DeadLetterUsageException.class)
        .hasMessage("--limit must be at least 1, was 0");
    DeadLetterListing.checkLimit(1);
  }

  @Test
  void printsJsonWithStableFieldsAndNeverTheBytes() throws Exception {
    StringWriter out = new StringWriter();
    new DeadLetterListing(ENTRIES, true, 40, 2).printJson(new PrintWriter(out));
    String printed = out.toString();
    assertThat(printed.lines().count()).isEqualTo(1);
    assertThat(printed).doesNotContain("KEY-BYTES").doesNotContain("VALUE-BYTES");
    JsonNode doc = new ObjectMapper().readTree(printed);
    assertThat(doc.get("listed").asInt()).isEqualTo(2);
    assertThat(doc.get("limitReached").isBoolean()).isTrue();
    assertThat(doc.get("limitReached").asBoolean()).isTrue();
    assertThat(doc.get("scanned").asLong()).isEqualTo(40);
    assertThat(doc.get("unreadable").asLong()).isEqualTo(2);
    JsonNode first = doc.get("deadLetters").get(0);
    List<String> names = new ArrayList<>();
    first.fieldNames().forEachRemaining(names::add);
    assertThat(names)
        .containsExactly(
            "dlqPartition",
            "dlqOffset",
            "sourceTopic",
            "sourcePartition",
            "sourceOffset",
            "errorType",
            "attempts",
            "failedAt",
            "eventId",
            "orderId",
            "lineId",
            "configurationId",
            "replayId",
            "message");
    assertThat(first.get("dlqPartition").isInt()).isTrue();
    assertThat(first.get("dlqOffset").asLong()).isEqualTo(5);
    assertThat(first.get("sourceOffset").isNumber()).isTrue();
    assertThat(first.get("sourceOffset").asLong()).isEqualTo(42);
    assertThat(first.get("errorType").asText()).isEqualTo("NOT_FOUND");
    assertThat(first.get("attempts").asInt()).isEqualTo(3);
    assertThat(first.get("failedAt").asText()).isEqualTo("2025-03-01T00:00:00Z");
    assertThat(first.get("configurationId").asText()).isEqualTo("c1");
    assertThat(first.get("replayId").isNull()).isTrue();
    JsonNode second = doc.get("deadLetters").get(1);
    assertThat(second.get("eventId").isNull()).isTrue();
    assertThat(second.get("message").asText()).isEqualTo("bad\r\nbytes");
    assertThat(second.get("replayId").asText()).isEqualTo("r-9");
  }

  @Test
  void jsonAddsHttpStatusAndIdempotencyKeyWhenSet() throws Exception {
    DeadLetter delivery =
        DeadLetter.newBuilder(ENTRIES.get(0).letter())
            .setErrorType(ErrorType.DELIVERY_REJECTED)
            .setHttpStatus(422)
            .setIdempotencyKey("e1/l1")
            .setResponseExcerpt("EXCERPT")
            .build();
    StringWriter out = new StringWriter();
    new DeadLetterListing(List.of(new DeadLetterScan.Entry(1, 2, 3L, delivery)), false, 1, 0)
        .printJson(new PrintWriter(out));
    JsonNode letter = new ObjectMapper().readTree(out.toString()).get("deadLetters").get(0);
    assertThat(letter.get("httpStatus").asInt()).isEqualTo(422);
    assertThat(letter.get("idempotencyKey").asText()).isEqualTo("e1/l1");
    assertThat(out.toString()).doesNotContain("EXCERPT").doesNotContain("BYTES");
  }
}
