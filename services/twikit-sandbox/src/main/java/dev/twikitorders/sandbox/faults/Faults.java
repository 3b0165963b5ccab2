package dev.twikitorders.sandbox.faults;

import dev.twikitorders.sandbox.api.Operation;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The injected faults of a sandbox: an immutable value, replaced as a whole (see {@code
 * TwikitSandbox.faults(Faults)} and {@code TwikitSandbox.updateFaults(...)}).
 *
 * <p>Faults apply to the API operations in {@link #operations()}; an empty set means every
 * operation except {@link Operation#STATUS}. The token endpoint only knows {@link #tokenOutage()}
 * and {@link #tokenTtl()}; the authorization server's discovery and PKCE only {@link #metadata()}
 * and {@link #pkceMethods()}. Per request, in this order: the latency ({@link #latency()} plus a
 * uniform random extra in {@code [0, latencySpread]}) is waited with a timer; then an error status
 * is drawn from {@link #errorRates()}; else a hang from {@link #hangRate()}; else the request is
 * served, with its JSON body truncated at rate {@link #malformedRate()}. Deterministic controls
 * ({@code failNext}, {@code hangNext}) live on the sandbox, not here.
 *
 * <p>The server model ({@link #capacity()}, {@link #rateLimit()}) governs the same operations: on
 * arrival a request takes a token of the rate limit's bucket (none left: answered 429 at once);
 * then it waits in a FIFO queue for one of the {@code capacity} service slots and holds it for its
 * latency (see {@link Admission}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param latency fixed delay before answering; zero for none
 * @param latencySpread upper bound of a uniform random extra delay; zero for none
 * @param errorRates probability (0..1) per HTTP status (e.g. 500, 503, 429) of answering that error
 *     instead; the rates must sum to at most 1
 * @param retryAfter {@code Retry-After} sent with injected 429 and 503 replies (whole seconds)
 * @param operations the operations these faults apply to; empty = all but {@code STATUS}
 * @param hangRate probability (0..1) that a request hangs
 * @param hangFor how long a hanging request waits before it is served normally; {@link
 *     Duration#ZERO} = it is never answered (until the client gives up or the sandbox closes)
 * @param malformedRate probability (0..1) that a successful reply's JSON is truncated (status 200,
 *     invalid JSON); the operation itself (e.g. an update) still takes effect
 * @param tokenOutage when true, the token endpoint answers 503 {@code temporarily_unavailable}
 * @param tokenTtl lifetime of newly issued access tokens; {@code null} = the configured default
 * @param metadata which discovery documents are served (default {@link MetadataMode#OAUTH})
 * @param pkceMethods the PKCE methods ({@code S256}, {@code plain}) the authorization endpoint
 *     accepts and the metadata advertises as {@code code_challenge_methods_supported}, in order;
 *     never empty (default {@code [S256]})
 * @param capacity how many requests are served at once (each holds a slot for its latency; more
 *     wait in a FIFO queue); 0 = unlimited (default)
 * @param rateLimit requests per second admitted by a token bucket (burst {@code max(1,
 *     rateLimit/10)}); beyond, 429 at once; 0 = off (default)
 */
public record Faults(
    Duration latency,
    Duration latencySpread,
    Map<Integer, Double> errorRates,
    Duration retryAfter,
    Set<Operation> operations,
    double hangRate,
    Duration hangFor,
    double malformedRate,
    boolean tokenOutage,
    Duration tokenTtl,
    MetadataMode metadata,
    List<String> pkceMethods,
    int capacity,
    double rateLimit) {

  /** The PKCE methods (RFC 7636 section 4.2) the sandbox knows. */
  public static final List<String> PKCE_METHODS = List.of("S256", "plain");

  private static final Faults NONE = builder().build();

  /** Validates and copies. */
  public Faults {
    latency = nonNegative(latency, "latency");
    latencySpread = nonNegative(latencySpread, "latencySpread");
    retryAfter = nonNegative(retryAfter, "retryAfter");
    hangFor = nonNegative(hangFor, "hangFor");
    if (tokenTtl != null && tokenTtl.isNegative()) {
      throw new IllegalArgumentException("tokenTtl must not be negative");
    }
    double sum = 0;
    TreeMap<Integer, Double> rates = new TreeMap<>();
    for (Map.Entry<Integer, Double> e :
        Objects.requireNonNull(errorRates, "errorRates").entrySet()) {
      int status = e.getKey();
      if (status < 400 || status > 599) {
        throw new IllegalArgumentException("error status must be 4xx or 5xx: " + status);
      }
      double rate = rate(e.getValue(), "errorRates[" + status + "]");
      if (rate > 0) {
        rates.put(status, rate);
        sum += rate;
      }
    }
    if (sum > 1.0 + 1e-9) {
      throw new IllegalArgumentException("error rates sum to " + sum + ", more than 1");
    }
    errorRates = java.util.Collections.unmodifiableMap(rates);
    operations =
        operations == null || operations.isEmpty()
            ? Set.of()
            : java.util.Collections.unmodifiableSet(EnumSet.copyOf(operations));
    hangRate = rate(hangRate, "hangRate");
    malformedRate = rate(malformedRate, "malformedRate");
    metadata = Objects.requireNonNull(metadata, "metadata");
    pkceMethods = List.copyOf(Objects.requireNonNull(pkceMethods, "pkceMethods"));
    if (pkceMethods.isEmpty()) {
      throw new IllegalArgumentException("pkceMethods must not be empty, use of " + PKCE_METHODS);
    }
    if (!PKCE_METHODS.containsAll(pkceMethods)
        || Set.copyOf(pkceMethods).size() != pkceMethods.size()) {
      throw new IllegalArgumentException(
          "pkceMethods must be distinct values of " + PKCE_METHODS + ": " + pkceMethods);
    }
    checkCapacity(capacity, "capacity");
    checkRateLimit(rateLimit, "rateLimit");
  }

  /**
   * Checks a capacity value.
   *
   * @param name the setting to name in the error (e.g. {@code --capacity})
   * @throws IllegalArgumentException e.g. {@code capacity must be >= 0, got -3}
   */
  public static int checkCapacity(int capacity, String name) {
    if (capacity < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + capacity);
    }
    return capacity;
  }

  /**
   * Checks a rate limit value (requests per second; finite, at least 0).
   *
   * @param name the setting to name in the error (e.g. {@code --rate-limit})
   * @throws IllegalArgumentException e.g. {@code rateLimit must be >= 0, got -1.0}
   */
  public static double checkRateLimit(double rateLimit, String name) {
    if (!(rateLimit >= 0) || Double.isInfinite(rateLimit)) {
      throw new IllegalArgumentException(
          name + " must be >= 0 (requests per second, finite), got " + rateLimit);
    }
    return rateLimit;
  }

  /** No faults at all (and the configured token lifetime). */
  public static Faults none() {
    return NONE;
  }

  /** A builder starting from {@link #none()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this value. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Whether these faults apply to an operation (see the class comment for the empty set). */
  public boolean appliesTo(Operation operation) {
    return operations.isEmpty() ? operation != Operation.STATUS : operations.contains(operation);
  }

  /** Whether any API fault (latency, errors, hangs, malformed replies) is configured. */
  public boolean affectsApi() {
    return !latency.isZero()
        || !latencySpread.isZero()
        || !errorRates.isEmpty()
        || hangRate > 0
        || malformedRate > 0;
  }

  private static Duration nonNegative(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative");
    }
    return d;
  }

  private static double rate(Double r, String name) {
    if (r == null || r.isNaN() || r < 0 || r > 1) {
      throw new IllegalArgumentException(name + " must be within 0..1: " + r);
    }
    return r;
  }

  /** Builds {@link Faults}. Not thread-safe. */
  public static final class Builder {
    private Duration latency = Duration.ZERO;
    private Duration latencySpread = Duration.ZERO;
    private final Map<Integer, Double> errorRates = new TreeMap<>();
    private Duration retryAfter = Duration.ofSeconds(1);
    private final Set<Operation> operations = EnumSet.noneOf(Operation.class);
    private double hangRate;
    private Duration hangFor = Duration.ZERO;
    private double malformedRate;
    private boolean tokenOutage;
    private Duration tokenTtl;
    private MetadataMode metadata = MetadataMode.OAUTH;
    private List<String> pkceMethods = List.of("S256");
    private int capacity;
    private double rateLimit;

    private Builder() {}

    private Builder(Faults f) {
      latency = f.latency;
      latencySpread = f.latencySpread;
      errorRates.putAll(f.errorRates);
      retryAfter = f.retryAfter;
      operations.addAll(f.operations);
      hangRate = f.hangRate;
      hangFor = f.hangFor;
      malformedRate = f.malformedRate;
      tokenOutage = f.tokenOutage;
      tokenTtl = f.tokenTtl;
      metadata = f.metadata;
      pkceMethods = f.pkceMethods;
      capacity = f.capacity;
      rateLimit = f.rateLimit;
    }

    /** Fixed latency before each answer. */
    public Builder latency(Duration latency) {
      this.latency = latency;
      return this;
    }

    /** Uniform random extra latency in {@code [0, spread]}. */
    public Builder latencySpread(Duration spread) {
      this.latencySpread = spread;
      return this;
    }

    /** Answers {@code status} with probability {@code rate} (0 removes it). */
    public Builder errorRate(int status, double rate) {
      if (rate == 0) {
        errorRates.remove(status);
      } else {
        errorRates.put(status, rate);
      }
      return this;
    }

    /** Replaces all error rates. */
    public Builder errorRates(Map<Integer, Double> rates) {
      errorRates.clear();
      errorRates.putAll(rates);
      return this;
    }

    /** {@code Retry-After} for injected 429 and 503 replies. */
    public Builder retryAfter(Duration retryAfter) {
      this.retryAfter = retryAfter;
      return this;
    }

    /** Restricts the faults to these operations (none given = all but {@code STATUS}). */
    public Builder operations(Operation... ops) {
      return operations(java.util.Arrays.asList(ops));
    }

    /** Restricts the faults to these operations (empty = all but {@code STATUS}). */
    public Builder operations(Collection<Operation> ops) {
      operations.clear();
      operations.addAll(ops);
      return this;
    }

    /** Probability that a request hangs (see {@link #hangFor(Duration)}). */
    public Builder hangRate(double rate) {
      this.hangRate = rate;
      return this;
    }

    /** How long a hanging request waits before being served; zero = never answered. */
    public Builder hangFor(Duration hangFor) {
      this.hangFor = hangFor;
      return this;
    }

    /** Probability that a successful reply carries truncated, invalid JSON. */
    public Builder malformedRate(double rate) {
      this.malformedRate = rate;
      return this;
    }

    /** When true, {@code /oauth2/token} answers 503. */
    public Builder tokenOutage(boolean outage) {
      this.tokenOutage = outage;
      return this;
    }

    /** Lifetime of newly issued tokens; {@code null} = the configured default. */
    public Builder tokenTtl(Duration ttl) {
      this.tokenTtl = ttl;
      return this;
    }

    /** Which discovery documents are served. */
    public Builder metadata(MetadataMode metadata) {
      this.metadata = metadata;
      return this;
    }

    /** The PKCE methods accepted and advertised, e.g. {@code "S256", "plain"}. */
    public Builder pkceMethods(String... methods) {
      return pkceMethods(java.util.Arrays.asList(methods));
    }

    /** The PKCE methods accepted and advertised (distinct values of {@link #PKCE_METHODS}). */
    public Builder pkceMethods(List<String> methods) {
      this.pkceMethods = List.copyOf(methods);
      return this;
    }

    /** Requests served at once (more wait in a FIFO queue); 0 = unlimited. */
    public Builder capacity(int capacity) {
      this.capacity = capacity;
      return this;
    }

    /** Requests per second admitted (token bucket, burst {@code max(1, R/10)}); 0 = off. */
    public Builder rateLimit(double requestsPerSecond) {
      this.rateLimit = requestsPerSecond;
      return this;
    }

    /** Validates and builds. */
    public Faults build() {
      return new Faults(
          latency,
          latencySpread,
          errorRates,
          retryAfter,
          operations,
          hangRate,
          hangFor,
          malformedRate,
          tokenOutage,
          tokenTtl,
          metadata,
          pkceMethods,
          capacity,
          rateLimit);
    }
  }
}
