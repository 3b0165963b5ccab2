package dev.twikitorders.delivery.app;

import dev.twikitorders.delivery.DeliveryCapacity;
import dev.twikitorders.delivery.DeliveryEvents;
import dev.twikitorders.ops.JvmMeters;
import dev.twikitorders.ops.RecentRows;
import dev.twikitorders.schemas.ErrorType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The delivery service's meters (prefix {@code order_delivery}) and the credential state its
 * readiness reports:
 *
 * <ul>
 *   <li>{@code order_delivery.records.delivered}: records the endpoint accepted (2xx);
 *   <li>{@code order_delivery.requests.accepted}: requests answered 2xx;
 *   <li>{@code order_delivery.requests.retried}: attempts that failed and were retried;
 *   <li>{@code order_delivery.dead.letters{error_type}}: records dead-lettered;
 *   <li>{@code order_delivery.records.in.flight}: records read and not yet settled (delivered or
 *       dead-lettered);
 *   <li>{@code order_delivery.consumer.lag}: records behind the end of the assigned partitions;
 *   <li>{@code order_delivery.partitions.assigned}: partitions this instance delivers;
 *   <li>{@code order_delivery.credentials.refused}: 1 while the endpoint or its identity provider
 *       refuses the credentials (cleared by the next accepted request);
 *   <li>{@code order_delivery.concurrency.limit}: the current limit of requests in flight over all
 *       partitions (adaptive or fixed; 0 until {@link #capacity} is set);
 *   <li>{@code order_delivery.requests.in.flight}: requests holding a slot of that limit now;
 *   <li>{@code order_delivery.rate.limit}: the current cap on requests per second (0 = none).
 * </ul>
 *
 * <p>{@link #bindJvm} adds Micrometer's JVM and process meters ({@code jvm_*}, {@code process_*},
 * {@code system_cpu_*}).
 *
 * <p>Thread-safe: the counters are updated from the HTTP client's threads and the consumer loop.
 */
public final class DeliveryMetrics implements DeliveryEvents {
  private final Counter delivered;
  private final Counter accepted;
  private final Counter retried;
  private final Map<ErrorType, Counter> deadLetters = new EnumMap<>(ErrorType.class);
  private final AtomicLong inFlight = new AtomicLong();
  private final AtomicLong lag = new AtomicLong();
  private final AtomicLong assigned = new AtomicLong();
  private final AtomicBoolean credentialsRefused = new AtomicBoolean();
  private final RecentRows recent = new RecentRows(RECENT_DEAD_LETTERS);
  private volatile DeliveryCapacity capacity;

  /** How many dead letters the status page lists. */
  public static final int RECENT_DEAD_LETTERS = 20;

  public DeliveryMetrics(MeterRegistry registry) {
    delivered =
        Counter.builder("order_delivery.records.delivered")
            .description("records the endpoint accepted (2xx)")
            .register(registry);
    accepted =
        Counter.builder("order_delivery.requests.accepted")
            .description("requests the endpoint answered 2xx")
            .register(registry);
    retried =
        Counter.builder("order_delivery.requests.retried")
            .description("request attempts that failed and were retried")
            .register(registry);
    for (ErrorType type :
        new ErrorType[] {ErrorType.DELIVERY_REJECTED, ErrorType.DELIVERY_EXHAUSTED}) {
      deadLetters.put(
          type,
          Counter.builder("order_delivery.dead.letters")
              .description("records written to the delivery dead-letter topic")
              .tag("error_type", type.name())
              .register(registry));
    }
    Gauge.builder("order_delivery.records.in.flight", inFlight, AtomicLong::get)
        .description("records read and not yet delivered or dead-lettered")
        .register(registry);
    Gauge.builder("order_delivery.consumer.lag", lag, AtomicLong::get)
        .description("records behind the end of the assigned partitions")
        .register(registry);
    Gauge.builder("order_delivery.partitions.assigned", assigned, AtomicLong::get)
        .description("partitions this instance delivers")
        .register(registry);
    Gauge.builder(
            "order_delivery.credentials.refused", credentialsRefused, b -> b.get() ? 1.0 : 0.0)
        .description("1 while the endpoint or its identity provider refuses the credentials")
        .register(registry);
    Gauge.builder("order_delivery.concurrency.limit", this, m -> m.concurrencyLimit())
        .description("limit of requests in flight over all partitions (adaptive or fixed)")
        .register(registry);
    Gauge.builder("order_delivery.requests.in.flight", this, m -> m.requestsInFlight())
        .description("requests in flight over all partitions")
        .register(registry);
    Gauge.builder("order_delivery.rate.limit", this, m -> m.rateLimit())
        .description("current cap on requests per second (0 = none)")
        .register(registry);
  }

  /** The limits whose state the capacity meters show. */
  void capacity(DeliveryCapacity capacity) {
    this.capacity = capacity;
  }

  /** The current limit of requests in flight; 0 without a {@link #capacity}. */
  public int concurrencyLimit() {
    DeliveryCapacity c = capacity;
    return c == null ? 0 : c.limit();
  }

  /** Requests in flight now. */
  public int requestsInFlight() {
    DeliveryCapacity c = capacity;
    return c == null ? 0 : c.inFlight();
  }

  /** The current cap on requests per second; 0 for none. */
  public double rateLimit() {
    DeliveryCapacity c = capacity;
    return c == null ? 0 : c.rate();
  }

  /** 429 answers so far. */
  public long rateLimited() {
    DeliveryCapacity c = capacity;
    return c == null ? 0 : c.rateLimited();
  }

  /** {@link JvmMeters#bind}. */
  public static JvmGcMetrics bindJvm(MeterRegistry registry) {
    return JvmMeters.bind(registry);
  }

  @Override
  public void accepted(int records) {
    accepted.increment();
    delivered.increment(records);
    credentialsRefused.set(false);
  }

  @Override
  public void retrying(int records, int status, boolean credentialsProblem) {
    retried.increment();
    if (credentialsProblem) {
      credentialsRefused.set(true);
    }
  }

  /**
   * One record written to the dead-letter topic: counted, and kept among the last {@value
   * #RECENT_DEAD_LETTERS} for the status page (ids and the reason only, never the record).
   */
  void deadLettered(
      DeadLetterWriter.Failure failure,
      String orderId,
      String lineId,
      String configurationId,
      String idempotencyKey) {
    Counter c = deadLetters.get(failure.type());
    if (c != null) {
      c.increment();
    }
    recent.add(
        java.util.Arrays.asList(
            java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(),
            failure.type().name(),
            failure.httpStatus() == 0 ? "-" : String.valueOf(failure.httpStatus()),
            dash(orderId),
            dash(lineId),
            dash(configurationId),
            idempotencyKey,
            failure.message()));
  }

  private static String dash(String s) {
    return s == null ? "-" : s;
  }

  /** The columns of {@link #recentDeadLetters()}. */
  public static final List<String> RECENT_COLUMNS =
      List.of(
          "time", "type", "status", "order id", "line id", "configuration id", "key", "message");

  /** The last dead letters, newest first ({@link #RECENT_COLUMNS}). */
  public List<List<String>> recentDeadLetters() {
    return recent.rows();
  }

  void inFlight(long records) {
    inFlight.set(records);
  }

  void lag(long records) {
    lag.set(records);
  }

  void assigned(int partitions) {
    assigned.set(partitions);
  }

  /** Whether the credentials are refused now. */
  public boolean credentialsRefused() {
    return credentialsRefused.get();
  }

  /** Records read and not yet settled. */
  public long inFlight() {
    return inFlight.get();
  }

  /** Records behind the end of the assigned partitions. */
  public long lag() {
    return lag.get();
  }

  /** Partitions this instance delivers. */
  public long assigned() {
    return assigned.get();
  }

  /** Records dead-lettered so far with {@code type}. */
  public long deadLetters(ErrorType type) {
    Counter c = deadLetters.get(type);
    return c == null ? 0 : (long) c.count();
  }

  /** Request attempts retried so far. */
  public long retried() {
    return (long) retried.count();
  }

  /** Records delivered so far. */
  public long delivered() {
    return (long) delivered.count();
  }

  /** Records dead-lettered so far, of every type. */
  public long deadLettered() {
    return deadLetters.values().stream().mapToLong(c -> (long) c.count()).sum();
  }
}
