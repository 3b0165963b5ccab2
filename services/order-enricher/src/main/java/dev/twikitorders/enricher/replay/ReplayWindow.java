package dev.twikitorders.enricher.replay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The window of the input a replay reads, as requested on the command line: either a time window
 * ({@code --from-timestamp}/{@code --to-timestamp}) or an offset window ({@code
 * --from-offsets}/{@code --to-offsets}), optionally restricted to {@code --partitions}. Every end
 * is exclusive: the window is {@code [from, to)}.
 *
 * <p>{@link #of} checks what can be checked without the broker; {@link #resolve} turns the window
 * into one offset range per partition against the topic's offsets, and checks the rest.
 *
 * <p>Immutable.
 */
public record ReplayWindow(
    Instant fromTime,
    Instant toTime,
    SortedMap<Integer, Long> fromOffsets,
    SortedMap<Integer, Long> toOffsets,
    SortedSet<Integer> partitions) {

  public static final String FROM_TIMESTAMP = "--from-timestamp";
  public static final String TO_TIMESTAMP = "--to-timestamp";
  public static final String FROM_OFFSETS = "--from-offsets";
  public static final String TO_OFFSETS = "--to-offsets";
  public static final String PARTITIONS = "--partitions";

  public ReplayWindow {
    fromOffsets =
        Collections.unmodifiableSortedMap(
            new TreeMap<>(fromOffsets == null ? Map.of() : fromOffsets));
    toOffsets =
        Collections.unmodifiableSortedMap(new TreeMap<>(toOffsets == null ? Map.of() : toOffsets));
    partitions =
        Collections.unmodifiableSortedSet(
            partitions == null ? new TreeSet<Integer>() : new TreeSet<>(partitions));
  }

  /**
   * A validated window.
   *
   * @throws ReplayUsageException when both kinds of window or none are given, the start is after
   *     the end, or an offset list names a partition outside {@code --partitions}
   */
  public static ReplayWindow of(
      Instant fromTime,
      Instant toTime,
      SortedMap<Integer, Long> fromOffsets,
      SortedMap<Integer, Long> toOffsets,
      SortedSet<Integer> partitions) {
    var w = new ReplayWindow(fromTime, toTime, fromOffsets, toOffsets, partitions);
    boolean time = fromTime != null || toTime != null;
    boolean offsets = !w.fromOffsets.isEmpty() || !w.toOffsets.isEmpty();
    if (time && offsets) {
      throw new ReplayUsageException(
          "give a time window ("
              + FROM_TIMESTAMP
              + "/"
              + TO_TIMESTAMP
              + ") or an offset window ("
              + FROM_OFFSETS
              + "/"
              + TO_OFFSETS
              + "), not both");
    }
    if (!time && !offsets) {
      throw new ReplayUsageException(
          "no window given: use "
              + FROM_TIMESTAMP
              + " and/or "
              + TO_TIMESTAMP
              + ", or "
              + FROM_OFFSETS
              + " and/or "
              + TO_OFFSETS
              + " (e.g. "
              + FROM_TIMESTAMP
              + " 1970-01-01T00:00:00Z for the whole topic)");
    }
    if (fromTime != null && toTime != null && !fromTime.isBefore(toTime)) {
      throw new ReplayUsageException(
          "the start is not before the end: "
              + FROM_TIMESTAMP
              + " "
              + fromTime
              + " >= "
              + TO_TIMESTAMP
              + " "
              + toTime
              + " (the end is exclusive)");
    }
    w.fromOffsets.forEach(
        (p, from) -> {
          Long to = w.toOffsets.get(p);
          if (to != null && from > to) {
            throw new ReplayUsageException(
                "the start is after the end for partition "
                    + p
                    + ": "
                    + FROM_OFFSETS
                    + " "
                    + p
                    + ":"
                    + from
                    + " > "
                    + TO_OFFSETS
                    + " "
                    + p
                    + ":"
                    + to);
          }
        });
    if (!w.partitions.isEmpty()) {
      checkWithin(w.fromOffsets, w.partitions, FROM_OFFSETS);
      checkWithin(w.toOffsets, w.partitions, TO_OFFSETS);
    }
    return w;
  }

  private static void checkWithin(
      SortedMap<Integer, Long> offsets, SortedSet<Integer> partitions, String flag) {
    for (int p : offsets.keySet()) {
      if (!partitions.contains(p)) {
        throw new ReplayUsageException(
            flag
                + " names partition "
                + p
                + ", which is not in "
                + PARTITIONS
                + " "
                + join(partitions));
      }
    }
  }

  public boolean isTimeWindow() {
    return fromTime != null || toTime != null;
  }

  /** The offsets of the input topic that a window is resolved against, per partition. */
  public record TopicOffsets(
      String topic,
      SortedSet<Integer> partitions,
      Map<Integer, Long> logStart,
      Map<Integer, Long> end,
      Map<Integer, Long> fromTimeOffsets,
      Map<Integer, Long> toTimeOffsets) {}

  /** One partition's offset range {@code [from, to)}. */
  public record PartitionRange(int partition, long from, long to) {
    public long size() {
      return to - from;
    }
  }

  /** The partitions a window reads, before offsets are known: to look offsets up for. */
  public SortedSet<Integer> selectedPartitions(SortedSet<Integer> topicPartitions) {
    if (!partitions.isEmpty()) {
      return partitions;
    }
    if (isTimeWindow()) {
      return topicPartitions;
    }
    SortedSet<Integer> named = new TreeSet<>(fromOffsets.keySet());
    named.addAll(toOffsets.keySet());
    return named;
  }

  /**
   * Resolves the window into one range per selected partition, in partition order.
   *
   * <p>Time window: the start is the first offset whose timestamp is at or after {@code fromTime}
   * ({@code offsetsForTimes}), the end the first offset at or after {@code toTime}; a missing bound
   * is the log start or the end offset. Offset window: partitions named in neither list but in
   * {@code --partitions} run from the log start to the end offset. {@code end} is the end offset
   * (last stable offset under read_committed) captured when the replay starts.
   *
   * @throws ReplayUsageException for unknown partitions and offsets outside {@code [log start,
   *     end]}
   */
  public List<PartitionRange> resolve(TopicOffsets topic) {
    checkKnown(partitions, topic, PARTITIONS);
    checkKnown(fromOffsets.keySet(), topic, FROM_OFFSETS);
    checkKnown(toOffsets.keySet(), topic, TO_OFFSETS);
    List<PartitionRange> ranges = new ArrayList<>();
    for (int p : selectedPartitions(topic.partitions())) {
      long start = topic.logStart().get(p);
      long end = topic.end().get(p);
      long from;
      long to;
      if (isTimeWindow()) {
        from = fromTime == null ? start : orEnd(topic.fromTimeOffsets().get(p), end);
        to = toTime == null ? end : orEnd(topic.toTimeOffsets().get(p), end);
        // offsetsForTimes may point into an open transaction beyond the last stable offset
        from = Math.max(start, Math.min(from, end));
        to = Math.max(from, Math.min(to, end));
      } else {
        from = fromOffsets.getOrDefault(p, start);
        to = toOffsets.getOrDefault(p, end);
        checkInRange(FROM_OFFSETS, p, from, start, end, fromOffsets.containsKey(p));
        checkInRange(TO_OFFSETS, p, to, start, end, toOffsets.containsKey(p));
        if (from > to) {
          throw new ReplayUsageException(
              "the start is after the end for partition "
                  + p
                  + ": from "
                  + from
                  + (fromOffsets.containsKey(p) ? " (" + FROM_OFFSETS + ")" : " (log start)")
                  + " > to "
                  + to
                  + (toOffsets.containsKey(p) ? " (" + TO_OFFSETS + ")" : " (end offset)"));
        }
      }
      ranges.add(new PartitionRange(p, from, to));
    }
    return ranges;
  }

  private static long orEnd(Long offset, long end) {
    return offset == null ? end : offset;
  }

  private static void checkInRange(
      String flag, int p, long offset, long start, long end, boolean given) {
    if (!given) {
      return;
    }
    if (offset < start) {
      throw new ReplayUsageException(
          flag
              + " "
              + p
              + ":"
              + offset
              + " is out of range: below the log start offset "
              + start
              + " of partition "
              + p
              + " (older records were deleted)");
    }
    if (offset > end) {
      throw new ReplayUsageException(
          flag
              + " "
              + p
              + ":"
              + offset
              + " is out of range: beyond the end offset "
              + end
              + " of partition "
              + p);
    }
  }

  private static void checkKnown(
      java.util.Collection<Integer> requested, TopicOffsets topic, String flag) {
    for (int p : requested) {
      if (!topic.partitions().contains(p)) {
        throw new ReplayUsageException(
            flag
                + ": topic '"
                + topic.topic()
                + "' has no partition "
                + p
                + " (it has partitions "
                + join(topic.partitions())
                + ")");
      }
    }
  }

  static String join(java.util.Collection<Integer> partitions) {
    if (partitions.isEmpty()) {
      return "none";
    }
    List<Integer> list = new ArrayList<>(partitions);
    boolean contiguous = list.get(list.size() - 1) - list.get(0) == list.size() - 1;
    if (contiguous && list.size() > 2) {
      return list.get(0) + "-" + list.get(list.size() - 1);
    }
    return String.join(",", list.stream().map(String::valueOf).toList());
  }
}
