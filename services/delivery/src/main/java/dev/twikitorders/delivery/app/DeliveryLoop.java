package dev.twikitorders.delivery.app;

import dev.twikitorders.delivery.DeliveryPolicy;
import dev.twikitorders.delivery.DeliveryRecord;
import dev.twikitorders.delivery.HttpDelivery;
import dev.twikitorders.delivery.PartitionDelivery;
import dev.twikitorders.delivery.RecordOutcome;
import dev.twikitorders.ops.logging.LogContext;
import dev.twikitorders.registry.SchemaRegistryException;
import dev.twikitorders.schemas.ErrorType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery service's consumer loop: reads one topic in a consumer group ({@code
 * read_committed}, no auto-commit), hands each record to the {@link PartitionDelivery} of its
 * partition, dead-letters what the endpoint refuses, and commits offsets.
 *
 * <p><b>Invariants.</b>
 *
 * <ul>
 *   <li><i>Nothing lost:</i> an offset is committed only when it and every record before it in its
 *       partition are settled: delivered (the endpoint answered 2xx) or dead-lettered (the broker
 *       acknowledged the dead letter). A crash at any moment re-reads from the last commit; what
 *       was delivered and not yet committed is delivered again with the same {@code
 *       Idempotency-Key}.
 *   <li><i>Per-order order:</i> the records of one key (one order's records share a key, so a
 *       partition) are delivered strictly in offset order, one request after the other; other keys
 *       of the partition go alongside, up to the policy's requests per partition ({@link
 *       PartitionDelivery}); a record the endpoint keeps failing holds back its key only.
 *   <li><i>An outage delays, never drops:</i> I/O errors, timeouts, 408, 429 and 5xx are retried
 *       (forever by default); only a non-retryable 4xx, a value that cannot be read, or the
 *       optional retry deadline dead-letters a record. A schema registry that cannot be reached
 *       pauses the partition and reads the record again later; it never dead-letters.
 * </ul>
 *
 * <p><b>Threading.</b> The loop runs on the thread that calls {@link #run()}; the consumer and the
 * per-partition state are touched by that thread only (rebalance callbacks run inside {@code
 * poll}). Outcomes and dead-letter acknowledgements arrive on the HTTP client's and the producer's
 * threads and are queued to the loop. {@link #stop()} and the getters are thread-safe.
 *
 * <p><b>Rebalances.</b> Revoked partitions: their in-flight requests are abandoned, pending dead
 * letters flushed, the settled prefix committed synchronously. Lost partitions are dropped without
 * a commit. Assigned partitions start from the group's committed offset (else {@code
 * auto.offset.reset}).
 *
 * <p><b>Flow control.</b> A partition with {@code maxPending} records read and not settled is
 * paused until half of them settled; while it is paused its queued records are sent without waiting
 * for the linger (no more can arrive to fill the batch).
 *
 * <p><b>Shutdown.</b> After {@link #stop()} the loop stops reading, drops queued records, lets each
 * partition's in-flight requests finish for up to the shutdown timeout, abandons what is still in
 * flight then, commits what settled and closes the consumer. Abandoned and dropped records are not
 * committed: the next owner delivers them.
 */
public final class DeliveryLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryLoop.class);

  /** Header of the pipeline's outputs holding the idempotency key. */
  public static final String IDEMPOTENCY_KEY_HEADER = "idempotency-key";

  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration COMMIT_INTERVAL = Duration.ofMillis(200);
  private static final Duration DEAD_LETTER_RETRY = Duration.ofSeconds(5);
  private static final Duration REGISTRY_BACKOFF_MIN = Duration.ofSeconds(1);
  private static final Duration REGISTRY_BACKOFF_MAX = Duration.ofSeconds(30);

  /** The states {@link #state()} goes through. */
  public enum State {
    STARTING,
    RUNNING,
    STOPPING,
    STOPPED,
    FAILED
  }

  /** Reads a record value; {@link SchemaRegistryException} means "try again later". */
  @FunctionalInterface
  public interface ValueDecoder {
    IndexedRecord decode(String topic, Headers headers, byte[] value);
  }

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final ValueDecoder decoder;
  private final HttpDelivery http;
  private final DeliveryPolicy policy;
  private final ScheduledExecutorService scheduler;
  private final DeadLetterWriter deadLetters;
  private final DeliveryMetrics metrics;
  private final int maxPending;
  private final Duration shutdownTimeout;
  private final Clock clock;

  private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
  private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
  private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean stopRequested;
  private volatile Throwable failure;
  private long lastCommit;

  public DeliveryLoop(
      Consumer<byte[], byte[]> consumer,
      String topic,
      ValueDecoder decoder,
      HttpDelivery http,
      DeliveryPolicy policy,
      ScheduledExecutorService scheduler,
      DeadLetterWriter deadLetters,
      DeliveryMetrics metrics,
      int maxPending,
      Duration shutdownTimeout,
      Clock clock) {
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.topic = Objects.requireNonNull(topic, "topic");
    this.decoder = Objects.requireNonNull(decoder, "decoder");
    this.http = Objects.requireNonNull(http, "http");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    if (maxPending < 1) {
      throw new IllegalArgumentException("maxPending must be >= 1, was " + maxPending);
    }
    this.maxPending = maxPending;
    this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** One record read and not yet committed. */
  private static final class Slot {
    final ConsumerRecord<byte[], byte[]> record;
    boolean settled;

    Slot(ConsumerRecord<byte[], byte[]> record) {
      this.record = record;
    }
  }

  /** What the loop keeps per assigned partition (loop thread only). */
  private final class PartitionState {
    final TopicPartition tp;
    final PartitionDelivery delivery;
    final ArrayDeque<Slot> slots = new ArrayDeque<>();
    final Map<Long, Slot> byOffset = new HashMap<>();
    long next = -1;
    long committed = -1;
    boolean backpressure;
    long blockedUntil;
    int registryFailures;
    CompletableFuture<Void> drained;

    PartitionState(TopicPartition tp) {
      this.tp = tp;
      this.delivery =
          new PartitionDelivery(
              http, policy, scheduler, o -> events.add(() -> onOutcome(this, o)), metrics);
    }

    /** The offset to commit: the first unsettled record's, or the next to read. */
    long committable() {
      while (!slots.isEmpty() && slots.peekFirst().settled) {
        byOffset.remove(slots.pollFirst().record.offset());
      }
      return slots.isEmpty() ? next : slots.peekFirst().record.offset();
    }

    /** Records read and not yet settled (settled ones at the head are dropped first). */
    int unsettled() {
      committable();
      return slots.size();
    }

    boolean current() {
      return partitions.get(tp) == this;
    }
  }

  /** The loop's state. */
  public State state() {
    return state.get();
  }

  /** Why the loop failed, or null. */
  public Throwable failure() {
    return failure;
  }

  /** Asks the loop to stop gracefully (see the class comment); returns at once. */
  public void stop() {
    stopRequested = true;
    consumer.wakeup();
  }

  /**
   * Waits until the loop ended.
   *
   * @return false when it had not ended within {@code timeout}
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(topic), new Rebalance());
      while (!stopRequested) {
        ConsumerRecords<byte[], byte[]> records;
        try {
          records = consumer.poll(POLL);
        } catch (WakeupException e) {
          continue;
        }
        state.compareAndSet(State.STARTING, State.RUNNING);
        for (TopicPartition tp : records.partitions()) {
          handle(tp, records.records(tp));
        }
        runEvents();
        unblockAndFlowControl();
        commitIfDue(false);
        updateGauges();
      }
      shutDown();
      state.set(State.STOPPED);
    } catch (RuntimeException | Error e) {
      failure = e;
      state.set(State.FAILED);
      LOG.error("Delivery loop of topic {} failed; stopping", topic, e);
      abandonAll();
      try {
        consumer.close(Duration.ofSeconds(5));
      } catch (RuntimeException closing) {
        LOG.warn("Cannot close the consumer", closing);
      }
    } finally {
      finished.countDown();
    }
  }

  private void handle(TopicPartition tp, List<ConsumerRecord<byte[], byte[]>> records) {
    PartitionState s = partitions.get(tp);
    if (s == null) {
      // assigned without the listener seeing it (cannot happen with subscribe): start it now
      s = new PartitionState(tp);
      partitions.put(tp, s);
    }
    for (ConsumerRecord<byte[], byte[]> r : records) {
      if (!accept(s, r)) {
        return; // the partition was rewound to r and paused
      }
    }
  }

  /** Takes one record; false when the registry failed and the partition was rewound to it. */
  private boolean accept(PartitionState s, ConsumerRecord<byte[], byte[]> r) {
    String key = idempotencyKey(r);
    IndexedRecord value = null;
    String unreadable = null;
    if (r.value() == null) {
      unreadable = "record has no value (tombstone)";
    } else {
      try {
        value = decoder.decode(r.topic(), r.headers(), r.value());
        if (value == null) {
          unreadable = "value decoded to null";
        }
      } catch (SchemaRegistryException e) {
        s.registryFailures++;
        long wait =
            Math.min(
                REGISTRY_BACKOFF_MAX.toMillis(),
                REGISTRY_BACKOFF_MIN.toMillis() << Math.min(5, s.registryFailures - 1));
        if (s.registryFailures == 1) {
          LOG.warn(
              "Schema registry failed reading {}-{}@{}: {}; pausing the partition, retrying in {} ms",
              r.topic(),
              r.partition(),
              r.offset(),
              e.getMessage(),
              wait);
        }
        s.blockedUntil = clock.millis() + wait;
        consumer.seek(s.tp, r.offset());
        consumer.pause(List.of(s.tp));
        return false;
      } catch (RuntimeException e) {
        unreadable = "value cannot be read: " + e.getMessage();
      }
    }
    if (s.registryFailures > 0) {
      LOG.info("Schema registry answers again; {} resumes", s.tp);
      s.registryFailures = 0;
    }
    Slot slot = new Slot(r);
    s.slots.add(slot);
    s.byOffset.put(r.offset(), slot);
    s.next = r.offset() + 1;
    if (unreadable != null) {
      LOG.warn(
          "{}-{}@{} cannot be delivered: {}", r.topic(), r.partition(), r.offset(), unreadable);
      deadLetter(
          s,
          slot,
          key,
          null,
          new DeadLetterWriter.Failure(ErrorType.DELIVERY_REJECTED, unreadable, 0, "", 0, null));
      return true;
    }
    s.delivery.submit(
        new DeliveryRecord(r.key(), value, key, r.topic(), r.partition(), r.offset()));
    return true;
  }

  /**
   * The record's {@code idempotency-key} header; when missing or not printable ASCII, {@code
   * <topic>/<partition>/<offset>}.
   */
  static String idempotencyKey(ConsumerRecord<byte[], byte[]> r) {
    Header h = r.headers().lastHeader(IDEMPOTENCY_KEY_HEADER);
    if (h != null && h.value() != null) {
      String key = new String(h.value(), StandardCharsets.UTF_8);
      if (!key.isEmpty()
          && key.length() <= DeliveryRecord.MAX_IDEMPOTENCY_KEY
          && key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
        return key;
      }
      LOG.warn(
          "{}-{}@{} has an idempotency-key header that is not 1 to {} printable ASCII characters;"
              + " using its coordinates",
          r.topic(),
          r.partition(),
          r.offset(),
          DeliveryRecord.MAX_IDEMPOTENCY_KEY);
    }
    return r.topic() + "/" + r.partition() + "/" + r.offset();
  }

  private void onOutcome(PartitionState s, RecordOutcome o) {
    if (!s.current()) {
      return;
    }
    Slot slot = s.byOffset.get(o.record().offset());
    if (slot == null) {
      return;
    }
    switch (o.kind()) {
      case DELIVERED -> slot.settled = true;
      case REJECTED ->
          deadLetter(
              s,
              slot,
              o.record().idempotencyKey(),
              o.record().value(),
              new DeadLetterWriter.Failure(
                  ErrorType.DELIVERY_REJECTED,
                  o.status() == 0
                      ? o.detail()
                      : "the endpoint refused the record with HTTP " + o.status(),
                  o.status(),
                  o.status() == 0 ? "" : o.detail(),
                  o.attempts(),
                  null));
      case EXHAUSTED ->
          deadLetter(
              s,
              slot,
              o.record().idempotencyKey(),
              o.record().value(),
              new DeadLetterWriter.Failure(
                  ErrorType.DELIVERY_EXHAUSTED,
                  "not delivered within delivery.retry.deadline.ms ("
                      + policy.deadlineIfAny().map(Duration::toString).orElse("none")
                      + "); last attempt: "
                      + o.detail(),
                  o.status(),
                  "",
                  o.attempts(),
                  null));
    }
  }

  private void deadLetter(
      PartitionState s,
      Slot slot,
      String key,
      IndexedRecord value,
      DeadLetterWriter.Failure failure) {
    deadLetters
        .write(slot.record, key, value, failure)
        .whenComplete(
            (ok, error) ->
                events.add(
                    () -> {
                      if (!s.current()) {
                        return;
                      }
                      if (error == null) {
                        slot.settled = true;
                        metrics.deadLettered(
                            failure,
                            DeadLetterWriter.field(value, "orderId"),
                            DeadLetterWriter.field(value, "lineId"),
                            DeadLetterWriter.field(value, "configurationId"),
                            key);
                        return;
                      }
                      try (LogContext c =
                          LogContext.line(
                              DeadLetterWriter.field(value, "eventId"),
                              DeadLetterWriter.field(value, "orderId"),
                              DeadLetterWriter.field(value, "lineId"),
                              DeadLetterWriter.field(value, "configurationId"))) {
                        LOG.error(
                            "Cannot write the dead letter of {}-{}@{} to {}: {}; trying again in"
                                + " {}",
                            slot.record.topic(),
                            slot.record.partition(),
                            slot.record.offset(),
                            deadLetters.topic(),
                            error.toString(),
                            DEAD_LETTER_RETRY);
                      }
                      scheduler.schedule(
                          () ->
                              events.add(
                                  () -> {
                                    if (s.current()) {
                                      deadLetter(s, slot, key, value, failure);
                                    }
                                  }),
                          DEAD_LETTER_RETRY.toMillis(),
                          TimeUnit.MILLISECONDS);
                    }));
  }

  private void runEvents() {
    Runnable e;
    while ((e = events.poll()) != null) {
      e.run();
    }
  }

  /** Resumes partitions whose registry wait is over or whose backlog went down; pauses others. */
  private void unblockAndFlowControl() {
    long now = clock.millis();
    List<TopicPartition> pause = new ArrayList<>();
    List<TopicPartition> resume = new ArrayList<>();
    for (PartitionState s : partitions.values()) {
      boolean blocked = s.blockedUntil > now;
      int unsettled = s.unsettled();
      if (!s.backpressure && unsettled >= maxPending) {
        s.backpressure = true;
      } else if (s.backpressure && unsettled <= maxPending / 2) {
        s.backpressure = false;
      }
      if (s.backpressure) {
        // reading is paused: the queued records are all there will be, a linger would only stall
        s.delivery.flush();
      }
      if (blocked || s.backpressure) {
        pause.add(s.tp);
      } else {
        s.blockedUntil = 0;
        resume.add(s.tp);
      }
    }
    if (!pause.isEmpty()) {
      consumer.pause(pause);
    }
    if (!resume.isEmpty()) {
      Set<TopicPartition> paused = consumer.paused();
      List<TopicPartition> toResume = resume.stream().filter(paused::contains).toList();
      if (!toResume.isEmpty()) {
        consumer.resume(toResume);
      }
    }
  }

  private void commitIfDue(boolean force) {
    long now = clock.millis();
    if (!force && now - lastCommit < COMMIT_INTERVAL.toMillis()) {
      return;
    }
    lastCommit = now;
    Map<TopicPartition, OffsetAndMetadata> offsets = committable(partitions.values());
    if (offsets.isEmpty()) {
      return;
    }
    consumer.commitAsync(
        offsets,
        (done, error) -> {
          if (error != null) {
            if (error instanceof org.apache.kafka.common.errors.RebalanceInProgressException) {
              // routine while the group rebalances; the revocation commits synchronously
              LOG.debug("Offset commit deferred by a rebalance: {}", error.toString());
            } else {
              LOG.warn("Offset commit failed (retried with the next one): {}", error.toString());
            }
            for (TopicPartition tp : offsets.keySet()) {
              PartitionState s = partitions.get(tp);
              if (s != null) {
                s.committed = -1;
              }
            }
          }
        });
  }

  private static Map<TopicPartition, OffsetAndMetadata> committable(
      Collection<PartitionState> states) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (PartitionState s : states) {
      long offset = s.committable();
      if (offset >= 0 && offset != s.committed) {
        offsets.put(s.tp, new OffsetAndMetadata(offset));
        s.committed = offset;
      }
    }
    return offsets;
  }

  private void commitSync(Collection<PartitionState> states) {
    Map<TopicPartition, OffsetAndMetadata> offsets = committable(states);
    if (offsets.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(offsets);
    } catch (RuntimeException e) {
      LOG.warn(
          "Cannot commit {} (those records will be delivered again): {}", offsets, e.toString());
    }
  }

  private void updateGauges() {
    long inFlight = 0;
    long lag = 0;
    for (PartitionState s : partitions.values()) {
      inFlight += s.unsettled();
      OptionalLong l = consumer.currentLag(s.tp);
      if (l.isPresent()) {
        lag += l.getAsLong();
      }
    }
    metrics.inFlight(inFlight);
    metrics.lag(lag);
    metrics.assigned(partitions.size());
  }

  private void shutDown() {
    state.set(State.STOPPING);
    LOG.info("Stopping: finishing the requests in flight (up to {})", shutdownTimeout);
    consumer.pause(consumer.assignment());
    for (PartitionState s : partitions.values()) {
      s.drained = s.delivery.finishInFlight();
    }
    long deadline = clock.millis() + shutdownTimeout.toMillis();
    while (clock.millis() < deadline
        && !partitions.values().stream().allMatch(s -> s.drained.isDone())) {
      try {
        consumer.poll(POLL);
      } catch (WakeupException e) {
        // stop() again: keep finishing
      }
      runEvents();
    }
    abandonAll();
    runEvents();
    deadLetters.flush();
    runEvents();
    commitSync(new ArrayList<>(partitions.values()));
    partitions.clear();
    updateGauges();
    consumer.close(Duration.ofSeconds(10));
    LOG.info("Stopped");
  }

  private void abandonAll() {
    for (PartitionState s : partitions.values()) {
      s.delivery.close();
    }
  }

  /** Keeps the per-partition state in step with the group's assignment. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      List<PartitionState> gone = new ArrayList<>();
      for (TopicPartition tp : revoked) {
        PartitionState s = partitions.get(tp);
        if (s != null) {
          s.delivery.close();
          gone.add(s);
        }
      }
      if (gone.isEmpty()) {
        return;
      }
      // outcomes queued before the close may start dead letters: start them, then wait for all
      runEvents();
      deadLetters.flush();
      runEvents();
      commitSync(gone);
      gone.forEach(s -> partitions.remove(s.tp));
      LOG.info("Partitions revoked: {}", revoked);
      updateGauges();
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
      for (TopicPartition tp : lost) {
        PartitionState s = partitions.remove(tp);
        if (s != null) {
          s.delivery.close();
        }
      }
      LOG.warn("Partitions lost (their uncommitted records will be delivered again): {}", lost);
      updateGauges();
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      Set<TopicPartition> fresh = new HashSet<>(assigned);
      fresh.removeAll(partitions.keySet());
      for (TopicPartition tp : fresh) {
        partitions.put(tp, new PartitionState(tp));
      }
      if (!assigned.isEmpty()) {
        LOG.info("Partitions assigned: {}", assigned);
      }
      updateGauges();
    }
  }
}
