package dev.twikitorders.enricher.enrichment;

import dev.twikitorders.schemas.ErrorType;
import dev.twikitorders.schemas.OrderEvent;
import dev.twikitorders.schemas.OrderEventType;
import dev.twikitorders.schemas.OrderLine;
import dev.twikitorders.twikit.TwikitApi;
import dev.twikitorders.twikit.TwikitException;
import dev.twikitorders.twikit.model.Compatibility;
import dev.twikitorders.twikit.model.ConfigurationUpdate;
import dev.twikitorders.twikit.model.Filtered;
import dev.twikitorders.twikit.model.Summary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
 * <p>Transient failures (outage, timeouts, rate limits, rejected credentials) are retried without
 * end, with capped exponential backoff and full jitter, honouring the API's retry-after hints, or
 * until {@code retryDeadline} when one is set. Permanent failures become {@link LineOutcome.Failed}
 * with the matching {@link ErrorType}.
 *
 * <p>Two flavours: {@link #async} (all calls of an event concurrently; what the pipeline uses) and
 * {@link #sync} (calls one after another, blocking the caller: the naive baseline).
 *
 * <p>Thread-safe.
 */
public final class TwikitOrderEnricher implements OrderEnricher {
  private static final Logger LOG = LoggerFactory.getLogger(TwikitOrderEnricher.class);
  private static final Duration BASE_BACKOFF = Duration.ofMillis(250);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final TwikitApi api;
  private final Duration retryDeadline;
  private final Clock clock;
  private final boolean sequential;
  private final ScheduledExecutorService scheduler;
  private final Coalescer<Compatibility> compatibility = new Coalescer<>();
  private final Coalescer<Summary> summaries = new Coalescer<>();
  private final Coalescer<Filtered> filtered = new Coalescer<>();
  private volatile boolean closed;

  private TwikitOrderEnricher(
      TwikitApi api, Duration retryDeadline, Clock clock, boolean sequential) {
    this.api = Objects.requireNonNull(api, "api");
    this.retryDeadline = Objects.requireNonNull(retryDeadline, "retryDeadline");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sequential = sequential;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "twikit-enricher-retry");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * The asynchronous enricher.
   *
   * @param retryDeadline how long transient failures are retried; zero = forever
   */
  public static TwikitOrderEnricher async(TwikitApi api, Duration retryDeadline, Clock clock) {
    return new TwikitOrderEnricher(api, retryDeadline, clock, false);
  }

  /**
   * The blocking baseline: {@link #enrich} returns a completed future, calls made one at a time.
   */
  public static OrderEnricher sync(TwikitApi api, Duration retryDeadline, Clock clock) {
    TwikitOrderEnricher sequential = new TwikitOrderEnricher(api, retryDeadline, clock, true);
    return new OrderEnricher() {
      @Override
      public CompletableFuture<List<LineOutcome>> enrich(OrderEvent event) {
        return CompletableFuture.completedFuture(sequential.enrich(event).join());
      }

      @Override
      public void close() {
        sequential.close();
      }
    };
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
    CompletableFuture<List<Lookup>> lookups;
    if (sequential) {
      lookups = CompletableFuture.completedFuture(new ArrayList<>());
      for (OrderLine line : configured) {
        lookups =
            lookups.thenCompose(list -> lookup(line, deadline).thenApply(l -> append(list, l)));
      }
    } else {
      List<CompletableFuture<Lookup>> each =
          configured.stream().map(line -> lookup(line, deadline)).toList();
      lookups =
          CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
              .thenApply(ignored -> each.stream().map(CompletableFuture::join).toList());
    }
    return lookups.thenCompose(list -> link(event, list, deadline));
  }

  private static <T> List<T> append(List<T> list, T item) {
    list.add(item);
    return list;
  }

  /** The lookups of one line: either an enrichment or a final failure. */
  private record Lookup(OrderLine line, EnrichedLine enrichment, LineOutcome.Failed failure) {}

  private CompletableFuture<Lookup> lookup(OrderLine line, Instant deadline) {
    String id = line.getConfigurationId();
    CompletableFuture<Attempted<Compatibility>> compat =
        retrying(() -> compatibility.get(id, api::compatibility), deadline);
    if (sequential) {
      return compat.thenCompose(
          c ->
              retrying(() -> summaries.get(id, api::summary), deadline)
                  .thenCompose(
                      s ->
                          retrying(() -> filtered.get(id, api::filtered), deadline)
                              .thenApply(f -> combine(line, c, s, f))));
    }
    CompletableFuture<Attempted<Summary>> summary =
        retrying(() -> summaries.get(id, api::summary), deadline);
    CompletableFuture<Attempted<Filtered>> filter =
        retrying(() -> filtered.get(id, api::filtered), deadline);
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
      OrderEvent event, List<Lookup> lookups, Instant deadline) {
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
    return retrying(() -> api.updateMany(updates), deadline)
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
   * Runs {@code call} until it succeeds or fails permanently; transient failures are retried after
   * a backoff (or the server's hint), until {@code deadline} when set. Never completes
   * exceptionally except when the enricher is closed.
   */
  private <T> CompletableFuture<Attempted<T>> retrying(
      Supplier<CompletableFuture<T>> call, Instant deadline) {
    CompletableFuture<Attempted<T>> result = new CompletableFuture<>();
    attempt(call, deadline, 1, 0, result);
    return result;
  }

  private <T> void attempt(
      Supplier<CompletableFuture<T>> call,
      Instant deadline,
      int round,
      int attemptsSoFar,
      CompletableFuture<Attempted<T>> result) {
    if (closed) {
      result.completeExceptionally(new IllegalStateException("enricher closed"));
      return;
    }
    CompletableFuture<T> future;
    try {
      future = call.get();
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    future.whenComplete(
        (value, error) -> {
          if (error == null) {
            result.complete(new Attempted<>(value, null, null, attemptsSoFar + 1));
            return;
          }
          TwikitException te = TwikitException.unwrap(error).orElse(null);
          if (te == null) {
            // not an API failure: a bug or a closed client; surface it
            result.completeExceptionally(error);
            return;
          }
          int attempts = attemptsSoFar + Math.max(1, te.attempts());
          boolean retryable =
              te.isTransient() || te.kind() == TwikitException.Kind.CREDENTIALS_REJECTED;
          if (!retryable) {
            result.complete(new Attempted<>(null, te, errorType(te.kind()), attempts));
            return;
          }
          Duration delay = backoff(round, te.retryAfter().orElse(null));
          if (deadline != null && clock.instant().plus(delay).isAfter(deadline)) {
            ErrorType type =
                te.kind() == TwikitException.Kind.CREDENTIALS_REJECTED
                    ? ErrorType.UNAUTHORIZED
                    : ErrorType.RETRIES_EXHAUSTED;
            result.complete(new Attempted<>(null, te, type, attempts));
            return;
          }
          if (round == 1 || round % 10 == 0) {
            LOG.warn(
                "Twikit call failed ({}), retrying in {} ms (round {})",
                te.getMessage(),
                delay.toMillis(),
                round);
          }
          if (closed) {
            result.completeExceptionally(new IllegalStateException("enricher closed"));
            return;
          }
          scheduler.schedule(
              () -> attempt(call, deadline, round + 1, attempts, result),
              delay.toMillis(),
              TimeUnit.MILLISECONDS);
        });
  }

  static Duration backoff(int round, Duration hint) {
    long cap = Math.min(MAX_BACKOFF.toMillis(), BASE_BACKOFF.toMillis() << Math.min(round - 1, 16));
    long jittered = ThreadLocalRandom.current().nextLong(cap + 1);
    long millis =
        hint == null
            ? jittered
            : Math.max(Math.min(hint.toMillis(), MAX_BACKOFF.toMillis()), jittered);
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
  }
}
