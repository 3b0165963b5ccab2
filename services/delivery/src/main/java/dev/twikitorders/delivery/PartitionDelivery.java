package dev.twikitorders.delivery;

import dev.twikitorders.ops.logging.LogContext;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the records of one topic partition to an endpoint, strictly in offset order, and reports
 * how each settled.
 *
 * <p><b>Batching.</b> Submitted records queue up; a request carries at most {@link
 * DeliveryPolicy#maxBatchRecords()} of them (1 = single-record requests). When idle, the first
 * queued record waits at most {@link DeliveryPolicy#linger()} for the batch to fill. Only one
 * request of the partition is outstanding at any time: the next batch starts when the previous one
 * is settled (records that queued up meanwhile go at once).
 *
 * <p><b>Retries.</b> A {@link DeliveryResult.Retryable} or {@link
 * DeliveryResult.CredentialsProblem} answer is retried with the same request (same body, same
 * idempotency keys) after a capped exponential backoff with full jitter: attempt {@code n} waits a
 * uniformly random time in {@code 0..min(maxBackoff, initialBackoff * 2^(n-1))}; a server {@code
 * Retry-After} that is longer wins, capped at {@link DeliveryPolicy#maxRetryAfter()}. Retrying goes
 * on forever, or with a {@link DeliveryPolicy#deadline()} until the next attempt would start later
 * than the deadline after the batch's first attempt: then its records are {@link
 * RecordOutcome.Kind#EXHAUSTED}. Credential problems are retried but never exhaust records (an
 * operator has to fix the credentials; records are not to blame).
 *
 * <p><b>Rejections.</b> A batch answered with a non-retryable 4xx ({@link DeliveryResult.Rejected})
 * is split: its records are sent again one by one, in order, each with the retry rules above, so
 * only the refused records are {@link RecordOutcome.Kind#REJECTED} and the others are delivered in
 * order. A single-record request answered so is rejected at once. A record whose value does not fit
 * its schema (so has no JSON) is rejected the same way, with status 0, without a request.
 *
 * <p><b>Outcomes.</b> Every submitted record gets exactly one {@link RecordOutcome} (unless {@link
 * #close()} comes first), through the callback, in offset order, after the endpoint settled it. The
 * caller commits the contiguous prefix of settled offsets. Delivery is at least once: a request may
 * reach the endpoint and still be retried (a lost reply, a timeout, a restart before the commit),
 * so the endpoint deduplicates by {@code Idempotency-Key}, which is the same for the same record
 * (and the same batch) on every attempt.
 *
 * <p><b>Threading.</b> Non-blocking: {@link #submit} only queues; requests run on the HTTP client's
 * threads and waits on the {@code scheduler} (which the caller owns). The callback runs on those
 * threads, never concurrently with itself for one partition and never under this object's lock; it
 * must not block. {@link #submit} and {@link #close()} are thread-safe. After {@link #close()}
 * nothing more is sent or reported; the in-flight request is abandoned (its result ignored, it is
 * never reported as delivered) and queued records are dropped: the caller re-reads from its last
 * commit.
 */
public final class PartitionDelivery implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PartitionDelivery.class);

  private final HttpDelivery http;
  private final DeliveryPolicy policy;
  private final ScheduledExecutorService scheduler;
  private final Consumer<RecordOutcome> outcomes;
  private final DeliveryEvents events;

  // guarded by this
  private final ArrayDeque<DeliveryRecord> queue = new ArrayDeque<>();
  private boolean busy;
  private int busyRecords;
  private boolean closed;
  private boolean draining;
  private CompletableFuture<Void> drained;
  private Future<?> lingerTimer;
  private Future<?> retryTimer;
  private CompletableFuture<DeliveryResult> inFlight;
  private DeliveryRecord last;

  /**
   * @param http sends the requests (the caller keeps owning it)
   * @param policy batching and retries
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
    List<DeliveryRecord> batch;
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
      queue.add(record);
      batch = nextBatchLocked(false);
    }
    if (batch != null) {
      run(batch);
    }
  }

  /** Records submitted and not yet settled (queued or in flight). */
  public synchronized int pending() {
    return queue.size() + busyRecords;
  }

  /** The batch to start now, or null (then a linger timer may be armed). */
  private List<DeliveryRecord> nextBatchLocked(boolean lingerDone) {
    if (busy || closed || draining || queue.isEmpty()) {
      return null;
    }
    if (!lingerDone && queue.size() < policy.maxBatchRecords() && !policy.linger().isZero()) {
      if (lingerTimer == null) {
        lingerTimer =
            scheduler.schedule(
                this::lingerExpired, policy.linger().toNanos(), TimeUnit.NANOSECONDS);
      }
      return null;
    }
    if (lingerTimer != null) {
      lingerTimer.cancel(false);
      lingerTimer = null;
    }
    List<DeliveryRecord> batch = new ArrayList<>();
    while (!queue.isEmpty() && batch.size() < policy.maxBatchRecords()) {
      batch.add(queue.poll());
    }
    busy = true;
    busyRecords = batch.size();
    return batch;
  }

  private void lingerExpired() {
    synchronized (this) {
      lingerTimer = null;
    }
    flush();
  }

  /**
   * Sends what is queued now (up to a batch), without waiting for the linger, unless a request is
   * in flight. For a caller that stopped reading the partition: the batch cannot fill any more.
   */
  public void flush() {
    List<DeliveryRecord> batch;
    synchronized (this) {
      batch = nextBatchLocked(true);
    }
    if (batch != null) {
      run(batch);
    }
  }

  private void run(List<DeliveryRecord> batch) {
    deliver(batch)
        .thenCompose(
            s -> {
              if (s.kind() == RecordOutcome.Kind.REJECTED && batch.size() > 1) {
                LOG.info(
                    "Batch {} refused with HTTP {}; sending its {} records one by one",
                    DeliveryRequest.batchKey(batch),
                    s.status(),
                    batch.size());
                return oneByOne(batch, 0);
              }
              return report(batch, s);
            })
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                if (!(error instanceof java.util.concurrent.CancellationException)
                    && !(error.getCause() instanceof java.util.concurrent.CancellationException)) {
                  LOG.error("Delivery of {} failed unexpectedly; partition stopped", batch, error);
                }
                completeDrained();
                return;
              }
              List<DeliveryRecord> next;
              CompletableFuture<Void> done = null;
              synchronized (this) {
                busy = false;
                busyRecords = 0;
                next = nextBatchLocked(true);
                if (draining) {
                  done = drained;
                }
              }
              if (next != null) {
                run(next);
              }
              if (done != null) {
                done.complete(null);
              }
            });
  }

  private CompletableFuture<Void> oneByOne(List<DeliveryRecord> records, int i) {
    if (i == records.size()) {
      return CompletableFuture.completedFuture(null);
    }
    List<DeliveryRecord> one = List.of(records.get(i));
    return deliver(one).thenCompose(s -> report(one, s)).thenCompose(v -> oneByOne(records, i + 1));
  }

  /** Reports {@code s} for every record of {@code records}, unless closed. */
  private CompletableFuture<Void> report(List<DeliveryRecord> records, Settled s) {
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(new java.util.concurrent.CancellationException());
      }
    }
    for (DeliveryRecord r : records) {
      if (s.kind() == RecordOutcome.Kind.REJECTED) {
        try (LogContext c = r.logContext()) {
          LOG.warn("Record {} rejected by {} with HTTP {}", r, http.endpoint(), s.status());
        }
      }
      try {
        outcomes.accept(new RecordOutcome(r, s.kind(), s.status(), s.detail(), s.attempts()));
      } catch (RuntimeException e) {
        LOG.error("Outcome callback failed for {}", r, e);
      }
    }
    return CompletableFuture.completedFuture(null);
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
    CompletableFuture<DeliveryResult> sent;
    synchronized (this) {
      retryTimer = null;
      if (closed) {
        result.cancel(false);
        return;
      }
      sent = http.send(request);
      inFlight = sent;
    }
    sent.whenComplete(
        (r, error) -> {
          synchronized (this) {
            if (inFlight == sent) {
              inFlight = null;
            }
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
      retryTimer =
          scheduler.schedule(
              () -> attempt(request, result, attempt + 1, start),
              wait.toNanos(),
              TimeUnit.NANOSECONDS);
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
   * re-reads them from its last commit), nothing new may be submitted, and the batch in flight (if
   * any) goes on, with its retries, until it settles and is reported. The returned future completes
   * then, at once when nothing is in flight. Call {@link #close()} to abandon the batch when it
   * takes too long.
   */
  public CompletableFuture<Void> finishInFlight() {
    synchronized (this) {
      draining = true;
      queue.clear();
      if (lingerTimer != null) {
        lingerTimer.cancel(false);
        lingerTimer = null;
      }
      if (!busy || closed) {
        return CompletableFuture.completedFuture(null);
      }
      if (drained == null) {
        drained = new CompletableFuture<>();
      }
      return drained;
    }
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
   * Stops: nothing more is sent or reported. The in-flight request is cancelled and its result
   * ignored, waits are cancelled, queued records dropped. Idempotent.
   */
  @Override
  public void close() {
    CompletableFuture<DeliveryResult> abandon;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      busy = false;
      busyRecords = 0;
      queue.clear();
      if (lingerTimer != null) {
        lingerTimer.cancel(false);
        lingerTimer = null;
      }
      if (retryTimer != null) {
        retryTimer.cancel(false);
        retryTimer = null;
      }
      abandon = inFlight;
      inFlight = null;
    }
    if (abandon != null) {
      abandon.cancel(true);
    }
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
