package dev.twikitorders.ops;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last few rows of something that happens now and then (dead letters, for example), newest
 * first, for a status page table. Callers put only what may be shown: no record bytes, no secret.
 *
 * <p>Thread-safe.
 */
public final class RecentRows {
  private final int capacity;
  private final ArrayDeque<List<String>> rows = new ArrayDeque<>();

  /** Keeps the last {@code capacity} rows. */
  public RecentRows(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    this.capacity = capacity;
  }

  public synchronized void add(List<String> row) {
    rows.addFirst(List.copyOf(row));
    while (rows.size() > capacity) {
      rows.removeLast();
    }
  }

  /** The rows, newest first. */
  public synchronized List<List<String>> rows() {
    return new ArrayList<>(rows);
  }
}
