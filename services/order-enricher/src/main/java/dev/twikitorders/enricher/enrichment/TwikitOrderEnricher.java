package dev.twikitorders.enricher.enrichment;

import dev.twikitorders.enricher.flow.SystemPauses;
import dev.twikitorders.enricher.stats.PipelineStats;
import dev.twikitorders.ops.logging.LogContext;
import dev.twikitorders.schemas.ErrorType;
import dev.twikitorders.schemas.OrderEvent;
import dev.twikitorders.schemas.OrderEventType;
import dev.twikitorders.schemas.OrderLine;
import dev.twikitorders.twikit.TwikitApi;
import dev.twikitorders.twikit.TwikitException;
import dev.twikitorders.twikit.TwikitOperation;
import dev.twikitorders.twikit.model.Compatibility;
import dev.twikitorders.twikit.model.ConfigurationUpdate;
import dev.twikitorders.twikit.model.Filtered;
import dev.twikitorders.twikit.model.Summary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enriches order events through the Twikit API ({@link TwikitApi}).
 *
 * <p>Per configured line of an ORDER_PLACED event it issues compatibility, summary and filtered
 * configuration concurrently (identical lookups in flight are shared); then one update-many per
 * order links the compatible configurations to the order ({@code externalId} = order id). The
 * update payload is a pure function of the event, so re-issuing it after a crash gives the same
 * result. ORDER_CANCELLED events need no call: their lines become {@link LineOutcome.Cancelled}.
 *
 * <p>Failures are handled by what they are about:
 *
 * <ul>
 *   <li>Transient (outage, timeouts, rate limits): retried without end, with capped exponential
 *       backoff and full jitter, honouring the API's retry-after hints, or until {@code
 *       retryDeadline} when one is set ({@link ErrorType#RETRIES_EXHAUSTED}).
 *   <li>Systemic, about the whole system and not one order (credentials refused, 401 after a
 *       renewal, 403, invalid responses; {@link TwikitException.Kind#isSystemic()}): reported to
 *       {@link SystemPauses}, which pauses the pipeline, and retried with backoff until they clear;
 *       never dead-lettered, whatever the deadline.
 *   <li>About one configuration (404, other 4xx): the line becomes {@link LineOutcome.Failed} with
 *       the matching {@link ErrorType} (a dead letter).
 * </ul>
 *
 * <p>Each failed attempt is counted in {@link PipelineStats#callFailed}; nothing is logged per call
 * above DEBUG: the application logs a periodic summary, {@link SystemPauses} and the client log
 * state changes.
 *
 * <p>Cancelling the future returned by {@link #enrich} (a task is closed or revoked) cancels the
 * event's calls: retries stop, calls in flight are cancelled, and lookups shared with other events
 * go on for those.
 *
 * <p>Two flavours: {@link #async} (all calls of an event concurrently; what the pipeline uses) and
 * {@link #sync} (calls one after another: the naive baseline; the processor bounds how long it
 * waits for them).
 *
 * <p>Thread-safe.
 */
public final class TwikitOrderEnricher implements OrderEnricher {
  private static final Logger LOG = LoggerFactory.getLogger(TwikitOrderEnricher.class);
  private static final Duration BASE_BACKOFF = Duration.ofMillis(250);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final Duration MAX_SYSTEMIC_BACKOFF = Duration.ofSeconds(60);

  private final TwikitApi api;
  private final Duration retryDeadline;
  private final Clock clock;
  private final boolean sequential;
  private final ScheduledThreadPoolExecutor scheduler;
  private final SystemPauses pauses;
  private final PipelineStats stats;
  private final Set<Retry<?>> scheduled = ConcurrentHashMap.newKeySet();
  private final Coalescer<Compatibility> compatibility = new Coalescer<>();
  private final Coalescer<Summary> summaries = new Coalescer<>();
  private final Coalescer<Filtered> filtered = new Coalescer<>();
  private volatile boolean closed;

  private TwikitOrderEnricher(
      TwikitApi api,
      Duration retryDeadline,
      Clock clock,
      boolean sequential,
      SystemPauses pauses,
      PipelineStats stats) {
    this.api = Objects.requireNonNull(api, "api");
    this.retryDeadline = Objects.requireNonNull(retryDeadline, "retryDeadline");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sequential = sequential;
    this.pauses = Objects.requireNonNull(pauses, "pauses");
    this.stats = Objects.requireNonNull(stats, "stats");
    this.scheduler =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "twikit-enricher-retry");
              t.setDaemon(true);
              return t;
            });
    scheduler.setRemoveOnCancelPolicy(true);
  }

  /**
   * The asynchronous enricher, with its own pause registry and counters (bounded jobs, tests).
   *
   * @param retryDeadline how long transient failures are retried; zero = forever
   */
  public static TwikitOrderEnricher async(TwikitApi api, Duration retryDeadline, Clock clock) {
    return async(api, retryDeadline, clock, SystemPauses.create(), new PipelineStats());
  }

  /**
   * The asynchronous enricher of the live pipeline.
   *
   * @param retryDeadline how long transient failures are retried; zero = forever
   * @param pauses where systemic failures are reported
   * @param stats where failed attempts are counted
   */
  public static TwikitOrderEnricher async(
      TwikitApi api,
      Duration retryDeadline,
      Clock clock,
      SystemPauses pauses,
      PipelineStats stats) {
    return new TwikitOrderEnricher(api, retryDeadline, clock, false, pauses, stats);
  }

  /**
   * The naive baseline: the calls of an event are made one after another. The returned future
   * completes when the last one has; the caller decides how long to wait for it.
   */
  public static TwikitOrderEnricher sync(
      TwikitApi api,
      Duration retryDeadline,
      Clock clock,
      SystemPauses pauses,
      PipelineStats stats) {
    return new TwikitOrderEnricher(api, retryDeadline, clock, true, pauses, stats);
  }

  /** The calls of one {@link #enrich}: cancelling the event's future cancels them. */
  private static final class Scope {
    private final Set<CompletableFuture<?>> calls = ConcurrentHashMap.newKeySet();
    private volatile boolean cancelled;
    // for the MDC of the log lines written on behalf of the event (on client and timer threads)
    private final String eventId;
    private final String orderId;

    Scope(String eventId, String orderId) {
      this.eventId = eventId;
      this.orderId = orderId;
    }

    void track(CompletableFuture<?> call) {
      calls.add(call);
      call.whenComplete((v, e) -> calls.remove(call));
      if (cancelled) {
        call.cancel(false);
      }
    }

    void cancel() {
      cancelled = true;
      for (CompletableFuture<?> call : calls) {
        call.cancel(false);
      }
    }
  }

  @Override
  public CompletableFuture<List<LineOutcome>> enrich(OrderEvent event) {
    List<OrderLine> configured = new ArrayList<>();
    for (OrderLine line : event.getLines()) {
      if (line.getConfigurationId() != null) {
        configured.add(line);
      }
    }
    if (configured.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    if (event.getEventType() == OrderEventType.ORDER_CANCELLED) {
      return CompletableFuture.completedFuture(
          configured.stream().<LineOutcome>map(LineOutcome.Cancelled::new).toList());
    }
    Instant deadline = retryDeadline.isZero() ? null : clock.instant().plus(retryDeadline);
    Scope scope = new Scope(event.getEventId(), event.getOrderId());
    CompletableFuture<List<Lookup>> lookups;
    if (sequential) {
      lookups = CompletableFuture.completedFuture(new ArrayList<>());
      for (OrderLine line : configured) {
        lookups =
            lookups.thenCompose(
                list -> lookup(line, deadline, scope).thenApply(l -> append(list, l)));
      }
    } else {
      List<CompletableFuture<Lookup>> each =
          configured.stream().map(line -> lookup(line, deadline, scope)).toList();
      lookups =
          CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
              .thenApply(ignored -> each.stream().map(CompletableFuture::join).toList());
    }
    CompletableFuture<List<LineOutcome>> result =
        lookups.thenCompose(list -> link(event, list, deadline, scope));
    result.whenComplete(
        (outcomes, error) -> {
          if (result.isCancelled()) {
            scope.cancel();
          }
        });
    return result;
  }

  private static <T> List<T> append(List<T> list, T item) {
    list.add(item);
    return list;
  }

  /** The lookups of one line: either an enrichment or a final failure. */
  private record Lookup(OrderLine line, EnrichedLine enrichment, LineOutcome.Failed failure) {}

  private CompletableFuture<Lookup> lookup(OrderLine line, Instant deadline, Scope scope) {
    String id = line.getConfigurationId();
    CompletableFuture<Attempted<Compatibility>> compat =
        retrying(
            TwikitOperation.COMPATIBILITY,
            id,
            () -> compatibility.get(id, api::compatibility),
            deadline,
            scope);
    if (sequential) {
      return compat.thenCompose(
          c ->
              retrying(
                      TwikitOperation.SUMMARY,
                      id,
                      () -> summaries.get(id, api::summary),
                      deadline,
                      scope)
                  .thenCompose(
                      s ->
                          retrying(
                                  TwikitOperation.FILTERED,
                                  id,
                                  () -> filtered.get(id, api::filtered),
                                  deadline,
                                  scope)
                              .thenApply(f -> combine(line, c, s, f))));
    }
    CompletableFuture<Attempted<Summary>> summary =
        retrying(
            TwikitOperation.SUMMARY, id, () -> summaries.get(id, api::summary), deadline, scope);
    CompletableFuture<Attempted<Filtered>> filter =
        retrying(
            TwikitOperation.FILTERED, id, () -> filtered.get(id, api::filtered), deadline, scope);
    return CompletableFuture.allOf(compat, summary, filter)
        .thenApply(ignored -> combine(line, compat.join(), summary.join(), filter.join()));
  }

  private static Lookup combine(
      OrderLine line, Attempted<Compatibility> c, Attempted<Summary> s, Attempted<Filtered> f) {
    if (c.failure != null) {
      return failed(line, c);
    }
    if (!Boolean.TRUE.equals(c.value.compatible())) {
      String reasons =
          c.value.reasons() == null || c.value.reasons().isEmpty()
              ? ""
              : ": " + String.join("; ", c.value.reasons());
      return new Lookup(
          line,
          null,
          new LineOutcome.Failed(
              line,
              ErrorType.INCOMPATIBLE,
              "configuration " + line.getConfigurationId() + " is not compatible" + reasons,
              c.attempts,
              null));
    }
    if (s.failure != null) {
      return failed(line, s);
    }
    if (f.failure != null) {
      return failed(line, f);
    }
    return new Lookup(line, Mapping.enrichedLine(s.value, f.value), null);
  }

  private static Lookup failed(OrderLine line, Attempted<?> a) {
    return new Lookup(
        line,
        null,
        new LineOutcome.Failed(
            line, a.errorType, a.failure.getMessage(), a.attempts, a.failure.getClass().getName()));
  }

  private CompletableFuture<List<LineOutcome>> link(
      OrderEvent event, List<Lookup> lookups, Instant deadline, Scope scope) {
    Map<String, List<String>> lineIdsByConfiguration = new LinkedHashMap<>();
    for (Lookup l : lookups) {
      if (l.failure == null) {
        lineIdsByConfiguration
            .computeIfAbsent(l.line.getConfigurationId(), k -> new ArrayList<>())
            .add(l.line.getLineId());
      }
    }
    if (lineIdsByConfiguration.isEmpty()) {
      return CompletableFuture.completedFuture(
          lookups.stream().<LineOutcome>map(Lookup::failure).toList());
    }
    List<ConfigurationUpdate> updates = new ArrayList<>();
    lineIdsByConfiguration.forEach(
        (id, lineIds) ->
            updates.add(
                new ConfigurationUpdate(
                    id,
                    event.getOrderId(),
                    Map.of(
                        "orderId",
                        event.getOrderId(),
                        "eventId",
                        event.getEventId(),
                        "lineIds",
                        List.copyOf(lineIds)))));
    return retrying(
            TwikitOperation.UPDATE_MANY, null, () -> api.updateMany(updates), deadline, scope)
        .thenApply(
            result -> {
              Set<String> notFound = new HashSet<>();
              if (result.failure == null && result.value.notFound() != null) {
                notFound.addAll(result.value.notFound());
              }
              List<LineOutcome> outcomes = new ArrayList<>(lookups.size());
              for (Lookup l : lookups) {
                if (l.failure != null) {
                  outcomes.add(l.failure);
                } else if (result.failure != null) {
                  outcomes.add(failed(l.line, result).failure);
                } else if (notFound.contains(l.line.getConfigurationId())) {
                  outcomes.add(
                      new LineOutcome.Failed(
                          l.line,
                          ErrorType.NOT_FOUND,
                          "configuration "
                              + l.line.getConfigurationId()
                              + " was not found when linking it to the order",
                          result.attempts,
                          null));
                } else {
                  outcomes.add(new LineOutcome.Enriched(l.line, l.enrichment));
                }
              }
              return outcomes;
            });
  }

  /** A call's final result: a value, or a permanent failure mapped to a dead-letter reason. */
  private record Attempted<T>(
      T value, TwikitException failure, ErrorType errorType, int attempts) {}

  /**
   * Runs {@code call} until it succeeds or fails for one configuration; transient failures are
   * retried after a backoff (or the server's hint), until {@code deadline} when set; systemic ones
   * pause the pipeline and are retried until they clear. Completes exceptionally only when the
   * enricher is closed or the scope cancelled.
   */
  private <T> CompletableFuture<Attempted<T>> retrying(
      TwikitOperation op,
      String configurationId,
      Supplier<CompletableFuture<T>> call,
      Instant deadline,
      Scope scope) {
    CompletableFuture<Attempted<T>> result = new CompletableFuture<>();
    attempt(
        new Chain<>(op, configurationId, call, EnumSet.noneOf(SystemPauses.Cause.class)),
        deadline,
        scope,
        1,
        0,
        result);
    return result;
  }

  /**
   * One call and its retries: the operation, the configuration it is about (null for calls about
   * several) and the system causes it ran into.
   */
  private record Chain<T>(
      TwikitOperation op,
      String configurationId,
      Supplier<CompletableFuture<T>> call,
      Set<SystemPauses.Cause> causes) {}

  private <T> void attempt(
      Chain<T> call,
      Instant deadline,
      Scope scope,
      int round,
      int attemptsSoFar,
      CompletableFuture<Attempted<T>> result) {
    if (scope.cancelled) {
      result.cancel(false);
      return;
    }
    if (closed) {
      result.completeExceptionally(new IllegalStateException("enricher closed"));
      return;
    }
    CompletableFuture<T> future;
    try {
      future = call.call().get();
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    scope.track(future);
    future.whenComplete(
        (value, error) -> {
          if (error == null) {
            pauses.answered(call.op().tagValue(), call.causes());
            result.complete(new Attempted<>(value, null, null, attemptsSoFar + 1));
            return;
          }
          if (scope.cancelled) {
            result.cancel(false);
            return;
          }
          TwikitException te = TwikitException.unwrap(error).orElse(null);
          if (te == null) {
            // not an API failure: a bug or a closed client; surface it
            result.completeExceptionally(error);
            return;
          }
          int attempts = attemptsSoFar + Math.max(1, te.attempts());
          TwikitException.Kind kind = te.kind();
          boolean systemic = kind.isSystemic();
          if (!systemic && !kind.isTransient()) {
            result.complete(new Attempted<>(null, te, errorType(kind), attempts));
            return;
          }
          stats.callFailed(kind.name());
          Duration delay;
          if (systemic) {
            SystemPauses.Cause cause = cause(kind);
            call.causes().add(cause); // attempts of one chain run one after another
            pauses.report(cause, te.getMessage(), call.op().tagValue());
            delay = backoff(round, null, MAX_SYSTEMIC_BACKOFF);
          } else {
            delay = backoff(round, te.retryAfter().orElse(null), MAX_BACKOFF);
            if (deadline != null && clock.instant().plus(delay).isAfter(deadline)) {
              result.complete(new Attempted<>(null, te, ErrorType.RETRIES_EXHAUSTED, attempts));
              return;
            }
          }
          if (LOG.isDebugEnabled()) {
            // a client or timer thread: the ids are set for this line only
            try (LogContext c =
                LogContext.line(scope.eventId, scope.orderId, null, call.configurationId())) {
              LOG.debug(
                  "Twikit call failed ({}), retrying in {} ms (round {})",
                  te.getMessage(),
                  delay.toMillis(),
                  round);
            }
          }
          schedule(new Retry<>(call, deadline, scope, round + 1, attempts, result), delay);
        });
  }

  /** A scheduled retry; completed exceptionally instead when the enricher closes first. */
  private final class Retry<T> implements Runnable {
    final Chain<T> call;
    final Instant deadline;
    final Scope scope;
    final int round;
    final int attempts;
    final CompletableFuture<Attempted<T>> result;

    Retry(
        Chain<T> call,
        Instant deadline,
        Scope scope,
        int round,
        int attempts,
        CompletableFuture<Attempted<T>> result) {
      this.call = call;
      this.deadline = deadline;
      this.scope = scope;
      this.round = round;
      this.attempts = attempts;
      this.result = result;
    }

    @Override
    public void run() {
      if (scheduled.remove(this)) {
        attempt(call, deadline, scope, round, attempts, result);
      }
    }

    void abandon() {
      result.completeExceptionally(new IllegalStateException("enricher closed"));
    }
  }

  private void schedule(Retry<?> retry, Duration delay) {
    if (closed) {
      retry.abandon();
      return;
    }
    scheduled.add(retry);
    try {
      scheduler.schedule(retry, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      if (scheduled.remove(retry)) {
        retry.abandon(); // closed between the check and the schedule
      }
    }
  }

  /** Retries scheduled and not yet run (for tests). */
  int scheduledRetries() {
    return scheduled.size();
  }

  private static SystemPauses.Cause cause(TwikitException.Kind kind) {
    return switch (kind) {
      case CREDENTIALS_REJECTED -> SystemPauses.Cause.TWIKIT_CREDENTIALS_REJECTED;
      case UNAUTHORIZED -> SystemPauses.Cause.TWIKIT_UNAUTHORIZED;
      case FORBIDDEN -> SystemPauses.Cause.TWIKIT_FORBIDDEN;
      default -> SystemPauses.Cause.TWIKIT_INVALID_RESPONSE;
    };
  }

  static Duration backoff(int round, Duration hint, Duration max) {
    long cap = Math.min(max.toMillis(), BASE_BACKOFF.toMillis() << Math.min(round - 1, 16));
    long jittered = ThreadLocalRandom.current().nextLong(cap + 1);
    long millis =
        hint == null ? jittered : Math.max(Math.min(hint.toMillis(), max.toMillis()), jittered);
    return Duration.ofMillis(Math.max(millis, 10));
  }

  static ErrorType errorType(TwikitException.Kind kind) {
    return switch (kind) {
      case NOT_FOUND -> ErrorType.NOT_FOUND;
      case UNAUTHORIZED, CREDENTIALS_REJECTED -> ErrorType.UNAUTHORIZED;
      case FORBIDDEN -> ErrorType.FORBIDDEN;
      case INVALID_RESPONSE -> ErrorType.INVALID_RESPONSE;
      case BAD_REQUEST -> ErrorType.INVALID_EVENT;
      case RATE_LIMITED -> ErrorType.RATE_LIMITED;
      case UNAVAILABLE, TIMEOUT -> ErrorType.RETRIES_EXHAUSTED;
    };
  }

  @Override
  public void close() {
    closed = true;
    scheduler.shutdownNow();
    // retries that will never run now: their callers get an answer instead of waiting forever
    for (Retry<?> retry : scheduled) {
      if (scheduled.remove(retry)) {
        retry.abandon();
      }
    }
  }
}
