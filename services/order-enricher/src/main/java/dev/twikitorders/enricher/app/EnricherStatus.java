package dev.twikitorders.enricher.app;

import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.enricher.flow.SystemPauses;
import dev.twikitorders.enricher.records.Outputs;
import dev.twikitorders.enricher.stats.PipelineStats;
import dev.twikitorders.ops.BucketPercentiles;
import dev.twikitorders.ops.RateHistory;
import dev.twikitorders.ops.StatusReport;
import dev.twikitorders.ops.StatusReport.Fact;
import dev.twikitorders.ops.StatusReport.Level;
import dev.twikitorders.ops.StatusReport.Section;
import dev.twikitorders.ops.StatusReport.Table;
import dev.twikitorders.ops.StatusSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;

/**
 * The pipeline's status page ({@code /} and {@code /status.json} on the metrics port, see
 * docs/status-page.md): its state and why it is paused, the rates of the last ten minutes, the
 * backlog, dead letters by type and the last {@value PipelineStats#RECENT_DEAD_LETTERS}, the Twikit
 * client (token, breaker, latency, in-flight limit, rate cap, 429s) and the end-to-end latency.
 * Every figure is read from the meters {@code /metrics} exports (or the very objects they read), so
 * the two never disagree; latency percentiles are bucket bounds of the exported histograms.
 *
 * <p>Thread-safe; {@link #close()} stops the rate sampling.
 */
final class EnricherStatus implements StatusSource, AutoCloseable {
  private final EnricherConfig config;
  private final KafkaStreams streams;
  private final PipelineStats stats;
  private final SystemPauses pauses;
  private final MeterRegistry registry;
  private final RateHistory rates;
  private final Clock clock;
  private final Instant started;

  EnricherStatus(
      EnricherConfig config,
      KafkaStreams streams,
      PipelineStats stats,
      SystemPauses pauses,
      MeterRegistry registry,
      Clock clock) {
    this.config = config;
    this.streams = streams;
    this.stats = stats;
    this.pauses = pauses;
    this.registry = registry;
    this.clock = clock;
    this.started = clock.instant();
    this.rates =
        RateHistory.lastTenMinutes(registry)
            .track("events read", "order_enricher.events.read")
            .track("lines enriched", "order_enricher.lines.enriched")
            .track("outputs written", "order_enricher.outputs")
            .track("dead letters", "order_enricher.dead.letters")
            .track("API calls", "twikit.client.requests");
  }

  @Override
  public StatusReport status() {
    KafkaStreams.State state = streams.state();
    Map<SystemPauses.Cause, SystemPauses.Active> active = pauses.active();
    boolean paused = !active.isEmpty() || streams.isPaused();
    Level level =
        switch (state) {
          case RUNNING -> paused ? Level.BAD : Level.OK;
          case CREATED, REBALANCING -> Level.WARN;
          default -> Level.BAD;
        };
    String shown = paused && state.isRunningOrRebalancing() ? "PAUSED" : state.name();
    return new StatusReport(
        "order-enricher",
        EnricherStatus.class.getPackage().getImplementationVersion(),
        shown,
        level,
        clock.instant(),
        List.of(
            state(state, level, active),
            new Section("Rates (last 10 minutes)", List.of(), rates.series(), List.of()),
            Section.facts(
                "Totals since start",
                List.of(
                    Fact.info("events read", stats.eventsRead()),
                    Fact.info("lines enriched", stats.linesEnriched()),
                    Fact.info("lines cancelled", stats.linesCancelled()),
                    Fact.info("ERP records", stats.outputsWritten(Outputs.Role.ERP.name())),
                    Fact.info(
                        "fulfillment records",
                        stats.outputsWritten(Outputs.Role.FULFILLMENT.name())),
                    Fact.info("dead letters", stats.deadLettersTotal()))),
            backlog(),
            deadLetters(),
            twikit(),
            Section.facts(
                "End to end (event time to output)",
                List.of(
                    Fact.info(
                        "latency",
                        BucketPercentiles.describe(
                            timers("order_enricher.end.to.end.latency")))))));
  }

  private Section state(
      KafkaStreams.State state, Level level, Map<SystemPauses.Cause, SystemPauses.Active> active) {
    List<Fact> facts = new ArrayList<>();
    facts.add(new Fact("Kafka Streams", state.name(), level));
    if (active.isEmpty()) {
      facts.add(new Fact("paused because", "not paused", Level.OK));
    } else {
      active.forEach(
          (cause, a) ->
              facts.add(
                  new Fact(
                      "paused because",
                      cause.name()
                          + ": "
                          + cause.description()
                          + " (since "
                          + a.since().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                          + ")",
                      Level.BAD)));
    }
    facts.add(Fact.info("uptime", uptime()));
    facts.add(Fact.info("application.id", config.kafka().applicationId()));
    facts.add(Fact.info("input", config.topics().orderEvents()));
    facts.add(Fact.info("assigned partitions", assignedPartitions()));
    return Section.facts("State", facts);
  }

  private String assignedPartitions() {
    TreeSet<Integer> partitions = new TreeSet<>();
    try {
      for (ThreadMetadata t : streams.metadataForLocalThreads()) {
        for (TaskMetadata task : t.activeTasks()) {
          for (TopicPartition tp : task.topicPartitions()) {
            if (tp.topic().equals(config.topics().orderEvents())) {
              partitions.add(tp.partition());
            }
          }
        }
      }
    } catch (RuntimeException e) {
      return "-"; // not running (yet): no metadata
    }
    return partitions.isEmpty() ? "none" : partitions.toString();
  }

  private Section backlog() {
    List<Fact> facts =
        List.of(
            Fact.info("pending events", stats.pendingEvents()),
            Fact.info("parked events", stats.parkedEvents()),
            Fact.info(
                "oldest pending",
                stats
                    .oldestPendingSince()
                    .map(t -> BucketPercentiles.human(Duration.between(t, clock.instant())))
                    .orElse("-")),
            Fact.info("Twikit calls in flight", gauge("twikit.client.inflight", "%.0f")),
            Fact.info("in-flight limit", gauge("twikit.client.concurrency.limit", "%.0f")),
            Fact.info("calls waiting for a slot", gauge("twikit.client.queued", "%.0f")));
    TreeMap<Integer, String> lag = new TreeMap<>();
    for (Meter m : registry.find("kafka.consumer.fetch.manager.records.lag").meters()) {
      String topic = m.getId().getTag("topic");
      String partition = m.getId().getTag("partition");
      if (m instanceof Gauge g
          && config.topics().orderEvents().equals(topic)
          && partition != null
          && !Double.isNaN(g.value())) {
        lag.put(Integer.parseInt(partition), String.format("%.0f", g.value()));
      }
    }
    List<List<String>> rows = new ArrayList<>();
    lag.forEach((p, v) -> rows.add(List.of(String.valueOf(p), v)));
    return new Section(
        "Backlog",
        facts,
        List.of(),
        List.of(new Table("consumer lag per input partition", List.of("partition", "lag"), rows)));
  }

  private Section deadLetters() {
    List<List<String>> byType = new ArrayList<>();
    stats
        .deadLetters()
        .forEach(
            (type, n) -> {
              if (n > 0) {
                byType.add(List.of(type.name(), String.valueOf(n)));
              }
            });
    return new Section(
        "Dead letters",
        List.of(),
        List.of(),
        List.of(
            new Table("by type since start", List.of("type", "count"), byType),
            new Table(
                "last " + PipelineStats.RECENT_DEAD_LETTERS,
                PipelineStats.RECENT_COLUMNS,
                stats.recentDeadLetters())));
  }

  private Section twikit() {
    List<Fact> facts = new ArrayList<>();
    double expiresIn = gaugeValue("twikit.client.token.expires.in.seconds");
    facts.add(
        Double.isNaN(expiresIn)
            ? new Fact("token expires in", "no token yet", Level.INFO)
            : expiresIn <= 0
                ? new Fact("token expires in", "expired", Level.WARN)
                : new Fact(
                    "token expires in",
                    BucketPercentiles.human(Duration.ofSeconds((long) expiresIn)),
                    Level.OK));
    double obtained = gaugeValue("twikit.client.token.obtained.timestamp.seconds");
    facts.add(
        Double.isNaN(obtained)
            ? Fact.info("last renewal", "none yet")
            : Fact.info(
                "last renewal",
                BucketPercentiles.human(
                        Duration.between(
                            Instant.ofEpochMilli((long) (obtained * 1000)), clock.instant()))
                    + " ago"));
    TreeMap<String, Double> tokenRequests = new TreeMap<>();
    for (Meter m : registry.find("twikit.client.token.requests").meters()) {
      if (m instanceof io.micrometer.core.instrument.Counter c) {
        tokenRequests.merge(String.valueOf(m.getId().getTag("outcome")), c.count(), Double::sum);
      }
    }
    double failures =
        tokenRequests.entrySet().stream()
            .filter(e -> !e.getKey().equals("success"))
            .mapToDouble(Map.Entry::getValue)
            .sum();
    facts.add(
        Fact.info("token requests", tokenRequests.isEmpty() ? "none" : format(tokenRequests)));
    facts.add(
        new Fact(
            "token request failures",
            String.format("%.0f", failures),
            failures > 0 ? Level.WARN : Level.OK));
    double breaker = gaugeValue("twikit.client.breaker.state");
    facts.add(
        Double.isNaN(breaker)
            ? Fact.info("circuit breaker", "-")
            : switch ((int) breaker) {
              case 0 -> new Fact("circuit breaker", "closed", Level.OK);
              case 1 -> new Fact("circuit breaker", "half-open", Level.WARN);
              default -> new Fact("circuit breaker", "open", Level.BAD);
            });
    facts.add(
        Fact.info("API latency", BucketPercentiles.describe(timers("twikit.client.requests"))));
    double rate = gaugeValue("twikit.client.rate.limit");
    facts.add(
        Fact.info(
            "request rate cap",
            Double.isNaN(rate) ? "-" : rate == 0 ? "none" : String.format("%.0f/s", rate)));
    double limited = counterTotal("twikit.client.rate.limited");
    facts.add(
        new Fact(
            "429 answers", String.format("%.0f", limited), limited > 0 ? Level.WARN : Level.OK));
    return Section.facts("Twikit", facts);
  }

  private static String format(Map<String, Double> counts) {
    List<String> parts = new ArrayList<>();
    counts.forEach((k, v) -> parts.add(k + " " + String.format("%.0f", v)));
    return String.join(", ", parts);
  }

  private List<Timer> timers(String name) {
    return new ArrayList<>(registry.find(name).timers());
  }

  private double gaugeValue(String name) {
    Gauge g = registry.find(name).gauge();
    return g == null ? Double.NaN : g.value();
  }

  private String gauge(String name, String format) {
    double v = gaugeValue(name);
    return Double.isNaN(v) ? "-" : String.format(format, v);
  }

  private double counterTotal(String name) {
    double sum = 0;
    for (var c : registry.find(name).counters()) {
      sum += c.count();
    }
    return sum;
  }

  private String uptime() {
    Duration d = Duration.between(started, clock.instant());
    return String.format(
        "%dd %02dh %02dm %02ds", d.toDays(), d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart());
  }

  @Override
  public void close() {
    rates.close();
  }
}
