package dev.twikitorders.delivery;

import dev.twikitorders.ops.logging.LogContext;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the records of one topic partition to an endpoint, several requests at a time but the
 * records of one Kafka key strictly in offset order, and reports how each settled, in offset order.
 *
 * <p><b>Keys and order.</b> A record's key is its Kafka key bytes ({@link DeliveryRecord#key()};
 * records without a key share one key). Up to {@link DeliveryPolicy#maxInFlightRequests()} requests
 * of the partition are in flight at once, but a record is sent only when no earlier record of its
 * key is unsettled: not in flight, not waiting for a retry, not queued ahead of it. So the records
 * of one key reach the endpoint one request after the other, in offset order (an order's records
 * share its order id as key), while records of other keys go alongside. With {@code
 * maxInFlightRequests} 1 the partition has one request outstanding at a time, as when every record
 * had the same key.
 *
 * <p><b>Batching.</b> Submitted records queue up; a request carries at most {@link
 * DeliveryPolicy#maxBatchRecords()} of them (1 = single-record requests): the first eligible queued
 * records in offset order (eligible: no earlier record of its key is in flight or was passed over
 * in this batch; a batch may hold several records of one key, in order). A full batch starts as
 * soon as fewer than {@code maxInFlightRequests} requests of the partition are in flight. A partial
 * batch (fewer eligible records than a full one) starts only when none is in flight: the first of
 * its records then waits at most {@link DeliveryPolicy#linger()} for the batch to fill, and when
 * the partition's last request in flight settles, the records that queued up meanwhile go at once.
 * So a partition sends requests side by side only when they are full, and otherwise batches what
 * arrives during a round trip, as with one request at a time. {@link #flush()} sends without
 * waiting for the linger.
 *
 * <p><b>Retries.</b> A {@link DeliveryResult.Retryable} or {@link
 * DeliveryResult.CredentialsProblem} answer is retried with the same request (same body, same
 * idempotency keys) after a capped exponential backoff with full jitter: attempt {@code n} waits a
 * uniformly random time in {@code 0..min(maxBackoff, initialBackoff * 2^(n-1))}; a server {@code
 * Retry-After} that is longer wins, capped at {@link DeliveryPolicy#maxRetryAfter()}. Retrying goes
 * on forever, or with a {@link DeliveryPolicy#deadline()} until the next attempt would start later
 * than the deadline after the batch's first attempt: then its records are {@link
 * RecordOutcome.Kind#EXHAUSTED}. Credential problems are retried but never exhaust records (an
 * operator has to fix the credentials; records are not to blame). Each request retries on its own;
 * while it does, it holds back the later records of its keys, its place among the {@code
 * maxInFlightRequests} and partial batches of the partition; full batches of other keys still go.
 *
 * <p><b>Rejections.</b> A batch answered with a non-retryable 4xx ({@link DeliveryResult.Rejected})
 * is split: its records are sent again one by one, in order, each with the retry rules above, so
 * only the refused records are {@link RecordOutcome.Kind#REJECTED} and the others are delivered in
 * order. The split keeps the batch's place: its keys stay held (each until its last record of the
 * batch settled), so a later record of one of its keys still waits. A single-record request
 * answered so is rejected at once. A record whose value does not fit its schema (so has no JSON) is
 * rejected the same way, with status 0, without a request.
 *
 * <p><b>Outcomes.</b> Every submitted record gets exactly one {@link RecordOutcome} (unless {@link
 * #close()} comes first), through the callback, in offset order, after the endpoint settled it: the
 * outcome of a record that settled before an earlier record (of another key) is held back until the
 * earlier ones are reported. The caller commits the contiguous prefix of settled offsets. Delivery
 * is at least once: a request may reach the endpoint and still be retried (a lost reply, a timeout,
 * a restart before the commit), so the endpoint deduplicates by {@code Idempotency-Key}, which is
 * the same for the same record (and the same batch) on every attempt.
 *
 * <p><b>Threading.</b> Non-blocking: {@link #submit} only queues; requests run on the HTTP client's
 * threads and waits on the {@code scheduler} (which the caller owns). The callback runs on those
 * threads, never concurrently with itself for one partition and never under this object's lock; it
 * must not block. {@link #submit}, {@link #flush()}, {@link #finishInFlight()} and {@link #close()}
 * are thread-safe. After {@link #close()} nothing more is sent or reported; the requests in flight
 * are abandoned (their results ignored, never reported as delivered) and queued records are
 * dropped: the caller re-reads from its last commit.
 */
public final class PartitionDelivery implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PartitionDelivery.class);

  /** The key of records without one. */
  private static final Key NO_KEY = new Key(null);

  private final HttpDelivery http;
  private final DeliveryPolicy policy;
  private final ScheduledExecutorService scheduler;
  private final Consumer<RecordOutcome> outcomes;
  private final DeliveryEvents events;

  // guarded by this
  /** Every record submitted and not yet reported, in offset order. */
  private final ArrayDeque<Slot> unreported = new ArrayDeque<>();

  /** Records not yet sent, in offset order. */
  private final ArrayDeque<Slot> queue = new ArrayDeque<>();

  /** Per key, the records of requests in flight not yet settled. */
  private final Map<Key, Integer> keysInFlight = new HashMap<>();

  private final Set<CompletableFuture<DeliveryResult>> sending = new HashSet<>();
  private final Set<Future<?>> retryTimers = new HashSet<>();
  private int requestsInFlight;
  private boolean emitting;
  private boolean closed;
  private boolean draining;
  private CompletableFuture<Void> drained;
  private Future<?> lingerTimer;
  private DeliveryRecord last;

  /** A record's Kafka key, compared by content; null for records without a key. */
  private record Key(byte[] bytes) {
    static Key of(DeliveryRecord r) {
      byte[] b = r.key();
      return b == null ? NO_KEY : new Key(b);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Key[" + (bytes == null ? "none" : bytes.length + " bytes") + "]";
    }
  }

  /** One submitted record until it is reported (fields guarded by the partition's lock). */
  private static final class Slot {
    final DeliveryRecord record;
    final Key key;
    RecordOutcome outcome;

    Slot(DeliveryRecord record) {
      this.record = record;
      this.key = Key.of(record);
    }
  }

  /**
   * @param http sends the requests (the caller keeps owning it)
   * @param policy batching, requests in flight and retries
   * @param scheduler runs linger and backoff waits (the caller keeps owning it)
   * @param outcomes receives every record's outcome, in offset order
   */
  public PartitionDelivery(
      HttpDelivery http,
      DeliveryPolicy policy,
      ScheduledExecutorService scheduler,
      Consumer<RecordOutcome> outcomes) {
    this(http, policy, scheduler, outcomes, DeliveryEvents.NONE);
  }

  /**
   * @param events told of accepted requests and failed attempts (for meters and health); called on
   *     the HTTP client's threads, must not block
   */
  public PartitionDelivery(
      HttpDelivery http,
      DeliveryPolicy policy,
      ScheduledExecutorService scheduler,
      Consumer<RecordOutcome> outcomes,
      DeliveryEvents events) {
    this.http = Objects.requireNonNull(http, "http");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
    this.events = Objects.requireNonNull(events, "events");
  }

  /**
   * Queues {@code record} for delivery.
   *
   * @throws IllegalArgumentException when it is of another topic or partition than the first
   *     record, or its offset is not above the previous one's
   * @throws IllegalStateException when closed
   */
  public void submit(DeliveryRecord record) {
    Objects.requireNonNull(record, "record");
    List<List<Slot>> batches;
    synchronized (this) {
      if (closed || draining) {
        throw new IllegalStateException(
            "partition delivery "
                + (closed ? "closed" : "finishing")
                + "; cannot submit "
                + record);
      }
      if (last != null) {
        if (!last.topic().equals(record.topic()) || last.partition() != record.partition()) {
          throw new IllegalArgumentException(
              "record "
                  + record
                  + " is not of the partition "
                  + last.topic()
                  + "-"
                  + last.partition());
        }
        if (record.offset() <= last.offset()) {
          throw new IllegalArgumentException(
              "record "
                  + record
                  + " submitted after offset "
                  + last.offset()
                  + ": offsets must increase");
        }
      }
      last = record;
      Slot slot = new Slot(record);
      unreported.add(slot);
      queue.add(slot);
      batches = nextBatchesLocked(false);
    }
    batches.forEach(this::run);
  }

  /** Records submitted and not yet reported (queued, in flight, or settled after a later one). */
  public synchronized int pending() {
    return unreported.size();
  }

  /** Requests of this partition in flight now (sent, or waiting for a retry). */
  public synchronized int requestsInFlight() {
    return requestsInFlight;
  }

  /**
   * The batches to start now (possibly none; then a linger timer may be armed): while fewer than
   * the policy's requests are in flight, the first eligible queued records; a partial batch only
   * when none is in flight (see the class comment).
   */
  private List<List<Slot>> nextBatchesLocked(boolean lingerDone) {
    List<List<Slot>> batches = new ArrayList<>(1);
    while (!closed
        && !draining
        && !queue.isEmpty()
        && requestsInFlight < policy.maxInFlightRequests()) {
      List<Slot> batch = eligibleLocked();
      if (batch.isEmpty()) {
        break;
      }
      if (batch.size() < policy.maxBatchRecords()) {
        if (requestsInFlight > 0) {
          break; // a partial batch waits for the partition's requests in flight, and fills
        }
        if (!lingerDone && !policy.linger().isZero()) {
          if (lingerTimer == null) {
            lingerTimer =
                scheduler.schedule(
                    this::lingerExpired, policy.linger().toNanos(), TimeUnit.NANOSECONDS);
          }
          break;
        }
      }
      if (lingerTimer != null) {
        lingerTimer.cancel(false);
        lingerTimer = null;
      }
      Set<Slot> taken = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
      taken.addAll(batch);
      queue.removeIf(taken::contains);
      for (Slot s : batch) {
        keysInFlight.merge(s.key, 1, Integer::sum);
      }
      requestsInFlight++;
      batches.add(batch);
    }
    return batches;
  }

  /**
   * Up to a batch of queued records in offset order whose key has no earlier record in flight or
   * passed over here.
   */
  private List<Slot> eligibleLocked() {
    List<Slot> batch = new ArrayList<>();
    Set<Key> held = null;
    for (Slot s : queue) {
      if (batch.size() == policy.maxBatchRecords()) {
        break;
      }
      if (keysInFlight.containsKey(s.key) || (held != null && held.contains(s.key))) {
        if (held == null) {
          held = new HashSet<>();
        }
        held.add(s.key);
        continue;
      }
      batch.add(s);
    }
    return batch;
  }

  private void lingerExpired() {
    synchronized (this) {
      lingerTimer = null;
    }
    flush();
  }

  /**
   * Sends what is eligible now without waiting for the linger: full batches up to the requests the
   * policy allows, a partial batch when no request of the partition is in flight. For a caller that
   * stopped reading the partition: the batches cannot fill any more.
   */
  public void flush() {
    List<List<Slot>> batches;
    synchronized (this) {
      batches = nextBatchesLocked(true);
    }
    batches.forEach(this::run);
  }

  private void run(List<Slot> batch) {
    List<DeliveryRecord> records = batch.stream().map(s -> s.record).toList();
    deliver(records)
        .thenCompose(
            s -> {
              if (s.kind() == RecordOutcome.Kind.REJECTED && batch.size() > 1) {
                LOG.info(
                    "Batch {} refused with HTTP {}; sending its {} records one by one",
                    DeliveryRequest.batchKey(records),
                    s.status(),
                    batch.size());
                return oneByOne(batch, 0);
              }
              return settle(batch, s);
            })
        .whenComplete(
            (ok, error) -> {
              if (error != null
                  && !(error instanceof java.util.concurrent.CancellationException)
                  && !(error.getCause() instanceof java.util.concurrent.CancellationException)) {
                LOG.error(
                    "Delivery of {} failed unexpectedly; its records stay unsettled",
                    records,
                    error);
              }
              List<List<Slot>> next;
              CompletableFuture<Void> done = null;
              synchronized (this) {
                requestsInFlight--;
                next = nextBatchesLocked(true);
                if ((draining || closed) && requestsInFlight == 0) {
                  done = drained;
                }
              }
              next.forEach(this::run);
              if (done != null) {
                done.complete(null);
              }
            });
  }

  private CompletableFuture<Void> oneByOne(List<Slot> batch, int i) {
    if (i == batch.size()) {
      return CompletableFuture.completedFuture(null);
    }
    List<Slot> one = List.of(batch.get(i));
    return deliver(List.of(batch.get(i).record))
        .thenCompose(s -> settle(one, s))
        .thenCompose(v -> oneByOne(batch, i + 1));
  }

  /**
   * Settles every record of {@code slots} as {@code s}: frees their keys, starts what became
   * eligible and reports what is due, unless closed (then fails with a cancellation).
   */
  private CompletableFuture<Void> settle(List<Slot> slots, Settled s) {
    List<List<Slot>> next;
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(new java.util.concurrent.CancellationException());
      }
      for (Slot slot : slots) {
        slot.outcome =
            new RecordOutcome(slot.record, s.kind(), s.status(), s.detail(), s.attempts());
        keysInFlight.computeIfPresent(slot.key, (k, n) -> n == 1 ? null : n - 1);
      }
      next = nextBatchesLocked(true);
    }
    if (s.kind() == RecordOutcome.Kind.REJECTED) {
      for (Slot slot : slots) {
        try (LogContext c = slot.record.logContext()) {
          LOG.warn(
              "Record {} rejected by {} with HTTP {}", slot.record, http.endpoint(), s.status());
        }
      }
    }
    next.forEach(this::run);
    emit();
    return CompletableFuture.completedFuture(null);
  }

  /**
   * Reports the settled records at the head of the offset order; one thread at a time, outside the
   * lock (a thread that finds another reporting leaves its records to it).
   */
  private void emit() {
    while (true) {
      List<RecordOutcome> due = new ArrayList<>();
      synchronized (this) {
        if (emitting || closed) {
          return;
        }
        while (!unreported.isEmpty() && unreported.peekFirst().outcome != null) {
          due.add(unreported.pollFirst().outcome);
        }
        if (due.isEmpty()) {
          return;
        }
        emitting = true;
      }
      try {
        for (RecordOutcome o : due) {
          try {
            outcomes.accept(o);
          } catch (RuntimeException e) {
            LOG.error("Outcome callback failed for {}", o.record(), e);
          }
        }
      } finally {
        synchronized (this) {
          emitting = false;
        }
      }
    }
  }

  /** How one request settled. */
  private record Settled(RecordOutcome.Kind kind, int status, String detail, int attempts) {}

  /**
   * Sends {@code records} until the request settles; fails with a cancellation once closed. Records
   * that cannot be turned into JSON (a value that does not fit its schema) are rejected with status
   * 0 without a request.
   */
  private CompletableFuture<Settled> deliver(List<DeliveryRecord> records) {
    DeliveryRequest request;
    try {
      request = DeliveryRequest.of(records);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(
          new Settled(
              RecordOutcome.Kind.REJECTED, 0, "not convertible to JSON: " + e.getMessage(), 0));
    }
    CompletableFuture<Settled> result = new CompletableFuture<>();
    attempt(request, result, 1, System.nanoTime());
    return result;
  }

  private void attempt(
      DeliveryRequest request, CompletableFuture<Settled> result, int attempt, long start) {
    synchronized (this) {
      if (closed) {
        result.cancel(false);
        return;
      }
    }
    CompletableFuture<DeliveryResult> sent = http.send(request);
    synchronized (this) {
      if (closed) {
        sent.cancel(true);
        result.cancel(false);
        return;
      }
      sending.add(sent);
    }
    sent.whenComplete(
        (r, error) -> {
          synchronized (this) {
            sending.remove(sent);
            if (closed) {
              result.cancel(false);
              return;
            }
          }
          if (error != null) {
            r = new DeliveryResult.Retryable(0, "request failed: " + error, Optional.empty());
          }
          settleOrRetry(request, result, attempt, start, r);
        });
  }

  private void settleOrRetry(
      DeliveryRequest request,
      CompletableFuture<Settled> result,
      int attempt,
      long start,
      DeliveryResult r) {
    switch (r) {
      case DeliveryResult.Delivered d -> {
        if (attempt > 1) {
          LOG.info("{} delivered to {} after {} attempts", request, http.endpoint(), attempt);
        }
        events.accepted(request.records().size());
        result.complete(new Settled(RecordOutcome.Kind.DELIVERED, d.status(), "", attempt));
      }
      case DeliveryResult.Rejected rej ->
          result.complete(
              new Settled(RecordOutcome.Kind.REJECTED, rej.status(), rej.excerpt(), attempt));
      case DeliveryResult.Retryable t -> {
        Duration wait = backoff(attempt, t.retryAfter());
        Optional<Duration> deadline = policy.deadlineIfAny();
        if (deadline.isPresent()
            && System.nanoTime() + wait.toNanos() - start > deadline.get().toNanos()) {
          try (LogContext c = logContext(request)) {
            LOG.warn(
                "{} not delivered to {} within {} ({} attempts, last: {})",
                request,
                http.endpoint(),
                deadline.get(),
                attempt,
                t.reason());
          }
          result.complete(
              new Settled(RecordOutcome.Kind.EXHAUSTED, t.status(), t.reason(), attempt));
          return;
        }
        events.retrying(request.records().size(), t.status(), false);
        retry(request, result, attempt, start, wait, t.reason());
      }
      case DeliveryResult.CredentialsProblem c -> {
        events.retrying(request.records().size(), c.status(), true);
        retry(request, result, attempt, start, backoff(attempt, c.retryAfter()), c.reason());
      }
    }
  }

  /** The ids of a request of one record for the MDC; none for a batch of several. */
  private static LogContext logContext(DeliveryRequest request) {
    return request.records().size() == 1
        ? request.records().get(0).logContext()
        : LogContext.line(null, null, null, null);
  }

  private void retry(
      DeliveryRequest request,
      CompletableFuture<Settled> result,
      int attempt,
      long start,
      Duration wait,
      String reason) {
    try (LogContext c = logContext(request)) {
      if (attempt == 1) {
        LOG.warn("{} to {} failed: {}; retrying in {}", request, http.endpoint(), reason, wait);
      } else {
        LOG.debug("{} attempt {} failed: {}; retrying in {}", request, attempt, reason, wait);
      }
    }
    synchronized (this) {
      if (closed) {
        result.cancel(false);
        return;
      }
      // the task removes itself under the lock, so only after it was added below
      AtomicReference<Future<?>> self = new AtomicReference<>();
      Future<?> timer =
          scheduler.schedule(
              () -> {
                synchronized (this) {
                  retryTimers.remove(self.get());
                }
                attempt(request, result, attempt + 1, start);
              },
              wait.toNanos(),
              TimeUnit.NANOSECONDS);
      self.set(timer);
      retryTimers.add(timer);
    }
  }

  /** Full-jitter exponential backoff of attempt {@code attempt}; a longer Retry-After wins. */
  Duration backoff(int attempt, Optional<Duration> retryAfter) {
    long initial = policy.initialBackoff().toNanos();
    long max = policy.maxBackoff().toNanos();
    long cap = initial;
    for (int i = 1; i < attempt && cap < max; i++) {
      cap = cap > max / 2 ? max : cap * 2;
    }
    cap = Math.min(cap, max);
    long wait = ThreadLocalRandom.current().nextLong(cap + 1);
    if (retryAfter.isPresent()) {
      long ra = Math.min(retryAfter.get().toNanos(), policy.maxRetryAfter().toNanos());
      wait = Math.max(wait, ra);
    }
    return Duration.ofNanos(wait);
  }

  /**
   * Starts a graceful stop: records queued and not yet sent are dropped (never reported: the caller
   * re-reads them from its last commit), nothing new may be submitted, and the requests in flight
   * go on, with their retries, until they settle and are reported (in offset order; a record that
   * settles after a dropped one is reported all the same, the caller commits only the settled
   * prefix). The returned future completes then, at once when nothing is in flight. Call {@link
   * #close()} to abandon the requests when they take too long.
   */
  public CompletableFuture<Void> finishInFlight() {
    CompletableFuture<Void> done;
    synchronized (this) {
      draining = true;
      unreported.removeAll(queue);
      queue.clear();
      if (lingerTimer != null) {
        lingerTimer.cancel(false);
        lingerTimer = null;
      }
      if (requestsInFlight == 0 || closed) {
        done = CompletableFuture.completedFuture(null);
      } else {
        if (drained == null) {
          drained = new CompletableFuture<>();
        }
        done = drained;
      }
    }
    emit(); // records that settled behind a dropped one are due now
    return done;
  }

  private void completeDrained() {
    CompletableFuture<Void> done;
    synchronized (this) {
      done = drained;
    }
    if (done != null) {
      done.complete(null);
    }
  }

  /**
   * Stops: nothing more is sent or reported. The requests in flight are cancelled and their results
   * ignored, waits are cancelled, queued records dropped. Idempotent.
   */
  @Override
  public void close() {
    List<CompletableFuture<DeliveryResult>> abandon;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      queue.clear();
      unreported.clear();
      keysInFlight.clear();
      if (lingerTimer != null) {
        lingerTimer.cancel(false);
        lingerTimer = null;
      }
      retryTimers.forEach(t -> t.cancel(false));
      retryTimers.clear();
      abandon = new ArrayList<>(sending);
      sending.clear();
    }
    abandon.forEach(f -> f.cancel(true));
    completeDrained();
  }

  @Override
  public synchronized String toString() {
    return "PartitionDelivery["
        + (last == null ? "no records" : last.topic() + "-" + last.partition())
        + ", "
        + http.endpoint()
        + ", pending "
        + pending()
        + (closed ? ", closed" : "")
        + "]";
  }
}
