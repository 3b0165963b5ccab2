package dev.twikitorders.enricher.replay;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.enricher.config.TopicSettings;
import dev.twikitorders.enricher.enrichment.OrderEnricher;
import dev.twikitorders.enricher.records.DecodedEvent;
import dev.twikitorders.enricher.records.EventDecoder;
import dev.twikitorders.enricher.records.Outputs;
import dev.twikitorders.enricher.records.PipelineTopics;
import dev.twikitorders.enricher.records.SourceRecord;
import dev.twikitorders.schemas.ErrorType;
import dev.twikitorders.schemas.OrderEvent;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a window of the input topic into the outputs (or prefixed copies of them) as a bounded
 * job, without touching the live application's consumer group or state.
 *
 * <ul>
 *   <li>Reads with a plain consumer: {@code assign()} and {@code seek()}, no group id, no commits,
 *       {@code isolation.level=read_committed}; stops at the window's end, which is never beyond
 *       the end offset captured at start.
 *   <li>Processes batches of {@code batchSize} events: enriches a batch with all its calls in
 *       flight ({@link OrderEnricher}), then writes its outputs, built by {@link Outputs} exactly
 *       as the live pipeline builds them (same keys, values, idempotency keys) plus the {@code
 *       replay-id}, in input order, in one transaction ({@code transactional.id =
 *       order-enricher-replay-<replayId>}).
 *   <li>A dry run decodes the window and counts; it neither calls the API nor writes.
 * </ul>
 *
 * <p>Not thread-safe: {@link #run} once per instance.
 */
public final class ReplayJob {
  private static final Logger LOG = LoggerFactory.getLogger(ReplayJob.class);

  /**
   * What to replay.
   *
   * @param orderId only events of this order; null = all
   * @param targetTopicPrefix null or empty = the pipeline's outputs
   */
  public record Request(
      ReplayWindow window,
      String orderId,
      boolean dryRun,
      String replayId,
      String targetTopicPrefix,
      int batchSize) {
    public Request {
      Objects.requireNonNull(window, "window");
      Objects.requireNonNull(replayId, "replayId");
      if (batchSize < 1) {
        throw new ReplayUsageException("--batch-size must be at least 1, was " + batchSize);
      }
    }
  }

  /** What one partition of the window held and what was done with it. */
  public record PartitionReport(
      int partition,
      long from,
      long to,
      long read,
      long skipped,
      long configuredLines,
      long unreadable,
      long invalid) {
    /** Events of the window that passed the order filter. */
    public long events() {
      return read - skipped;
    }
  }

  /** The outcome of a replay or dry run. */
  public record Report(
      String replayId,
      String topic,
      ReplayWindow window,
      String orderId,
      boolean dryRun,
      List<PartitionReport> partitions,
      Map<String, Long> written,
      long deadLettered,
      long transactions,
      Duration elapsed) {

    public long read() {
      return partitions.stream().mapToLong(PartitionReport::read).sum();
    }

    public long skipped() {
      return partitions.stream().mapToLong(PartitionReport::skipped).sum();
    }

    public long events() {
      return partitions.stream().mapToLong(PartitionReport::events).sum();
    }

    public long configuredLines() {
      return partitions.stream().mapToLong(PartitionReport::configuredLines).sum();
    }

    public long unreadable() {
      return partitions.stream().mapToLong(PartitionReport::unreadable).sum();
    }

    public long invalid() {
      return partitions.stream().mapToLong(PartitionReport::invalid).sum();
    }

    /**
     * The summary as a JSON document with stable field names (documented in docs/replay.md): {@code
     * replayId}, {@code dryRun}, {@code topic}, {@code orderId} (null = all), {@code
     * fromTimestamp}/{@code toTimestamp} (ISO-8601 or null), {@code partitions} (one object per
     * partition: {@code partition, from, to, read, skipped, events, configuredLines, unreadable,
     * invalid}), the totals {@code read, skipped, events, configuredLines, unreadable, invalid},
     * {@code written} (output topic to count; empty in a dry run), {@code deadLettered}, {@code
     * transactions} and {@code elapsedMs}.
     */
    public ObjectNode toJson() {
      ObjectNode doc = JsonNodeFactory.instance.objectNode();
      doc.put("replayId", replayId);
      doc.put("dryRun", dryRun);
      doc.put("topic", topic);
      doc.put("orderId", orderId);
      doc.put("fromTimestamp", window.fromTime() == null ? null : window.fromTime().toString());
      doc.put("toTimestamp", window.toTime() == null ? null : window.toTime().toString());
      ArrayNode parts = doc.putArray("partitions");
      for (PartitionReport p : partitions) {
        parts
            .addObject()
            .put("partition", p.partition())
            .put("from", p.from())
            .put("to", p.to())
            .put("read", p.read())
            .put("skipped", p.skipped())
            .put("events", p.events())
            .put("configuredLines", p.configuredLines())
            .put("unreadable", p.unreadable())
            .put("invalid", p.invalid());
      }
      doc.put("read", read());
      doc.put("skipped", skipped());
      doc.put("events", events());
      doc.put("configuredLines", configuredLines());
      doc.put("unreadable", unreadable());
      doc.put("invalid", invalid());
      ObjectNode w = doc.putObject("written");
      written.forEach(w::put);
      doc.put("deadLettered", deadLettered);
      doc.put("transactions", transactions);
      doc.put("elapsedMs", elapsed.toMillis());
      return doc;
    }

    /** Prints {@link #toJson()} on one line. */
    public void printJson(PrintWriter out) {
      out.println(toJson().toString());
      out.flush();
    }

    /** The summary printed on stdout. */
    public void print(PrintWriter out) {
      out.printf(
          "%s of %s, window %s%s%n",
          dryRun ? "Dry run of a replay" : "Replay " + replayId,
          topic,
          describe(window),
          orderId == null ? "" : ", order " + orderId);
      out.printf(
          "%-9s  %12s  %12s  %8s  %8s  %8s  %16s  %10s  %7s%n",
          "partition",
          "from",
          "to (excl.)",
          "read",
          "skipped",
          "events",
          "configured lines",
          "unreadable",
          "invalid");
      for (PartitionReport p : partitions) {
        out.printf(
            "%-9d  %12d  %12d  %8d  %8d  %8d  %16d  %10d  %7d%n",
            p.partition(),
            p.from(),
            p.to(),
            p.read(),
            p.skipped(),
            p.events(),
            p.configuredLines(),
            p.unreadable(),
            p.invalid());
      }
      out.printf("events read: %d%n", read());
      out.printf(
          "events skipped: %d%s%n",
          skipped(), orderId == null ? "" : " (not order " + orderId + ")");
      out.printf("events %s: %d%n", dryRun ? "in window" : "replayed", events());
      out.printf("configured lines: %d%n", configuredLines());
      out.printf("unreadable events: %d%n", unreadable());
      out.printf("invalid events: %d%n", invalid());
      if (dryRun) {
        out.println("dry run: no Twikit call made, nothing written");
      } else {
        written.forEach((topic, n) -> out.printf("written to %s: %d%n", topic, n));
        out.printf("dead-lettered: %d%n", deadLettered);
        out.printf("transactions: %d%n", transactions);
        out.printf("replay-id: %s%n", replayId);
      }
      out.printf("elapsed: %.1f s%n", elapsed.toMillis() / 1000.0);
      out.flush();
    }
  }

  private final EnricherConfig config;
  private final PipelineTopics serdes;
  private final Deserializer<OrderEvent> eventDeserializer;
  private final OrderEnricher enricher;
  private final Clock clock;
  private final Progress progress;

  /**
   * @param serdes the pipeline's serdes (values written through them register under the target
   *     topic's subject)
   * @param enricher null for dry runs
   */
  public ReplayJob(
      EnricherConfig config,
      PipelineTopics serdes,
      Deserializer<OrderEvent> eventDeserializer,
      OrderEnricher enricher,
      Clock clock,
      Progress progress) {
    this.config = Objects.requireNonNull(config, "config");
    this.serdes = Objects.requireNonNull(serdes, "serdes");
    this.eventDeserializer = Objects.requireNonNull(eventDeserializer, "eventDeserializer");
    this.enricher = enricher;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /**
   * Runs the replay (or dry run) to the end of the window.
   *
   * @throws ReplayUsageException for a window that does not fit the topic (exit code 2)
   * @throws ReplayFailedException when Kafka fails mid-way; the message says what was committed
   */
  public Report run(Request request) throws InterruptedException {
    if (!request.dryRun() && enricher == null) {
      throw new IllegalStateException("a replay that is not a dry run needs an enricher");
    }
    long started = System.nanoTime();
    String topic = config.topics().orderEvents();
    String clientId = "order-enricher-replay-" + request.replayId();
    try (Admin admin = Admin.create(KafkaClients.admin(config));
        KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(KafkaClients.consumer(config, clientId, request.batchSize()))) {
      SortedSet<Integer> partitions =
          InputTopic.partitions(admin, topic, TopicSettings.ORDER_EVENTS);
      List<ReplayWindow.PartitionRange> ranges =
          resolve(consumer, topic, partitions, request.window());
      OutputTargets targets =
          request.dryRun()
              ? null
              : OutputTargets.prepare(admin, config, request.targetTopicPrefix());
      LOG.info(
          "{} {} of {}: {}",
          request.dryRun() ? "Dry run" : "Replay",
          request.replayId(),
          topic,
          ranges);
      try (OutputWriter writer =
          request.dryRun()
              ? null
              : new OutputWriter(KafkaClients.producer(config, clientId), targets, serdes)) {
        return new Run(request, topic, ranges, consumer, writer, started).execute();
      }
    }
  }

  private static List<ReplayWindow.PartitionRange> resolve(
      KafkaConsumer<byte[], byte[]> consumer,
      String topic,
      SortedSet<Integer> partitions,
      ReplayWindow window) {
    List<TopicPartition> all = partitions.stream().map(p -> new TopicPartition(topic, p)).toList();
    Map<Integer, Long> logStart = byPartition(consumer.beginningOffsets(all));
    Map<Integer, Long> end = byPartition(consumer.endOffsets(all));
    Map<Integer, Long> fromTime =
        window.fromTime() == null ? Map.of() : forTime(consumer, all, window.fromTime());
    Map<Integer, Long> toTime =
        window.toTime() == null ? Map.of() : forTime(consumer, all, window.toTime());
    return window.resolve(
        new ReplayWindow.TopicOffsets(topic, partitions, logStart, end, fromTime, toTime));
  }

  private static Map<Integer, Long> forTime(
      KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> all, Instant t) {
    Map<TopicPartition, Long> query = new HashMap<>();
    all.forEach(tp -> query.put(tp, t.toEpochMilli()));
    Map<Integer, Long> result = new HashMap<>();
    for (Map.Entry<TopicPartition, OffsetAndTimestamp> e :
        consumer.offsetsForTimes(query).entrySet()) {
      if (e.getValue() != null) {
        result.put(e.getKey().partition(), e.getValue().offset());
      }
    }
    return result;
  }

  private static Map<Integer, Long> byPartition(Map<TopicPartition, Long> offsets) {
    Map<Integer, Long> m = new TreeMap<>();
    offsets.forEach((tp, o) -> m.put(tp.partition(), o));
    return m;
  }

  static String describe(ReplayWindow w) {
    if (w.isTimeWindow()) {
      return "["
          + (w.fromTime() == null ? "log start" : w.fromTime())
          + ", "
          + (w.toTime() == null ? "end" : w.toTime())
          + ") by record timestamp";
    }
    return "offsets ["
        + (w.fromOffsets().isEmpty() ? "log start" : format(w.fromOffsets()))
        + ", "
        + (w.toOffsets().isEmpty() ? "end" : format(w.toOffsets()))
        + ")";
  }

  static String format(Map<Integer, Long> offsets) {
    return offsets.entrySet().stream()
        .map(e -> e.getKey() + ":" + e.getValue())
        .collect(Collectors.joining(","));
  }

  /** Mutable counts of one partition. */
  private static final class Counts {
    long read;
    long skipped;
    long configuredLines;
    long unreadable;
    long invalid;
  }

  /** One execution: the read loop and the batches. */
  private final class Run {
    private final Request request;
    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final OutputWriter writer;
    private final long started;
    private final EventDecoder decoder =
        new EventDecoder(eventDeserializer, config.enrichment().maxLinesPerEvent());
    private final Map<Integer, ReplayWindow.PartitionRange> ranges = new LinkedHashMap<>();
    private final Map<Integer, Counts> counts = new LinkedHashMap<>();

    /** Per partition, the offset up to which outputs are committed (exclusive). */
    private final Map<Integer, Long> committed = new TreeMap<>();

    private final List<BatchEnrichment.Item> batch = new ArrayList<>();
    private final Map<Integer, Long> batchEnd = new HashMap<>();
    private final BatchEnrichment enrichment;
    private final long total;
    private long deadLettered;

    Run(
        Request request,
        String topic,
        List<ReplayWindow.PartitionRange> ranges,
        KafkaConsumer<byte[], byte[]> consumer,
        OutputWriter writer,
        long started) {
      this.request = request;
      this.topic = topic;
      this.consumer = consumer;
      this.writer = writer;
      this.started = started;
      for (var r : ranges) {
        this.ranges.put(r.partition(), r);
        this.counts.put(r.partition(), new Counts());
        this.committed.put(r.partition(), r.from());
      }
      this.total = ranges.stream().mapToLong(ReplayWindow.PartitionRange::size).sum();
      this.enrichment =
          request.dryRun() ? null : new BatchEnrichment(enricher, request.replayId(), clock);
    }

    Report execute() throws InterruptedException {
      Map<TopicPartition, ReplayWindow.PartitionRange> active = new LinkedHashMap<>();
      ranges.values().stream()
          .filter(r -> r.size() > 0)
          .forEach(r -> active.put(new TopicPartition(topic, r.partition()), r));
      progress.start(request.dryRun() ? "dry run" : "replay", total);
      consumer.assign(active.keySet());
      active.forEach((tp, r) -> consumer.seek(tp, r.from()));
      try {
        while (!active.isEmpty()) {
          ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
          for (TopicPartition tp : records.partitions()) {
            ReplayWindow.PartitionRange range = active.get(tp);
            if (range == null) {
              continue;
            }
            for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
              if (r.offset() >= range.to()) {
                break;
              }
              accept(r);
            }
          }
          List<TopicPartition> finished = new ArrayList<>();
          active.forEach(
              (tp, r) -> {
                if (consumer.position(tp) >= r.to()) {
                  finished.add(tp);
                }
              });
          if (!finished.isEmpty()) {
            finished.forEach(active::remove);
            consumer.pause(finished);
          }
          if (batch.size() >= request.batchSize() || (active.isEmpty() && !batch.isEmpty())) {
            flush();
          }
          progress.update(position(), "");
        }
        progress.finish(position(), "");
      } catch (KafkaException e) {
        throw new ReplayFailedException(
            "replay "
                + request.replayId()
                + " stopped: "
                + e
                + (request.dryRun()
                    ? ""
                    : "; outputs are committed up to (exclusive) "
                        + format(committed)
                        + "; rerun with --from-offsets "
                        + format(committed)
                        + " and the same --to-offsets/--to-timestamp "
                        + "to finish"),
            e);
      }
      List<PartitionReport> reports = new ArrayList<>();
      ranges.forEach(
          (p, r) -> {
            Counts c = counts.get(p);
            reports.add(
                new PartitionReport(
                    p,
                    r.from(),
                    r.to(),
                    c.read,
                    c.skipped,
                    c.configuredLines,
                    c.unreadable,
                    c.invalid));
          });
      return new Report(
          request.replayId(),
          topic,
          request.window(),
          request.orderId(),
          request.dryRun(),
          reports,
          writer == null ? Map.of() : writer.written(),
          deadLettered,
          writer == null ? 0 : writer.transactions(),
          Duration.ofNanos(System.nanoTime() - started));
    }

    private long position() {
      long done = 0;
      for (var r : ranges.values()) {
        if (r.size() == 0) {
          continue;
        }
        TopicPartition tp = new TopicPartition(topic, r.partition());
        long pos =
            consumer.paused().contains(tp) ? r.to() : Math.min(consumer.position(tp), r.to());
        done += Math.max(0, pos - r.from());
      }
      return done;
    }

    private void accept(ConsumerRecord<byte[], byte[]> r) {
      Counts c = counts.get(r.partition());
      c.read++;
      SourceRecord source =
          new SourceRecord(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value());
      DecodedEvent decoded = decoder.decode(r.topic(), r.key(), r.value());
      if (request.orderId() != null && !request.orderId().equals(orderId(decoded, r.key()))) {
        c.skipped++;
        return;
      }
      switch (decoded) {
        case DecodedEvent.Valid v ->
            c.configuredLines +=
                v.event().getLines().stream().filter(l -> l.getConfigurationId() != null).count();
        case DecodedEvent.Rejected rej -> {
          if (rej.errorType() == ErrorType.UNREADABLE) {
            c.unreadable++;
          } else {
            c.invalid++;
          }
        }
      }
      if (!request.dryRun()) {
        batch.add(new BatchEnrichment.Item(source, decoded, null, Map.of()));
        batchEnd.merge(r.partition(), r.offset() + 1, Math::max);
      }
    }

    private void flush() throws InterruptedException {
      List<Outputs.Output> outputs =
          enrichment.process(
              batch,
              () -> progress.update(position(), batch.size() + " events waiting for Twikit"));
      writer.write(outputs, clock.millis());
      deadLettered += outputs.stream().filter(o -> o.role() == Outputs.Role.DEAD_LETTER).count();
      committed.putAll(batchEnd);
      batch.clear();
      batchEnd.clear();
    }
  }

  /** The order an input record belongs to: the decoded order id, else the record key. */
  static String orderId(DecodedEvent decoded, byte[] key) {
    return switch (decoded) {
      case DecodedEvent.Valid v -> v.event().getOrderId();
      case DecodedEvent.Rejected r ->
          r.orderId() != null
              ? r.orderId()
              : key == null ? null : new String(key, StandardCharsets.UTF_8);
    };
  }
}
