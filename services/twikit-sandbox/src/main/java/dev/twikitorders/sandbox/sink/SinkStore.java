package dev.twikitorders.sandbox.sink;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The named sinks of a sandbox: what each recorded, in arrival order, and its reject rule. Sinks
 * are created by their first delivery or reject rule.
 *
 * <p>Memory: each sink holds at most {@code maxItems} items (the oldest are dropped beyond, still
 * counted), plus one counter per distinct idempotency key.
 *
 * <p>Thread-safe: each sink is guarded by its own lock, so the check of the reject rule and the
 * recording of a whole batch are atomic and arrival order is one total order per sink.
 */
public final class SinkStore {
  /** The sink of {@code POST /sink}. */
  public static final String DEFAULT = "default";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._~-]{1,100}");

  /** One item of a delivery: its key, its record JSON text and the parsed record. */
  public record Incoming(String idempotencyKey, String recordText, JsonNode record) {}

  /**
   * The outcome of {@link #offer}: either {@code rejected} is non-empty (nothing recorded), or
   * {@code accepted} items were recorded, {@code duplicates} of them with a known key.
   */
  public record Outcome(int accepted, int duplicates, List<String> rejected) {}

  private final int maxItems;
  private final Clock clock;
  private final ConcurrentHashMap<String, Sink> sinks = new ConcurrentHashMap<>();

  /**
   * @param maxItems items held per sink (at least 1)
   */
  public SinkStore(int maxItems, Clock clock) {
    if (maxItems < 1) {
      throw new IllegalArgumentException("sinkMaxItems must be at least 1: " + maxItems);
    }
    this.maxItems = maxItems;
    this.clock = clock;
  }

  /** Whether {@code name} is a valid sink name (1 to 100 of {@code A-Z a-z 0-9 . _ ~ -}). */
  public static boolean validName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /**
   * @throws IllegalArgumentException when the name is not valid
   */
  public static String checkName(String name) {
    if (!validName(name)) {
      throw new IllegalArgumentException(
          "sink name must be 1 to 100 of A-Z a-z 0-9 . _ ~ -: " + name);
    }
    return name;
  }

  private Sink sink(String name) {
    return sinks.computeIfAbsent(checkName(name), Sink::new);
  }

  /** Records {@code items} in order, unless the reject rule refuses one of them. */
  public Outcome offer(String name, String batchKey, List<Incoming> items) {
    return sink(name).offer(batchKey, items);
  }

  /**
   * A snapshot: counts, and the held items with {@code sequence >= from}, at most {@code limit}.
   *
   * @param withCounts whether to copy {@link SinkRecording#countByKey()}
   */
  public SinkRecording snapshot(String name, long from, int limit, boolean withCounts) {
    Sink s = sinks.get(checkName(name));
    return s == null ? SinkRecording.empty(name) : s.snapshot(from, limit, withCounts);
  }

  /** Forgets what the sink recorded (its reject rule stays). */
  public void clear(String name) {
    Sink s = sinks.get(checkName(name));
    if (s != null) {
      s.clear();
    }
  }

  /** The names of the sinks that exist, sorted. */
  public List<String> names() {
    List<String> names = new ArrayList<>(sinks.keySet());
    names.sort(null);
    return names;
  }

  /** The sink's reject rule. */
  public SinkRejectRule rejectRule(String name) {
    Sink s = sinks.get(checkName(name));
    return s == null ? SinkRejectRule.NONE : s.rule();
  }

  /** Adds keys and field matches to the sink's reject rule; returns the new rule. */
  public SinkRejectRule addRejects(
      String name, Set<String> keys, List<SinkRejectRule.FieldMatch> fields) {
    return sink(name).addRejects(keys, fields);
  }

  /** Removes the sink's reject rule. */
  public void clearRejects(String name) {
    Sink s = sinks.get(checkName(name));
    if (s != null) {
      s.clearRejects();
    }
  }

  /** One sink; every method holds its lock. */
  private final class Sink {
    private final String name;
    private final ArrayDeque<SinkItem> items = new ArrayDeque<>();
    private final HashMap<String, Long> countByKey = new LinkedHashMap<>();
    private long total;
    private long duplicates;
    private SinkRejectRule rule = SinkRejectRule.NONE;

    Sink(String name) {
      this.name = name;
    }

    synchronized Outcome offer(String batchKey, List<Incoming> batch) {
      if (!rule.isEmpty()) {
        List<String> rejected = new ArrayList<>();
        for (Incoming in : batch) {
          if (rule.rejects(in.idempotencyKey(), in.record())) {
            rejected.add(in.idempotencyKey());
          }
        }
        if (!rejected.isEmpty()) {
          return new Outcome(0, 0, List.copyOf(rejected));
        }
      }
      int dups = 0;
      for (Incoming in : batch) {
        boolean dup = countByKey.merge(in.idempotencyKey(), 1L, Long::sum) > 1;
        if (dup) {
          dups++;
          duplicates++;
        }
        if (items.size() == maxItems) {
          items.removeFirst();
        }
        items.addLast(
            new SinkItem(
                total++,
                name,
                in.idempotencyKey(),
                batchKey,
                in.recordText(),
                clock.instant(),
                dup));
      }
      return new Outcome(batch.size(), dups, List.of());
    }

    synchronized SinkRecording snapshot(long from, int limit, boolean withCounts) {
      long dropped = total - items.size();
      List<SinkItem> slice = new ArrayList<>(Math.min(limit, items.size()));
      long skip = Math.max(0, from - dropped);
      var it = items.iterator();
      for (long i = 0; i < skip && it.hasNext(); i++) {
        it.next();
      }
      while (it.hasNext() && slice.size() < limit) {
        slice.add(it.next());
      }
      return new SinkRecording(
          name,
          total,
          countByKey.size(),
          duplicates,
          dropped,
          slice,
          withCounts ? countByKey : Map.of());
    }

    synchronized void clear() {
      items.clear();
      countByKey.clear();
      total = 0;
      duplicates = 0;
    }

    synchronized SinkRejectRule rule() {
      return rule;
    }

    synchronized SinkRejectRule addRejects(
        Set<String> keys, List<SinkRejectRule.FieldMatch> fields) {
      Set<String> k = new LinkedHashSet<>(rule.idempotencyKeys());
      k.addAll(keys);
      List<SinkRejectRule.FieldMatch> f = new ArrayList<>(rule.fields());
      f.addAll(fields);
      rule = new SinkRejectRule(k, f);
      return rule;
    }

    synchronized void clearRejects() {
      rule = SinkRejectRule.NONE;
    }
  }
}
