package dev.twikitorders.enricher.flow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failures of the whole system that pause the pipeline: while any {@link Cause} is active the
 * {@link InputGate} holds every input partition, no new enrichment starts, and calls already in
 * flight keep retrying with backoff (they are the probes). Nothing is dead-lettered for these
 * causes: they are not about one order. Each cause clears itself when the failing dependency
 * answers well again.
 *
 * <p>Logs one line per state change (a cause becomes active, a cause clears), never one per failed
 * call. {@link #activations(Cause)} counts how often each cause paused the pipeline (a metric).
 *
 * <p>Thread-safe: reported from HTTP callback threads and stream threads alike.
 */
public final class SystemPauses {
  private static final Logger LOG = LoggerFactory.getLogger(SystemPauses.class);

  /** Why the pipeline is paused. */
  public enum Cause {
    /** The token endpoint refuses the client credentials (RFC 6749 section 5.2). */
    TWIKIT_CREDENTIALS_REJECTED("the token endpoint refuses the client credentials"),
    /** The API answers 401 even with a freshly issued token. */
    TWIKIT_UNAUTHORIZED("the Twikit API refuses the access token (401 after a renewal)"),
    /** The API answers 403: a missing scope or permission. */
    TWIKIT_FORBIDDEN("the Twikit API answers 403 (missing scope or permission)"),
    /** The API answers with a redirect, a non-JSON or oversized body, or an incomplete result. */
    TWIKIT_INVALID_RESPONSE("the Twikit API answers with invalid responses"),
    /** The schema registry refuses or fails to give an output schema id. */
    SCHEMA_REGISTRY("the schema registry cannot give an output schema id");

    private final String description;

    Cause(String description) {
      this.description = description;
    }

    /** One line for logs and the health endpoint. */
    public String description() {
      return description;
    }
  }

  private final Clock clock;
  private final Map<Cause, Active> active = new ConcurrentHashMap<>();
  private final AtomicLongArray activations = new AtomicLongArray(Cause.values().length);

  /**
   * When a cause became active, its latest detail (never a secret), and the operation that raised
   * it (its success clears it), or null.
   */
  public record Active(Instant since, String detail, String operation) {}

  public SystemPauses(Clock clock) {
    this.clock = clock;
  }

  /** A pause registry with the system clock. */
  public static SystemPauses create() {
    return new SystemPauses(Clock.systemUTC());
  }

  /**
   * {@code cause} is (still) failing. The first report after a clear pauses the pipeline and logs
   * once; later reports only update the detail.
   *
   * @param detail what failed, for the health endpoint and the log; must not contain secrets
   */
  public void report(Cause cause, String detail) {
    report(cause, detail, null);
  }

  /**
   * {@code cause} is (still) failing for {@code operation}: like {@link #report(Cause, String)},
   * and a later success of that operation clears it ({@link #answered}).
   */
  public void report(Cause cause, String detail, String operation) {
    Active before = active.putIfAbsent(cause, new Active(clock.instant(), detail, operation));
    if (before == null) {
      activations.incrementAndGet(cause.ordinal());
      LOG.warn(
          "Pipeline paused: {}: {}. Input is paused and failing calls are retried with backoff;"
              + " nothing is dead-lettered for this. It resumes by itself when the cause is gone.",
          cause.description(),
          detail);
    } else if (!before.detail().equals(detail)) {
      active.computeIfPresent(cause, (c, a) -> new Active(a.since(), detail, a.operation()));
    }
  }

  /** {@code cause} answered well: clears it (and logs once) if it was active. */
  public void clear(Cause cause) {
    if (active.isEmpty()) {
      return; // the common, healthy path: no map write
    }
    Active was = active.remove(cause);
    if (was != null) {
      LOG.info(
          "Pipeline resumed: {} no longer ({} after {} s)",
          cause.description(),
          active.isEmpty() ? "input resumes" : "still paused for " + active.keySet(),
          Duration.between(was.since(), clock.instant()).toSeconds());
    }
  }

  /**
   * A Twikit call of {@code operation} succeeded: clears the Twikit causes raised by that operation
   * (a 403 on updates is not cleared by reads that work) and, when {@code failedBefore}, the causes
   * this very call ran into.
   */
  public void answered(String operation, java.util.Set<Cause> failedBefore) {
    if (active.isEmpty()) {
      return;
    }
    for (var e : active.entrySet()) {
      if (failedBefore.contains(e.getKey())
          || operation != null && operation.equals(e.getValue().operation())) {
        clear(e.getKey());
      }
    }
  }

  /** Clears every Twikit cause (tests, and callers that cannot tell operations apart). */
  public void twikitAnswered() {
    if (active.isEmpty()) {
      return;
    }
    clear(Cause.TWIKIT_CREDENTIALS_REJECTED);
    clear(Cause.TWIKIT_UNAUTHORIZED);
    clear(Cause.TWIKIT_FORBIDDEN);
    clear(Cause.TWIKIT_INVALID_RESPONSE);
  }

  /** Whether any cause is active. */
  public boolean paused() {
    return !active.isEmpty();
  }

  /** The active causes with their details. */
  public Map<Cause, Active> active() {
    Map<Cause, Active> m = new EnumMap<>(Cause.class);
    m.putAll(active);
    return m;
  }

  /** How often {@code cause} has paused the pipeline since start. */
  public long activations(Cause cause) {
    return activations.get(cause.ordinal());
  }

  /** One line naming the active causes, or {@code ""} when none. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    active()
        .forEach(
            (c, a) -> {
              if (!sb.isEmpty()) {
                sb.append("; ");
              }
              sb.append(c.name()).append(": ").append(a.detail());
            });
    return sb.toString();
  }
}
