package dev.twikitorders.sandbox.counters;

import dev.twikitorders.sandbox.api.Operation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * Records what the sandbox served. Thread-safe and allocation-free on the request path (one atomic
 * increment per answered request; the capacity model's maxima are raised atomically).
 */
public final class CounterRecorder {
  /** How many update payloads are kept (the oldest are dropped first). */
  public static final int MAX_UPDATES = 1000;

  private static final int STATUS_SLOTS = 600;
  private static final Operation[] OPS = Operation.values();

  private volatile AtomicLongArray requests = new AtomicLongArray(OPS.length * STATUS_SLOTS);
  private final LongAdder tokensIssued = new LongAdder();
  private final LongAdder tokenRejected = new LongAdder();
  private final LongAdder registrations = new LongAdder();
  private final LongAdder authorizations = new LongAdder();
  private final LongAdder codeExchanges = new LongAdder();
  private final LongAdder refreshes = new LongAdder();
  private final LongAdder refreshReuse = new LongAdder();
  private final LongAdder sinkRequests = new LongAdder();
  private final LongAdder sinkItemsAccepted = new LongAdder();
  private final LongAdder sinkDuplicates = new LongAdder();
  private final LongAdder sinkRejected = new LongAdder();
  private final LongAdder rateLimited = new LongAdder();
  private final AtomicInteger maxConcurrent = new AtomicInteger();
  private final AtomicInteger maxQueued = new AtomicInteger();
  private volatile IntSupplier inServiceGauge = () -> 0;
  private volatile IntSupplier queuedGauge = () -> 0;
  private final Set<String> tokenIds = ConcurrentHashMap.newKeySet();
  private final ArrayDeque<ReceivedUpdate> updates = new ArrayDeque<>();

  /** Counts one answered request ({@code status} 0 for a request that hangs forever). */
  public void request(Operation op, int status) {
    int slot = status >= 0 && status < STATUS_SLOTS ? status : 0;
    requests.incrementAndGet(op.ordinal() * STATUS_SLOTS + slot);
  }

  /** Counts an issued token. */
  public void tokenIssued() {
    tokensIssued.increment();
  }

  /** Counts a rejected token request. */
  public void tokenRejected() {
    tokenRejected.increment();
  }

  /** Counts a registered client. */
  public void registration() {
    registrations.increment();
  }

  /** Counts an issued authorization code. */
  public void authorization() {
    authorizations.increment();
  }

  /** Counts an authorization code exchanged for tokens. */
  public void codeExchange() {
    codeExchanges.increment();
  }

  /** Counts a successful refresh. */
  public void refresh() {
    refreshes.increment();
  }

  /** Counts a detected refresh token reuse. */
  public void refreshReuseDetected() {
    refreshReuse.increment();
  }

  /** Counts a request to the sink (any outcome, counted when answered or hanging). */
  public void sinkRequest() {
    sinkRequests.increment();
  }

  /** Counts items the sink recorded, {@code duplicates} of them with an already recorded key. */
  public void sinkAccepted(int items, int duplicates) {
    sinkItemsAccepted.add(items);
    sinkDuplicates.add(duplicates);
  }

  /** Counts items the sink refused by its reject rule. */
  public void sinkRejected(int items) {
    sinkRejected.add(items);
  }

  /** Counts a request refused (429) by the rate limit. */
  public void rateLimited() {
    rateLimited.increment();
  }

  /** Notes how many requests are in service now (keeps the highest, {@code maxConcurrent}). */
  public void inService(int now) {
    if (now > maxConcurrent.get()) {
      maxConcurrent.accumulateAndGet(now, Math::max);
    }
  }

  /** Notes how many requests wait for a slot now (keeps the highest, {@code maxQueued}). */
  public void queued(int now) {
    if (now > maxQueued.get()) {
      maxQueued.accumulateAndGet(now, Math::max);
    }
  }

  /**
   * The live gauges of the capacity model; {@link #reset()} starts {@code maxConcurrent} and {@code
   * maxQueued} from their values (requests still in service or waiting stay counted).
   */
  public void gauges(IntSupplier inService, IntSupplier queued) {
    this.inServiceGauge = inService;
    this.queuedGauge = queued;
  }

  /** Notes a valid token presented to the API, by its {@code jti}. */
  public void tokenSeen(String jti) {
    if (tokenIds.size() < 1_000_000) {
      tokenIds.add(jti);
    }
  }

  /** Keeps a processed update payload. */
  public void update(ReceivedUpdate update) {
    synchronized (updates) {
      if (updates.size() == MAX_UPDATES) {
        updates.removeFirst();
      }
      updates.addLast(update);
    }
  }

  /** A consistent-enough snapshot (each counter is read atomically, not all at one instant). */
  public Counters snapshot() {
    AtomicLongArray r = requests;
    Map<Operation, Map<Integer, Long>> byOp = new EnumMap<>(Operation.class);
    for (Operation op : OPS) {
      Map<Integer, Long> byStatus = new TreeMap<>();
      for (int s = 0; s < STATUS_SLOTS; s++) {
        long n = r.get(op.ordinal() * STATUS_SLOTS + s);
        if (n != 0) {
          byStatus.put(s, n);
        }
      }
      if (!byStatus.isEmpty()) {
        byOp.put(op, byStatus);
      }
    }
    List<ReceivedUpdate> ups;
    synchronized (updates) {
      ups = new ArrayList<>(updates);
    }
    return new Counters(
        byOp,
        tokensIssued.sum(),
        tokenRejected.sum(),
        tokenIds.size(),
        ups,
        registrations.sum(),
        authorizations.sum(),
        codeExchanges.sum(),
        refreshes.sum(),
        refreshReuse.sum(),
        sinkRequests.sum(),
        sinkItemsAccepted.sum(),
        sinkDuplicates.sum(),
        sinkRejected.sum(),
        rateLimited.sum(),
        maxConcurrent.get(),
        maxQueued.get());
  }

  /** Sets every counter back to zero and forgets the update payloads and tokens seen. */
  public void reset() {
    requests = new AtomicLongArray(OPS.length * STATUS_SLOTS);
    tokensIssued.reset();
    tokenRejected.reset();
    registrations.reset();
    authorizations.reset();
    codeExchanges.reset();
    refreshes.reset();
    refreshReuse.reset();
    sinkRequests.reset();
    sinkItemsAccepted.reset();
    sinkDuplicates.reset();
    sinkRejected.reset();
    rateLimited.reset();
    maxConcurrent.set(inServiceGauge.getAsInt());
    maxQueued.set(queuedGauge.getAsInt());
    tokenIds.clear();
    synchronized (updates) {
      updates.clear();
    }
  }
}
