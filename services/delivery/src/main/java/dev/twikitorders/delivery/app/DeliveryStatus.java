package dev.twikitorders.delivery.app;

import dev.twikitorders.delivery.config.DeliveryConfig;
import dev.twikitorders.ops.RateHistory;
import dev.twikitorders.ops.StatusReport;
import dev.twikitorders.ops.StatusReport.Fact;
import dev.twikitorders.ops.StatusReport.Level;
import dev.twikitorders.ops.StatusReport.Section;
import dev.twikitorders.ops.StatusReport.Table;
import dev.twikitorders.ops.StatusSource;
import dev.twikitorders.schemas.ErrorType;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The delivery service's status page ({@code /} and {@code /status.json} on the metrics port): its
 * state, where it reads and delivers, the rates of the last ten minutes, the backlog, dead letters
 * by type and the last {@value DeliveryMetrics#RECENT_DEAD_LETTERS}. Every figure comes from the
 * meters {@code /metrics} exports ({@link DeliveryMetrics}), so the two never disagree. Shows the
 * endpoint without its query or user info (where credentials could hide).
 *
 * <p>Thread-safe; {@link #close()} stops the rate sampling.
 */
final class DeliveryStatus implements StatusSource, AutoCloseable {
  private final DeliveryConfig config;
  private final DeliveryLoop loop;
  private final DeliveryMetrics metrics;
  private final RateHistory rates;
  private final Clock clock;
  private final Instant started;

  DeliveryStatus(
      DeliveryConfig config,
      DeliveryLoop loop,
      DeliveryMetrics metrics,
      MeterRegistry registry,
      Clock clock) {
    this.config = config;
    this.loop = loop;
    this.metrics = metrics;
    this.clock = clock;
    this.started = clock.instant();
    this.rates =
        RateHistory.lastTenMinutes(registry)
            .track("records delivered", "order_delivery.records.delivered")
            .track("requests accepted", "order_delivery.requests.accepted")
            .track("attempts retried", "order_delivery.requests.retried")
            .track("dead letters", "order_delivery.dead.letters");
  }

  @Override
  public StatusReport status() {
    DeliveryLoop.State state = loop.state();
    boolean refused = metrics.credentialsRefused();
    String shown = refused && state == DeliveryLoop.State.RUNNING ? "PAUSED" : state.name();
    Level level =
        switch (state) {
          case RUNNING -> refused ? Level.BAD : Level.OK;
          case STARTING, STOPPING -> Level.WARN;
          case STOPPED, FAILED -> Level.BAD;
        };
    String version = DeliveryStatus.class.getPackage().getImplementationVersion();
    return new StatusReport(
        "delivery",
        version,
        shown,
        level,
        clock.instant(),
        List.of(
            Section.facts(
                "State",
                List.of(
                    new Fact("state", state.name(), level),
                    new Fact(
                        "paused because",
                        refused
                            ? "DELIVERY_CREDENTIALS_REFUSED: the endpoint or its identity"
                                + " provider refuses the credentials; records wait, none is"
                                + " dead-lettered"
                            : "not paused",
                        refused ? Level.BAD : Level.OK),
                    Fact.info("uptime", uptime()),
                    Fact.info("topic", config.delivery().topic()),
                    Fact.info("group", config.delivery().groupId()),
                    Fact.info("endpoint", shown(config.delivery().url())),
                    Fact.info("auth scheme", config.delivery().auth().scheme().settingValue()),
                    Fact.info("partitions assigned", metrics.assigned()))),
            new Section("Rates (last 10 minutes)", List.of(), rates.series(), List.of()),
            Section.facts(
                "Backlog",
                List.of(
                    Fact.info("records in flight", metrics.inFlight()),
                    Fact.info("consumer lag", metrics.lag()),
                    Fact.info("records delivered since start", metrics.delivered()),
                    Fact.info("attempts retried since start", metrics.retried()))),
            Section.facts(
                "Capacity",
                List.of(
                    Fact.info("requests in flight", metrics.requestsInFlight()),
                    Fact.info(
                        "limit of requests in flight",
                        metrics.concurrencyLimit()
                            + " ("
                            + config.delivery().concurrency().mode().settingValue()
                            + ", "
                            + config.delivery().concurrency().floor()
                            + ".."
                            + config.delivery().concurrency().ceiling()
                            + ")"),
                    Fact.info(
                        "requests per partition in flight at most",
                        config.delivery().policy().maxInFlightRequests()),
                    Fact.info(
                        "rate limit (requests/s)",
                        metrics.rateLimit() == 0
                            ? "none"
                            : String.format(java.util.Locale.ROOT, "%.1f", metrics.rateLimit())),
                    Fact.info("429 answers since start", metrics.rateLimited()))),
            new Section(
                "Dead letters",
                List.of(),
                List.of(),
                List.of(
                    new Table(
                        "by type since start",
                        List.of("type", "count"),
                        List.of(
                            List.of(
                                ErrorType.DELIVERY_REJECTED.name(),
                                String.valueOf(metrics.deadLetters(ErrorType.DELIVERY_REJECTED))),
                            List.of(
                                ErrorType.DELIVERY_EXHAUSTED.name(),
                                String.valueOf(
                                    metrics.deadLetters(ErrorType.DELIVERY_EXHAUSTED))))),
                    new Table(
                        "last " + DeliveryMetrics.RECENT_DEAD_LETTERS,
                        DeliveryMetrics.RECENT_COLUMNS,
                        metrics.recentDeadLetters())))));
  }

  private String uptime() {
    Duration d = Duration.between(started, clock.instant());
    return String.format(
        "%dd %02dh %02dm %02ds", d.toDays(), d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart());
  }

  /** The URL without user info, query or fragment. */
  static String shown(URI url) {
    if (url == null) {
      return "-";
    }
    return url.getScheme()
        + "://"
        + url.getHost()
        + (url.getPort() < 0 ? "" : ":" + url.getPort())
        + (url.getRawPath() == null ? "" : url.getRawPath());
  }

  @Override
  public void close() {
    rates.close();
  }
}
