package dev.twikitorders.sandbox.sink;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of one sink (see {@code TwikitSandbox.sink(String)}): the items it still holds, in
 * arrival order, and its counts since it was created or last cleared.
 *
 * <p>The counts cover every recorded item, also those dropped beyond {@code --sink-max-items}
 * ({@link #dropped()} says how many of the oldest are no longer in {@link #items()}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the sink's name
 * @param total items recorded (duplicates included, dropped included)
 * @param distinctKeys distinct idempotency keys recorded
 * @param duplicates recorded items whose key had been recorded before
 * @param dropped the oldest items no longer held (their sequence numbers are {@code 0..dropped-1})
 * @param items the held items, or the requested slice of them, in arrival order
 * @param countByKey per idempotency key, how often it was recorded, in first-arrival order (every
 *     recorded item, dropped ones included); empty in admin slices
 */
public record SinkRecording(
    String name,
    long total,
    long distinctKeys,
    long duplicates,
    long dropped,
    List<SinkItem> items,
    Map<String, Long> countByKey) {

  /** Copies. */
  public SinkRecording {
    Objects.requireNonNull(name, "name");
    items = List.copyOf(items);
    countByKey = Collections.unmodifiableMap(new LinkedHashMap<>(countByKey));
  }

  /** An empty recording of a sink that received nothing. */
  public static SinkRecording empty(String name) {
    return new SinkRecording(name, 0, 0, 0, 0, List.of(), Map.of());
  }

  /** The idempotency keys of {@link #items()}, in arrival order (duplicates repeated). */
  public List<String> keys() {
    List<String> keys = new ArrayList<>(items.size());
    items.forEach(i -> keys.add(i.idempotencyKey()));
    return keys;
  }

  /** Whether some items were dropped (more than {@code --sink-max-items} were recorded). */
  public boolean truncated() {
    return dropped > 0;
  }
}
