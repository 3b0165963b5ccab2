package dev.twikitorders.enricher.topology;

import dev.twikitorders.enricher.enrichment.LineOutcome;
import dev.twikitorders.enricher.enrichment.OrderEnricher;
import dev.twikitorders.enricher.records.DecodedEvent;
import dev.twikitorders.enricher.records.EventDecoder;
import dev.twikitorders.enricher.records.Outputs;
import dev.twikitorders.enricher.records.SourceRecord;
import dev.twikitorders.enricher.stats.PipelineStats;
import dev.twikitorders.schemas.OrderEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads raw order events, enriches them asynchronously with many calls in flight, and emits the
 * ERP, fulfillment and dead-letter records of each event in input order per order.
 *
 * <p>How it keeps the invariants of docs/contracts.md (details in docs/async-enrichment.md):
 *
 * <ul>
 *   <li>Every admitted event is written to the changelogged {@value #STORE} store before its calls
 *       start and deleted in the same transaction that carries its outputs. Under exactly_once_v2
 *       the input offset, the store's changelog and the outputs commit atomically, so an event is,
 *       at every commit, either fully emitted or pending in the store. After a crash or rebalance
 *       the next owner restores the store and re-issues the pending events in offset order ({@link
 *       #init}).
 *   <li>Outputs of one order leave in input order: events wait in a per-order FIFO and only its
 *       head is emitted, once complete.
 *   <li>All Kafka interaction (forward, store) stays on the stream thread; HTTP threads only
 *       complete futures and hand the finished work back through a queue.
 *   <li>Backpressure: at most {@link Settings#maxPendingEvents()} events per task are pending;
 *       {@code process()} then waits for completions, at most {@link Settings#maxBlock()} per call,
 *       so the thread keeps polling well within {@code max.poll.interval.ms}.
 * </ul>
 *
 * <p>Not thread-safe: one instance per task, driven by its stream thread.
 */
public final class OrderEnrichmentProcessor
    implements Processor<byte[], byte[], String, SpecificRecord> {
  /**
   * How the processor runs.
   *
   * @param maxPendingEvents events whose outputs are not yet emitted, per task; when reached,
   *     {@code process()} waits for completions (backpressure) for at most {@code maxBlock}
   * @param maxBlock the longest one {@code process()} call waits for capacity; keep it well under
   *     {@code max.poll.interval.ms}
   * @param drainInterval how often (wall clock) completed work is emitted when no input arrives
   * @param replayId set on replays: added as the {@code replay-id} header; null for the live run
   */
  public record Settings(
      int maxPendingEvents, Duration maxBlock, Duration drainInterval, String replayId) {
    public static final int DEFAULT_MAX_PENDING_EVENTS = 1_000;
    public static final Duration DEFAULT_MAX_BLOCK = Duration.ofSeconds(10);
    public static final Duration DEFAULT_DRAIN_INTERVAL = Duration.ofMillis(5);

    public Settings {
      if (maxPendingEvents < 1) {
        throw new IllegalArgumentException(
            "maxPendingEvents must be >= 1, was " + maxPendingEvents);
      }
      Objects.requireNonNull(maxBlock, "maxBlock");
      Objects.requireNonNull(drainInterval, "drainInterval");
      if (maxBlock.isNegative() || drainInterval.isNegative() || drainInterval.isZero()) {
        throw new IllegalArgumentException("maxBlock must be >= 0 and drainInterval > 0");
      }
    }

    public static Settings defaults() {
      return new Settings(
          DEFAULT_MAX_PENDING_EVENTS, DEFAULT_MAX_BLOCK, DEFAULT_DRAIN_INTERVAL, null);
    }

    public Settings withReplayId(String id) {
      return new Settings(maxPendingEvents, maxBlock, drainInterval, id);
    }
  }

  /** Name of the changelogged store of pending events. */
  public static final String STORE = "pending-events";

  private static final Logger LOG = LoggerFactory.getLogger(OrderEnrichmentProcessor.class);

  private final EventDecoder decoder;
  private final OrderEnricher enricher;
  private final Settings settings;
  private final SinkNames sinks;
  private final PipelineStats stats;
  private final Clock clock;

  private final Map<String, ArrayDeque<Work>> queues = new HashMap<>();
  private final LinkedBlockingQueue<Work> completions = new LinkedBlockingQueue<>();
  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<Bytes, byte[]> store;
  private Cancellable drain;
  private int pending;
  private volatile boolean closed;

  /** The names of the three sink nodes the processor forwards to. */
  public record SinkNames(String erp, String fulfillment, String deadLetters) {}

  public OrderEnrichmentProcessor(
      EventDecoder decoder,
      OrderEnricher enricher,
      Settings settings,
      SinkNames sinks,
      PipelineStats stats,
      Clock clock) {
    this.decoder = decoder;
    this.enricher = enricher;
    this.settings = settings;
    this.sinks = sinks;
    this.stats = stats;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.store = context.getStateStore(STORE);
    int restored = 0;
    // the store is restored before init: re-issue what was in flight, in offset order; nothing is
    // forwarded from init, the first drain emits what completes
    try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
      while (it.hasNext()) {
        SourceRecord event = SourceRecord.decode(it.next().value);
        admit(event, false);
        restored++;
      }
    }
    if (restored > 0) {
      LOG.info("Task {}: re-issued {} pending events after restore", context.taskId(), restored);
      for (int i = 0; i < restored; i++) {
        stats.restored();
      }
    }
    this.drain =
        context.schedule(
            settings.drainInterval(), PunctuationType.WALL_CLOCK_TIME, ts -> drainCompleted());
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata md =
        context
            .recordMetadata()
            .orElseThrow(() -> new IllegalStateException("process() without record metadata"));
    SourceRecord event =
        new SourceRecord(
            md.topic(),
            md.partition(),
            md.offset(),
            record.timestamp(),
            record.key(),
            record.value());
    stats.eventRead();
    awaitCapacity();
    admit(event, true);
    drainCompleted();
  }

  @Override
  public void close() {
    closed = true;
    if (drain != null) {
      drain.cancel();
    }
    // calls still in flight complete into a queue nobody reads; the store re-issues them later
    stats.pendingDelta(-pending);
    pending = 0;
    queues.clear();
    completions.clear();
  }

  private void admit(SourceRecord event, boolean persist) {
    DecodedEvent decoded = decoder.decode(event.topic(), event.key(), event.value());
    Work work = new Work(event, decoded, orderingKey(event, decoded));
    if (decoded instanceof DecodedEvent.Valid valid) {
      start(work, valid.event());
    } else {
      work.finish(List.of(), null);
    }
    ArrayDeque<Work> queue = queues.get(work.orderingKey);
    if (persist && (queue == null || queue.isEmpty()) && work.isDone()) {
      // nothing of this order is waiting and the work is done: emit now, no store round trip
      emit(work);
      return;
    }
    if (queue == null) {
      queue = new ArrayDeque<>();
      queues.put(work.orderingKey, queue);
    }
    queue.addLast(work);
    pending++;
    stats.pendingDelta(1);
    if (persist) {
      store.put(Bytes.wrap(event.storeKey()), event.encode());
    }
    if (work.isDone()) {
      // restored work that needs no call (or is already done) is emitted by the next drain
      completions.add(work);
    }
  }

  private void start(Work work, OrderEvent event) {
    CompletableFuture<List<LineOutcome>> future;
    try {
      future = enricher.enrich(event);
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    future.whenComplete(
        (outcomes, error) -> {
          if (closed) {
            return;
          }
          work.finish(outcomes, error);
          completions.add(work);
        });
  }

  private void awaitCapacity() {
    if (pending < settings.maxPendingEvents()) {
      return;
    }
    long deadline = System.nanoTime() + settings.maxBlock().toNanos();
    while (pending >= settings.maxPendingEvents()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        LOG.warn(
            "Task {}: {} events pending and none completed within {}; admitting more (the Twikit API is slow or down)",
            context.taskId(),
            pending,
            settings.maxBlock());
        return;
      }
      Work done;
      try {
        done = completions.poll(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (done != null) {
        release(done);
      }
    }
  }

  private void drainCompleted() {
    Work done;
    while ((done = completions.poll()) != null) {
      release(done);
    }
  }

  /** Emits the completed heads of the queue {@code done} belongs to. */
  private void release(Work done) {
    if (done.emitted) {
      return;
    }
    ArrayDeque<Work> queue = queues.get(done.orderingKey);
    while (queue != null && !queue.isEmpty() && queue.peekFirst().isDone()) {
      Work head = queue.pollFirst();
      emit(head);
      store.delete(Bytes.wrap(head.event.storeKey()));
      pending--;
      stats.pendingDelta(-1);
    }
    if (queue != null && queue.isEmpty()) {
      queues.remove(done.orderingKey);
    }
  }

  private void emit(Work work) {
    work.emitted = true;
    Instant now = clock.instant();
    long timestamp = now.toEpochMilli();
    for (Outputs.Output output :
        Outputs.of(work.event, work.decoded, work.outcomes, work.error, settings.replayId(), now)) {
      String sink =
          switch (output.role()) {
            case ERP -> sinks.erp();
            case FULFILLMENT -> sinks.fulfillment();
            case DEAD_LETTER -> sinks.deadLetters();
          };
      context.forward(
          new Record<>(output.key(), output.value(), timestamp, output.headers()), sink);
      count(output);
    }
  }

  private void count(Outputs.Output output) {
    switch (output.role()) {
      case ERP -> {
        if (((dev.twikitorders.schemas.ConfigurationSummary) output.value()).getStatus()
            == dev.twikitorders.schemas.LineStatus.CANCELLED) {
          stats.lineCancelled();
        } else {
          stats.lineEnriched();
        }
      }
      case FULFILLMENT -> {}
      case DEAD_LETTER ->
          stats.deadLettered(((dev.twikitorders.schemas.DeadLetter) output.value()).getErrorType());
    }
  }

  private static String orderingKey(SourceRecord event, DecodedEvent decoded) {
    if (decoded instanceof DecodedEvent.Valid valid) {
      return valid.event().getOrderId();
    }
    DecodedEvent.Rejected rejected = (DecodedEvent.Rejected) decoded;
    if (rejected.orderId() != null) {
      return rejected.orderId();
    }
    return event.key() == null ? "" : new String(event.key(), StandardCharsets.UTF_8);
  }

  /** One admitted event. Fields written by the completing thread are published by the queue. */
  private static final class Work {
    final SourceRecord event;
    final DecodedEvent decoded;
    final String orderingKey;
    volatile boolean done;
    List<LineOutcome> outcomes;
    Throwable error;
    boolean emitted;

    Work(SourceRecord event, DecodedEvent decoded, String orderingKey) {
      this.event = event;
      this.decoded = decoded;
      this.orderingKey = orderingKey;
    }

    void finish(List<LineOutcome> outcomes, Throwable error) {
      this.outcomes = outcomes == null ? List.of() : outcomes;
      this.error = error;
      this.done = true; // volatile write publishes outcomes and error
    }

    boolean isDone() {
      return done;
    }
  }
}
