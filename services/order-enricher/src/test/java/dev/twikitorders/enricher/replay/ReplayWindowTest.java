package dev.twikitorders.enricher.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.enricher.replay.ReplayWindow.PartitionRange;
import dev.twikitorders.enricher.replay.ReplayWindow.TopicOffsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {
  private static final Instant T1 = Instant.parse("2025-03-01T00:00:00Z");
  private static final Instant T2 = Instant.parse("2025-03-02T00:00:00Z");

  /** Partitions 0-2: log start 10, 0, 0; end 100, 50, 0 (empty). */
  private static TopicOffsets topic(Map<Integer, Long> fromTime, Map<Integer, Long> toTime) {
    return new TopicOffsets(
        "order-events",
        new TreeSet<>(Set.of(0, 1, 2)),
        Map.of(0, 10L, 1, 0L, 2, 0L),
        Map.of(0, 100L, 1, 50L, 2, 0L),
        fromTime,
        toTime);
  }

  private static ReplayWindow offsets(String from, String to, String partitions) {
    return ReplayWindow.of(
        null,
        null,
        from == null ? null : WindowParsing.offsets("--from-offsets", from),
        to == null ? null : WindowParsing.offsets("--to-offsets", to),
        partitions == null ? null : WindowParsing.partitions("--partitions", partitions));
  }

  // ---- parsing

  @Test
  void parsesPartitionOffsetListsInPartitionOrder() {
    assertThat(WindowParsing.offsets("--from-offsets", " 2:4500, 0:120 "))
        .containsExactly(Map.entry(0, 120L), Map.entry(2, 4500L));
    assertThat(WindowParsing.partitions("--partitions", "2,0")).containsExactly(0, 2);
  }

  @Test
  void malformedOffsetListsNameTheFlagAndTheElement() {
    assertThatThrownBy(() -> WindowParsing.offsets("--from-offsets", "0:1,2"))
        .isInstanceOf(ReplayUsageException.class)
        .hasMessageContaining("--from-offsets")
        .hasMessageContaining("'2'");
    assertThatThrownBy(() -> WindowParsing.offsets("--to-offsets", "0:x"))
        .isInstanceOf(ReplayUsageException.class)
        .hasMessageContaining("--to-offsets")
        .hasMessageContaining("0:x");
    assertThatThrownBy(() -> WindowParsing.offsets("--from-offsets", "0:1:2"))
        .isInstanceOf(ReplayUsageException.class)
        .hasMessageContaining("not partition:offset");
    assertThatThrownBy(() -> WindowParsing.offsets("--from-offsets", "0:-1"))
        .isInstanceOf(ReplayUsageException.class)
        .hasMessageContaining("negative");
    assertThatThrownBy(() -> WindowParsing.offsets("--from-offsets", "-1:5"))
        .isInstanceOf(ReplayUsageException.class)
        .hasMessageContaining("partition -1 is negative");
    assertThatThrownBy(() -> WindowParsing.offsets("--from-offsets", "0:1,0:2"))
        .isInstanceOf(ReplayUsageException.class)
        .hasMessageContaining("partition 0 is given twice");
    assertThatThrownBy(() -> WindowParsing.offsets("--from-offsets", ""))
        .isInstanceOf(ReplayUsageException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> WindowParsing.offsets("--from-offsets", "0:1,"))
        .isInstanceOf(ReplayUsageException.class)
        .hasMessageContaining("element ''");
    assertThatThrownBy(() -> WindowParsing.partitions("--partitions", "0,a"))
        .isInstanceOf(ReplayUsageException.class)
        .hasMessageContaining("--partitions")
        .hasMessageContaining("'a'");
  }

  @Test
  void parsesInstantsWithZoneOrOffsetOrAsUtcDates() {
    assertThat(WindowParsing.instant("--from-timestamp", "2025-03-01T00:00:00Z")).isEqualTo(T1);
    assertThat(WindowParsing.instant("--from-timestamp", "2025-03-01T01:00:00+01:00"))
        .isEqualTo(T1);
    assertThat(WindowParsing.instant("--from-timestamp", "2025-03-01")).isEqualTo(T1);
    assertThatThrownBy(() -> WindowParsing.instant("--to-timestamp", "2025-03-01T00:00:00"))
        .isInstanceOf(ReplayUsageException.class)
        .hasMessageContaining("--to-timestamp")
        .hasMessageContaining("with a zone");
    assertThatThrownBy(() -> WindowParsing.instant("--to-timestamp", "yesterday"))
        .isInstanceOf(ReplayUsageException.class)
        .hasMessageContaining("'yesterday'");
  }

  // ---- validation without the broker

  @Test
  void refusesBothKindsOfWindowAndNoWindow() {
    assertThatThrownBy(
            () ->
                ReplayWindow.of(
                    T1, null, WindowParsing.offsets("--from-offsets", "0:1"), null, null))
        .isInstanceOf(ReplayUsageException.class)
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> ReplayWindow.of(null, null, null, null, null))
        .isInstanceOf(ReplayUsageException.class)
        .hasMessageContaining("no window");
  }

  @Test
  void refusesAStartAfterTheEnd() {
    assertThatThrownBy(() -> ReplayWindow.of(T2, T1, null, null, null))
        .isInstanceOf(ReplayUsageException.class)
        .hasMessageContaining("--from-timestamp")
        .hasMessageContaining("not before");
    assertThatThrownBy(() -> ReplayWindow.of(T1, T1, null, null, null))
        .isInstanceOf(ReplayUsageException.class);
    assertThatThrownBy(() -> offsets("0:50", "0:40", null))
        .isInstanceOf(ReplayUsageException.class)
        .hasMessageContaining("start is after the end for partition 0");
  }

  @Test
  void refusesOffsetsOfPartitionsOutsideThePartitionsFlag() {
    assertThatThrownBy(() -> offsets("1:5", null, "0"))
        .isInstanceOf(ReplayUsageException.class)
        .hasMessageContaining("--from-offsets names partition 1");
  }

  // ---- resolution against the topic's offsets

  @Test
  void timeWindowUsesOffsetsForTimesAndTheEndWhenNoRecordIsLater() {
    ReplayWindow w = ReplayWindow.of(T1, T2, null, null, null);
    // partition 0: 40..70; partition 1: no record after T1 -> empty at the end; partition 2 empty
    // topic
    var ranges = w.resolve(topic(Map.of(0, 40L), Map.of(0, 70L)));
    assertThat(ranges)
        .containsExactly(
            new PartitionRange(0, 40, 70),
            new PartitionRange(1, 50, 50),
            new PartitionRange(2, 0, 0));
  }

  @Test
  void openTimeBoundsRunFromLogStartOrToTheEnd() {
    assertThat(
            ReplayWindow.of(null, T2, null, null, null)
                .resolve(topic(Map.of(), Map.of(0, 70L, 1, 20L))))
        .containsExactly(
            new PartitionRange(0, 10, 70),
            new PartitionRange(1, 0, 20),
            new PartitionRange(2, 0, 0));
    assertThat(
            ReplayWindow.of(T1, null, null, null, WindowParsing.partitions("--partitions", "1"))
                .resolve(topic(Map.of(1, 7L), Map.of())))
        .containsExactly(new PartitionRange(1, 7, 50));
  }

  @Test
  void timeOffsetsBeyondTheLastStableOffsetAreClamped() {
    assertThat(
            ReplayWindow.of(T1, T2, null, null, null)
                .resolve(topic(Map.of(0, 120L), Map.of(0, 130L)))
                .get(0))
        .isEqualTo(new PartitionRange(0, 100, 100));
  }

  @Test
  void offsetWindowReadsTheNamedPartitionsWithDefaultsForMissingBounds() {
    assertThat(offsets("0:20,1:5", "0:30", null).resolve(topic(Map.of(), Map.of())))
        .containsExactly(new PartitionRange(0, 20, 30), new PartitionRange(1, 5, 50));
    assertThat(offsets(null, "1:10", "0,1").resolve(topic(Map.of(), Map.of())))
        .containsExactly(new PartitionRange(0, 10, 100), new PartitionRange(1, 0, 10));
    assertThat(offsets("0:100", null, null).resolve(topic(Map.of(), Map.of())))
        .containsExactly(new PartitionRange(0, 100, 100));
  }

  @Test
  void offsetsOutsideTheLogAreRefused() {
    assertThatThrownBy(() -> offsets("0:5", null, null).resolve(topic(Map.of(), Map.of())))
        .isInstanceOf(ReplayUsageException.class)
        .hasMessageContaining("--from-offsets 0:5 is out of range: below the log start offset 10");
    assertThatThrownBy(() -> offsets("0:101", null, null).resolve(topic(Map.of(), Map.of())))
        .isInstanceOf(ReplayUsageException.class)
        .hasMessageContaining("--from-offsets 0:101 is out of range: beyond the end offset 100");
    assertThatThrownBy(() -> offsets(null, "1:51", null).resolve(topic(Map.of(), Map.of())))
        .isInstanceOf(ReplayUsageException.class)
        .hasMessageContaining("--to-offsets 1:51");
    assertThatThrownBy(() -> offsets(null, "0:5", null).resolve(topic(Map.of(), Map.of())))
        .isInstanceOf(ReplayUsageException.class)
        .hasMessageContaining("below the log start offset 10");
  }

  @Test
  void unknownPartitionsAreRefusedWithTheFlagAndTheTopicsPartitions() {
    assertThatThrownBy(
            () ->
                ReplayWindow.of(
                        T1, null, null, null, WindowParsing.partitions("--partitions", "0,7"))
                    .resolve(topic(Map.of(), Map.of())))
        .isInstanceOf(ReplayUsageException.class)
        .hasMessage(
            "--partitions: topic 'order-events' has no partition 7 (it has partitions 0-2)");
    assertThatThrownBy(() -> offsets("3:0", null, null).resolve(topic(Map.of(), Map.of())))
        .isInstanceOf(ReplayUsageException.class)
        .hasMessageContaining("--from-offsets: topic 'order-events' has no " + "partition 3");
  }
}
