package dev.twikitorders.enricher.flow;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Decides which input partitions the consumer may fetch. A task holds its partition while it has as
 * many events pending as it may ({@code enrichment.max.pending.events}) or events waiting to start;
 * every partition is held while {@link SystemPauses} reports a cause. {@link GatedConsumer} applies
 * the decision before each poll, so input stops at the source instead of piling up in memory.
 *
 * <p>Thread-safe: written by stream threads (and the pause registry), read by the consumers' stream
 * threads.
 */
public final class InputGate {
  private final Set<TopicPartition> held = ConcurrentHashMap.newKeySet();
  private final SystemPauses pauses;

  public InputGate(SystemPauses pauses) {
    this.pauses = Objects.requireNonNull(pauses, "pauses");
  }

  /** A gate that never holds anything back (tests, bounded jobs). */
  public static InputGate open() {
    return new InputGate(SystemPauses.create());
  }

  /** The task owning {@code partition} cannot take more input for now. */
  public void hold(TopicPartition partition) {
    held.add(partition);
  }

  /** The task owning {@code partition} can take input again (or was closed). */
  public void release(TopicPartition partition) {
    held.remove(partition);
  }

  /** Whether the consumer must not fetch {@code partition} now. */
  public boolean holds(TopicPartition partition) {
    return pauses.paused() || held.contains(partition);
  }

  /** Partitions held by their tasks (not counting a system pause). */
  public Set<TopicPartition> heldPartitions() {
    return Set.copyOf(held);
  }

  public SystemPauses pauses() {
    return pauses;
  }
}
