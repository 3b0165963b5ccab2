package dev.twikitorders.enricher.replay;

import dev.twikitorders.deadletters.DeadLetterUsageException;
import dev.twikitorders.deadletters.Instants;
import java.time.Instant;
import java.util.Collections;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Parses the window flags of {@code replay} and {@code dlq}: {@code partition:offset} lists,
 * partition lists and ISO-8601 instants. Every error is a {@link ReplayUsageException} naming the
 * flag and the value. Stateless.
 */
public final class WindowParsing {
  private WindowParsing() {}

  /**
   * Parses {@code 0:120,2:4500} into partition to offset, in partition order.
   *
   * @throws ReplayUsageException when an element is not {@code partition:offset} with a partition
   *     and an offset >= 0, or a partition is named twice
   */
  public static SortedMap<Integer, Long> offsets(String flag, String text) {
    if (text == null || text.isBlank()) {
      throw new ReplayUsageException(
          flag + ": expected partition:offset[,partition:offset...], got an empty value");
    }
    SortedMap<Integer, Long> result = new TreeMap<>();
    for (String raw : text.split(",", -1)) {
      String element = raw.strip();
      int colon = element.indexOf(':');
      if (colon <= 0 || colon != element.lastIndexOf(':') || colon == element.length() - 1) {
        throw new ReplayUsageException(
            flag
                + " '"
                + text
                + "': element '"
                + element
                + "' is not partition:offset (e.g. 0:120,2:4500)");
      }
      int partition = partition(flag, text, element.substring(0, colon).strip());
      long offset;
      try {
        offset = Long.parseLong(element.substring(colon + 1).strip());
      } catch (NumberFormatException e) {
        throw new ReplayUsageException(
            flag + " '" + text + "': offset in '" + element + "' is not a whole number");
      }
      if (offset < 0) {
        throw new ReplayUsageException(
            flag + " '" + text + "': offset in '" + element + "' is negative");
      }
      if (result.put(partition, offset) != null) {
        throw new ReplayUsageException(
            flag + " '" + text + "': partition " + partition + " is given twice");
      }
    }
    return Collections.unmodifiableSortedMap(result);
  }

  /** Parses {@code 0,2,5} into a sorted set of partitions. */
  public static SortedSet<Integer> partitions(String flag, String text) {
    if (text == null || text.isBlank()) {
      throw new ReplayUsageException(
          flag + ": expected a list of partitions (e.g. 0,2), got an empty value");
    }
    SortedSet<Integer> result = new TreeSet<>();
    for (String raw : text.split(",", -1)) {
      int p = partition(flag, text, raw.strip());
      if (!result.add(p)) {
        throw new ReplayUsageException(
            flag + " '" + text + "': partition " + p + " is given twice");
      }
    }
    return Collections.unmodifiableSortedSet(result);
  }

  /**
   * Parses an ISO-8601 instant as {@link Instants#parse} does: {@code 2025-03-01T00:00:00Z}, with
   * an offset ({@code 2025-03-01T01:00:00+01:00}) or a date ({@code 2025-03-01}, midnight UTC). A
   * local date-time without zone is refused: it would depend on the machine's time zone.
   */
  public static Instant instant(String flag, String text) {
    try {
      return Instants.parse(flag, text);
    } catch (DeadLetterUsageException e) {
      throw new ReplayUsageException(e.getMessage());
    }
  }

  private static int partition(String flag, String text, String s) {
    try {
      int p = Integer.parseInt(s);
      if (p < 0) {
        throw new ReplayUsageException(flag + " '" + text + "': partition " + p + " is negative");
      }
      return p;
    } catch (NumberFormatException e) {
      throw new ReplayUsageException(
          flag + " '" + text + "': partition '" + s + "' is not a whole number");
    }
  }
}
