package dev.twikitorders.enricher.topology;

import dev.twikitorders.enricher.enrichment.LineOutcome;
import dev.twikitorders.enricher.enrichment.OrderEnricher;
import dev.twikitorders.enricher.flow.InputGate;
import dev.twikitorders.enricher.flow.SystemPauses;
import dev.twikitorders.enricher.records.DecodedEvent;
import dev.twikitorders.enricher.records.EventDecoder;
import dev.twikitorders.enricher.records.Outputs;
import dev.twikitorders.enricher.records.PipelineTopics;
import dev.twikitorders.enricher.records.SourceRecord;
import dev.twikitorders.enricher.records.Topic;
import dev.twikitorders.enricher.stats.PipelineStats;
import dev.twikitorders.registry.SchemaRegistryException;
import dev.twikitorders.schemas.ConfigurationSummary;
import dev.twikitorders.schemas.DeadLetter;
import dev.twikitorders.schemas.ErrorType;
import dev.twikitorders.schemas.FulfillmentConfiguration;
import dev.twikitorders.schemas.LineStatus;
import dev.twikitorders.schemas.OrderEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
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
 *   <li>Bounded: at most {@link Settings#maxPendingEvents()} events per task have calls in flight.
 *       The first event beyond that waits in {@code process()} for a free slot, at most {@link
 *       Settings#maxBlock()} (short when calls complete quickly); if none frees, it is stored but
 *       <em>parked</em> (its calls start when a slot frees) and the task asks the {@link InputGate}
 *       to hold its partition, so the consumer stops fetching it. Later events park at once while
 *       anything is parked, so parked events are bounded by what Kafka Streams had already
 *       buffered, and no {@code process()} call waits longer than {@code maxBlock}: no transaction
 *       stays open and no poll is delayed beyond it because the Twikit API is slow or down. The
 *       sync mode also waits, within the same bound, for the one event it has in flight.
 *   <li>Failures of the whole system pause, never dead-letter: while {@link SystemPauses} reports a
 *       cause, parked events do not start and every partition is held. An output the schema
 *       registry cannot give an id for stays unemitted and is retried with backoff ({@link
 *       SystemPauses.Cause#SCHEMA_REGISTRY}). An output that cannot be encoded, or that is larger
 *       than the producer may send ({@link Settings#maxOutputBytes()}), is about its own line: that
 *       line gets one {@code PRODUCTION_ERROR} dead letter instead of its two outputs.
 *   <li>Closing the task (rebalance, shutdown) cancels its events' calls: a revoked task makes no
 *       further API calls; the next owner re-issues from the store.
 * </ul>
 *
 * <p>Values are serialized here, not in the sink nodes, so that an event's outputs are known to be
 * encodable before the first of them is forwarded: an event is emitted whole or not at all.
 *
 * <p>Not thread-safe: one instance per task, driven by its stream thread.
 */
public final class OrderEnrichmentProcessor implements Processor<byte[], byte[], String, byte[]> {
  /**
   * How the processor runs.
   *
   * @param maxPendingEvents events with calls in flight, per task; beyond that events are parked
   *     and the task's partition is held at the source
   * @param maxBlock the longest one {@code process()} call waits: for a free slot when the task is
   *     at its bound (then the event is parked), and with {@code awaitEach} for the event itself;
   *     zero never waits
   * @param awaitEach the sync mode: {@code process()} waits for the event it admitted
   * @param drainInterval how often (wall clock) completed work is emitted when no input arrives
   * @param maxOutputBytes the largest output record (key, value and headers) the producer accepts
   *     ({@code max.request.size}); a larger one is dead-lettered as {@code PRODUCTION_ERROR}
   * @param replayId set on replays: added as the {@code replay-id} header; null for the live run
   */
  public record Settings(
      int maxPendingEvents,
      Duration maxBlock,
      boolean awaitEach,
      Duration drainInterval,
      int maxOutputBytes,
      String replayId) {
    public static final int DEFAULT_MAX_PENDING_EVENTS = 1_000;
    public static final Duration DEFAULT_DRAIN_INTERVAL = Duration.ofMillis(5);

    /** Kafka's default {@code max.request.size}. */
    public static final int DEFAULT_MAX_OUTPUT_BYTES = 1_048_576;

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
      if (maxOutputBytes < 1) {
        throw new IllegalArgumentException("maxOutputBytes must be >= 1, was " + maxOutputBytes);
      }
    }

    /** The asynchronous defaults. */
    public static Settings defaults() {
      return new Settings(
          DEFAULT_MAX_PENDING_EVENTS,
          Duration.ZERO,
          false,
          DEFAULT_DRAIN_INTERVAL,
          DEFAULT_MAX_OUTPUT_BYTES,
          null);
    }

    public Settings withReplayId(String id) {
      return new Settings(maxPendingEvents, maxBlock, awaitEach, drainInterval, maxOutputBytes, id);
    }
  }

  /** Name of the changelogged store of pending events. */
  public static final String STORE = "pending-events";

  /** Room left in a request for the record batch and record framing around key, value, headers. */
  private static final int RECORD_OVERHEAD_BYTES = 256;

  private static final Duration REGISTRY_BACKOFF_MIN = Duration.ofSeconds(1);
  private static final Duration REGISTRY_BACKOFF_MAX = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(OrderEnrichmentProcessor.class);

  private final EventDecoder decoder;
  private final OrderEnricher enricher;
  private final Settings settings;
  private final PipelineTopics topics;
  private final Map<Outputs.Role, Target> targets;
  private final InputGate gate;
  private final PipelineStats stats;
  private final Clock clock;

  private final Map<String, ArrayDeque<Work>> queues = new HashMap<>();
  private final ArrayDeque<Work> parked = new ArrayDeque<>();

  /** Pending events in admission order: the first is the oldest (removed when emitted). */
  private final java.util.LinkedHashSet<Work> admissionOrder = new java.util.LinkedHashSet<>();

  private final LinkedBlockingQueue<Work> completions = new LinkedBlockingQueue<>();
  private ProcessorContext<String, byte[]> context;
  private KeyValueStore<Bytes, byte[]> store;
  private TopicPartition partition;
  private String taskId;
  private Cancellable drain;
  private int pending;
  private int inFlight;
  private boolean holding;
  private long reportedOldest = Long.MAX_VALUE;
  private int registryFailures;
  private long registryRetryAtMillis;
  private volatile boolean closed;

  /** The names of the three sink nodes the processor forwards to. */
  public record SinkNames(String erp, String fulfillment, String deadLetters) {}

  public OrderEnrichmentProcessor(
      EventDecoder decoder,
      OrderEnricher enricher,
      Settings settings,
      SinkNames sinks,
      PipelineTopics topics,
      InputGate gate,
      PipelineStats stats,
      Clock clock) {
    this.decoder = decoder;
    this.enricher = enricher;
    this.settings = settings;
    this.topics = topics;
    this.targets = targets(topics, sinks);
    this.gate = gate;
    this.stats = stats;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    this.store = context.getStateStore(STORE);
    this.partition = new TopicPartition(topics.orderEvents().name(), context.taskId().partition());
    this.taskId = context.taskId().toString();
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
      LOG.info(
          "Task {}: re-issued {} pending events after restore ({} started, {} parked)",
          taskId,
          restored,
          inFlight,
          parked.size());
      for (int i = 0; i < restored; i++) {
        stats.restored();
      }
    }
    updateGate();
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
    long deadline = System.nanoTime() + settings.maxBlock().toNanos();
    if (inFlight >= settings.maxPendingEvents() && parked.isEmpty() && mayStart()) {
      // cheap when calls complete fast; bounded when they do not
      awaitUntil(() -> inFlight < settings.maxPendingEvents(), deadline);
    }
    Work work = admit(event, true);
    if (work != null && settings.awaitEach()) {
      awaitUntil(() -> work.emitted, deadline);
    }
    drainCompleted();
  }

  /**
   * Waits until {@code reached} holds or {@code deadline} (System.nanoTime) passes, emitting what
   * completes meanwhile and starting what was parked behind it. The first event beyond the bound
   * waits for a slot this way; later ones park at once while anything is parked. The sync mode also
   * waits for its event: if that takes longer, it completes in the background and later records
   * park behind it.
   */
  private void awaitUntil(java.util.function.BooleanSupplier reached, long deadline) {
    while (!reached.getAsBoolean() && !closed) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
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
        startParked();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    if (drain != null) {
      drain.cancel();
    }
    // a revoked task makes no further calls: cancel what is in flight or retrying; the store keeps
    // the events and their next owner re-issues them
    int cancelled = 0;
    for (ArrayDeque<Work> queue : queues.values()) {
      for (Work w : queue) {
        if (w.future != null && !w.future.isDone()) {
          w.future.cancel(false);
          cancelled++;
        }
      }
    }
    if (cancelled > 0) {
      LOG.info("Task {}: closed; cancelled the calls of {} pending events", taskId, cancelled);
    }
    stats.pendingDelta(-pending);
    stats.parkedDelta(-parked.size());
    stats.taskOldest(taskId, Long.MAX_VALUE);
    pending = 0;
    inFlight = 0;
    queues.clear();
    parked.clear();
    admissionOrder.clear();
    completions.clear();
    if (partition != null) {
      gate.release(partition);
    }
  }

  /**
   * Admits one event: emits it at once when it needs nothing and nothing of its order waits,
   * otherwise queues it behind its order, stores it (when {@code persist}) and starts or parks it.
   *
   * @return the work when it was queued, null when it was emitted at once
   */
  private Work admit(SourceRecord event, boolean persist) {
    DecodedEvent decoded = decoder.decode(event.topic(), event.key(), event.value());
    Work work = new Work(event, decoded, orderingKey(event, decoded), clock.millis());
    ArrayDeque<Work> queue = queues.get(work.orderingKey);
    if (!(decoded instanceof DecodedEvent.Valid)) {
      work.finish(List.of(), null);
      if (persist && (queue == null || queue.isEmpty()) && emit(work)) {
        // nothing of this order is waiting and the record needs no call: no store round trip
        return null;
      }
    }
    if (queue == null) {
      queue = new ArrayDeque<>();
      queues.put(work.orderingKey, queue);
    }
    queue.addLast(work);
    admissionOrder.add(work);
    pending++;
    stats.pendingDelta(1);
    if (persist) {
      store.put(Bytes.wrap(event.storeKey()), event.encode());
    }
    if (work.isDone()) {
      completions.add(work); // emitted by the next drain, in order behind its order's queue
    } else if (parked.isEmpty() && inFlight < settings.maxPendingEvents() && mayStart()) {
      start(work);
    } else {
      parked.addLast(work);
      stats.parkedDelta(1);
    }
    updateGate();
    return work;
  }

  /** Kafka Streams' wall-clock time (mocked under TopologyTestDriver), for backoff timing. */
  private long now() {
    return context.currentSystemTimeMs();
  }

  private boolean mayStart() {
    return inFlight == 0 || !gate.pauses().paused();
  }

  private void start(Work work) {
    OrderEvent event = ((DecodedEvent.Valid) work.decoded).event();
    inFlight++;
    work.started = true;
    CompletableFuture<List<LineOutcome>> future;
    try {
      future = enricher.enrich(event);
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    work.future = future;
    future.whenComplete(
        (outcomes, error) -> {
          if (closed) {
            return;
          }
          work.finish(outcomes, error);
          completions.add(work);
        });
  }

  private void drainCompleted() {
    if (closed) {
      return;
    }
    if (registryFailures > 0 && now() >= registryRetryAtMillis) {
      retryBlockedHeads();
    }
    // events started from the parked queue may complete at once (no call needed): keep going
    // until neither completions nor startable events are left
    do {
      Work done;
      while ((done = completions.poll()) != null) {
        release(done);
      }
      startParked();
    } while (!completions.isEmpty());
    updateGate();
    updateOldest();
  }

  /**
   * Starts parked events while slots are free and nothing pauses the pipeline. While paused, a task
   * with nothing in flight still starts one event: the calls in flight are what find out that the
   * cause is gone, and the tasks that had them may have been revoked.
   */
  private void startParked() {
    while (!parked.isEmpty() && inFlight < settings.maxPendingEvents() && mayStart()) {
      Work w = parked.pollFirst();
      stats.parkedDelta(-1);
      start(w);
    }
  }

  private void updateGate() {
    boolean hold = !parked.isEmpty() || inFlight >= settings.maxPendingEvents();
    if (hold != holding && partition != null) {
      holding = hold;
      if (hold) {
        gate.hold(partition);
      } else {
        gate.release(partition);
      }
    }
  }

  private void updateOldest() {
    long oldest =
        admissionOrder.isEmpty() ? Long.MAX_VALUE : admissionOrder.getFirst().admittedAtMillis;
    if (oldest != reportedOldest) {
      reportedOldest = oldest;
      stats.taskOldest(taskId, oldest);
    }
  }

  /** Emits the completed heads of the queue {@code done} belongs to. */
  private void release(Work done) {
    if (done.started && !done.released) {
      done.released = true;
      inFlight--;
    }
    if (!done.emitted) {
      releaseHeads(done.orderingKey);
    }
  }

  private void releaseHeads(String orderingKey) {
    if (registryFailures > 0 && now() < registryRetryAtMillis) {
      return; // the registry failed: emit nothing until the next backoff step
    }
    ArrayDeque<Work> queue = queues.get(orderingKey);
    while (queue != null && !queue.isEmpty() && queue.peekFirst().isDone()) {
      Work head = queue.peekFirst();
      if (!emit(head)) {
        return; // the schema registry failed: the head waits for the next try, the order behind it
      }
      queue.pollFirst();
      admissionOrder.remove(head);
      store.delete(Bytes.wrap(head.event.storeKey()));
      pending--;
      stats.pendingDelta(-1);
    }
    if (queue != null && queue.isEmpty()) {
      queues.remove(orderingKey);
    }
  }

  /** After a registry failure: tries the completed heads again (all orders, once per backoff). */
  private void retryBlockedHeads() {
    for (String key : new ArrayList<>(queues.keySet())) {
      releaseHeads(key);
      if (registryRetryAtMillis > now()) {
        return; // failed again: wait for the next backoff step
      }
    }
  }

  /** Encodes and forwards the outputs of {@code work}; false when the registry failed. */
  private boolean emit(Work work) {
    Instant now = clock.instant();
    List<Encoded> encoded = encode(work, work.outcomes, now);
    if (encoded == null) {
      return false;
    }
    work.emitted = true;
    long timestamp = now.toEpochMilli();
    for (Encoded e : encoded) {
      context.forward(new Record<>(e.key, e.value, timestamp, e.headers), e.sink);
      count(e.output);
    }
    if (work.decoded instanceof DecodedEvent.Valid valid
        && valid.event().getOccurredAt() != null
        && !encoded.isEmpty()) {
      stats.emitted(Duration.between(valid.event().getOccurredAt(), now));
    }
    return true;
  }

  private record Encoded(
      String sink, String key, byte[] value, Headers headers, Outputs.Output output) {}

  /**
   * The serialized outputs of {@code work}, or null when the schema registry could not give an id
   * (the pipeline is then paused for {@link SystemPauses.Cause#SCHEMA_REGISTRY}). A line whose
   * output cannot be encoded or is too large becomes a dead letter.
   */
  private List<Encoded> encode(Work work, List<LineOutcome> outcomes, Instant now) {
    List<Outputs.Output> outputs =
        Outputs.of(work.event, work.decoded, outcomes, work.error, settings.replayId(), now);
    List<Encoded> encoded = new ArrayList<>(outputs.size());
    Map<String, String> badLines = new LinkedHashMap<>();
    for (Outputs.Output output : outputs) {
      Target target = targets.get(output.role());
      byte[] bytes;
      try {
        bytes = target.serializer.serialize(target.topic, output.headers(), output.value());
      } catch (RuntimeException e) {
        var registry = SchemaRegistryException.find(e);
        if (registry.isPresent()) {
          registryFailed(registry.get());
          return null;
        }
        if (output.role() == Outputs.Role.DEAD_LETTER) {
          throw e; // a dead letter we cannot encode is a bug, not data
        }
        badLines.putIfAbsent(
            lineId(output),
            "the "
                + output.role().name().toLowerCase(java.util.Locale.ROOT)
                + " record cannot be encoded: "
                + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        continue;
      }
      int size = size(output.key(), bytes, output.headers());
      if (size > settings.maxOutputBytes() && output.role() != Outputs.Role.DEAD_LETTER) {
        badLines.putIfAbsent(
            lineId(output),
            "the "
                + output.role().name().toLowerCase(java.util.Locale.ROOT)
                + " record is "
                + size
                + " bytes, more than the limit of "
                + settings.maxOutputBytes()
                + " bytes (the smaller of the producer's max.request.size and the output"
                + " topics' max.message.bytes)");
        continue;
      }
      encoded.add(new Encoded(target.sink, output.key(), bytes, output.headers(), output));
    }
    if (registryFailures > 0) {
      registryFailures = 0;
      gate.pauses().clear(SystemPauses.Cause.SCHEMA_REGISTRY);
    }
    if (badLines.isEmpty()) {
      return encoded;
    }
    List<LineOutcome> replaced = new ArrayList<>(outcomes.size());
    for (LineOutcome o : outcomes) {
      String why = badLines.get(o.line().getLineId());
      replaced.add(
          why == null
              ? o
              : new LineOutcome.Failed(o.line(), ErrorType.PRODUCTION_ERROR, why, 1, null));
    }
    return encode(work, replaced, now);
  }

  /** Where the outputs of one role go: topic, value serializer and sink node. */
  private record Target(String topic, Serializer<SpecificRecord> serializer, String sink) {
    @SuppressWarnings("unchecked")
    static Target of(Topic<String, ? extends SpecificRecord> topic, String sink) {
      return new Target(
          topic.name(), (Serializer<SpecificRecord>) topic.valueSerde().serializer(), sink);
    }
  }

  private static Map<Outputs.Role, Target> targets(PipelineTopics topics, SinkNames sinks) {
    Map<Outputs.Role, Target> m = new EnumMap<>(Outputs.Role.class);
    m.put(Outputs.Role.ERP, Target.of(topics.erp(), sinks.erp()));
    m.put(Outputs.Role.FULFILLMENT, Target.of(topics.fulfillment(), sinks.fulfillment()));
    m.put(Outputs.Role.DEAD_LETTER, Target.of(topics.deadLetters(), sinks.deadLetters()));
    return m;
  }

  private void registryFailed(SchemaRegistryException e) {
    registryFailures++;
    long cap =
        Math.min(
            REGISTRY_BACKOFF_MAX.toMillis(),
            REGISTRY_BACKOFF_MIN.toMillis() << Math.min(registryFailures - 1, 10));
    long delay = cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
    registryRetryAtMillis = now() + delay;
    gate.pauses()
        .report(
            SystemPauses.Cause.SCHEMA_REGISTRY,
            e.getMessage() + " (task " + taskId + ", next try in " + delay + " ms)");
  }

  private static String lineId(Outputs.Output output) {
    return switch (output.value()) {
      case ConfigurationSummary s -> s.getLineId();
      case FulfillmentConfiguration f -> f.getLineId();
      default -> "";
    };
  }

  private static int size(String key, byte[] value, Headers headers) {
    int n = RECORD_OVERHEAD_BYTES + value.length;
    if (key != null) {
      n += key.getBytes(StandardCharsets.UTF_8).length;
    }
    for (Header h : headers) {
      n += h.key().length() + (h.value() == null ? 0 : h.value().length);
    }
    return n;
  }

  private void count(Outputs.Output output) {
    stats.outputWritten(output.role().name());
    switch (output.role()) {
      case ERP -> {
        if (((ConfigurationSummary) output.value()).getStatus() == LineStatus.CANCELLED) {
          stats.lineCancelled();
        } else {
          stats.lineEnriched();
        }
      }
      case FULFILLMENT -> {}
      case DEAD_LETTER -> stats.deadLettered((DeadLetter) output.value());
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
    final long admittedAtMillis;
    volatile boolean done;
    List<LineOutcome> outcomes;
    Throwable error;
    CompletableFuture<List<LineOutcome>> future;
    boolean started;
    boolean released;
    boolean emitted;

    Work(SourceRecord event, DecodedEvent decoded, String orderingKey, long admittedAtMillis) {
      this.event = event;
      this.decoded = decoded;
      this.orderingKey = orderingKey;
      this.admittedAtMillis = admittedAtMillis;
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
