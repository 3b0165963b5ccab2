package dev.twikitorders.deadletters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.schemas.DeadLetter;
import dev.twikitorders.schemas.ErrorType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
}
