package dev.twikitorders.enricher.replay;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twikitorders.deadletters.DeadLetterFilter;
import dev.twikitorders.deadletters.DeadLetterListing;
import dev.twikitorders.deadletters.DeadLetterScan;
import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.enricher.config.TopicSettings;
import dev.twikitorders.enricher.enrichment.OrderEnricher;
import dev.twikitorders.enricher.records.DecodedEvent;
import dev.twikitorders.enricher.records.EventDecoder;
import dev.twikitorders.enricher.records.OutputHeaders;
import dev.twikitorders.enricher.records.Outputs;
import dev.twikitorders.enricher.records.PipelineTopics;
import dev.twikitorders.enricher.records.SourceRecord;
import dev.twikitorders.schemas.DeadLetter;
import dev.twikitorders.schemas.ErrorType;
import dev.twikitorders.schemas.OrderEvent;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code dlq list} and {@code dlq redrive}: bounded jobs over the dead-letter topic that never join
 * a consumer group or commit offsets.
 *
 * <p>Re-drive semantics: the original event is decoded again from the dead letter's stored bytes
 * ({@code key}, {@code value}) and enriched as a whole, exactly as the live pipeline does (so the
 * configuration update sent to Twikit is the live one); only the outputs of the dead-lettered line
 * are written when the dead letter names a line, all outputs of the event when it does not
 * (UNREADABLE, INVALID_EVENT). A dead letter without stored bytes (an output the broker refused,
 * PRODUCTION_ERROR) has its source record read back from the input by its coordinates ({@link
 * SourceFetcher}; a record deleted by retention stops the job before it writes anything), and only
 * the refused output ({@code refusedTopic}) of its line is written. Outputs carry the original
 * {@code source}, {@code event-id} and {@code idempotency-key} and the re-drive's {@code
 * replay-id}. A line that fails again is dead-lettered again with {@code attempts} = previous
 * attempts + new ones and {@code replayId} set. When a line was dead-lettered more than once (by an
 * earlier re-drive), only its latest dead letter is re-driven. Writes are transactional per batch
 * ({@code order-enricher-redrive-<replayId>}).
 *
 * <p>Not thread-safe: one job per instance.
 */
public final class DeadLetterJobs {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterJobs.class);

  /** Longest wait for one source record read back from the input. */
  private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(30);

  private final EnricherConfig config;
  private final PipelineTopics serdes;
  private final Deserializer<OrderEvent> eventDeserializer;
  private final Deserializer<DeadLetter> letterDeserializer;
  private final Clock clock;
  private final Progress progress;

  public DeadLetterJobs(
      EnricherConfig config,
      PipelineTopics serdes,
      Deserializer<OrderEvent> eventDeserializer,
      Clock clock,
      Progress progress) {
    this.config = Objects.requireNonNull(config, "config");
    this.serdes = Objects.requireNonNull(serdes, "serdes");
    this.eventDeserializer = Objects.requireNonNull(eventDeserializer, "eventDeserializer");
    this.letterDeserializer = serdes.deadLetters().valueSerde().deserializer();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  // ---------------------------------------------------------------- list

  /**
   * Lists the dead letters matching {@code filter}, at most {@code limit}, in offset order per
   * partition.
   */
  public DeadLetterListing list(DeadLetterFilter filter, int limit) {
    DeadLetterListing.checkLimit(limit);
    String topic = config.topics().deadLetters();
    try (Admin admin = Admin.create(KafkaClients.admin(config));
        KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(KafkaClients.consumer(config, "order-enricher-dlq-list", 500))) {
      SortedSet<Integer> partitions =
          InputTopic.partitions(admin, topic, TopicSettings.DEAD_LETTERS);
      DeadLetterListing listing =
          DeadLetterListing.list(
              consumer,
              topic,
              partitions,
              letterDeserializer,
              filter,
              limit,
              new DeadLetterListing.Listener() {
                @Override
                public void started(long records) {
                  progress.start("scanning " + topic, records);
                }

                @Override
                public void scanned(long scanned, int matched) {
                  progress.update(scanned, matched + " matched");
                }
              });
      progress.finish(listing.scanned(), listing.entries().size() + " matched");
      return listing;
    }
  }

  // ---------------------------------------------------------------- redrive

  /** What {@code dlq redrive} selected and did. */
  public record RedriveReport(
      String replayId,
      boolean dryRun,
      long scanned,
      long matched,
      long selected,
      long superseded,
      long notRedrivable,
      long readFromSource,
      long limitedOut,
      Map<ErrorType, Long> selectedByType,
      long sourceEvents,
      Map<String, Long> written,
      long deadLetteredAgain,
      long transactions,
      Duration elapsed) {

    /**
     * The summary as a JSON document with stable field names (documented in docs/replay.md): {@code
     * replayId}, {@code dryRun}, {@code scanned}, {@code matched}, {@code superseded}, {@code
     * notRedrivable}, {@code limitedOut}, {@code selected}, {@code selectedByType} (error type to
     * count), {@code sourceEvents}, {@code readFromSource}, {@code written} (output topic to count;
     * empty in a dry run), {@code deadLetteredAgain}, {@code transactions} and {@code elapsedMs}.
     */
    public ObjectNode toJson() {
      ObjectNode doc = JsonNodeFactory.instance.objectNode();
      doc.put("replayId", replayId);
      doc.put("dryRun", dryRun);
      doc.put("scanned", scanned);
      doc.put("matched", matched);
      doc.put("superseded", superseded);
      doc.put("notRedrivable", notRedrivable);
      doc.put("limitedOut", limitedOut);
      doc.put("selected", selected);
      ObjectNode byType = doc.putObject("selectedByType");
      selectedByType.forEach((t, n) -> byType.put(t.name(), n));
      doc.put("sourceEvents", sourceEvents);
      doc.put("readFromSource", readFromSource);
      ObjectNode w = doc.putObject("written");
      written.forEach(w::put);
      doc.put("deadLetteredAgain", deadLetteredAgain);
      doc.put("transactions", transactions);
      doc.put("elapsedMs", elapsed.toMillis());
      return doc;
    }

    /** Prints {@link #toJson()} on one line. */
    public void printJson(PrintWriter out) {
      out.println(toJson().toString());
      out.flush();
    }

    public void print(PrintWriter out) {
      out.printf(
          "%s of the dead letters in the topic%n",
          dryRun ? "Dry run of a re-drive" : "Re-drive " + replayId);
      out.printf("dead letters scanned: %d%n", scanned);
      out.printf("dead letters matching the filter: %d%n", matched);
      out.printf("superseded by a later dead letter of the same line: %d%n", superseded);
      out.printf("not re-drivable (no original bytes, no source offset): %d%n", notRedrivable);
      if (limitedOut > 0) {
        out.printf("left out by --limit: %d%n", limitedOut);
      }
      out.printf("selected: %d%n", selected);
      selectedByType.forEach((t, n) -> out.printf("  %s: %d%n", t, n));
      out.printf("source events: %d%n", sourceEvents);
      out.printf("source events read back from the input (no stored bytes): %d%n", readFromSource);
      if (dryRun) {
        out.println("dry run: no Twikit call made, nothing written");
      } else {
        written.forEach((topic, n) -> out.printf("written to %s: %d%n", topic, n));
        out.printf("dead-lettered again: %d%n", deadLetteredAgain);
        out.printf("transactions: %d%n", transactions);
        out.printf("replay-id: %s%n", replayId);
      }
      out.printf("elapsed: %.1f s%n", elapsed.toMillis() / 1000.0);
      out.flush();
    }
  }

  /** A line (or, with a null line id, a whole event) that was dead-lettered. */
  private record LineKey(String topic, int partition, long offset, String lineId) {
    static LineKey of(DeadLetter d) {
      return new LineKey(
          d.getSourceTopic(), d.getSourcePartition(), d.getSourceOffset(), d.getLineId());
    }

    String source() {
      return OutputHeaders.source(topic, partition, offset);
    }
  }

  /**
   * The dead letter chosen for a line: the latest. {@code fetch}: it holds no original bytes, the
   * source record is read back from the input.
   */
  private record Chosen(int partition, long offset, long failedAt, ErrorType type, boolean fetch) {
    boolean isLaterThan(Chosen o) {
      if (failedAt != o.failedAt) {
        return failedAt > o.failedAt;
      }
      return partition == o.partition ? offset > o.offset : partition > o.partition;
    }
  }

  /**
   * Re-drives the dead letters matching {@code filter}.
   *
   * @param limit most lines to re-drive; 0 = all
   * @param enricher null for a dry run
   */
  public RedriveReport redrive(
      DeadLetterFilter filter,
      int limit,
      boolean dryRun,
      String replayId,
      String targetTopicPrefix,
      int batchSize,
      OrderEnricher enricher)
      throws InterruptedException {
    if (limit < 0) {
      throw new ReplayUsageException("--limit must not be negative, was " + limit);
    }
    if (batchSize < 1) {
      throw new ReplayUsageException("--batch-size must be at least 1, was " + batchSize);
    }
    if (!dryRun && enricher == null) {
      throw new IllegalStateException("a re-drive that is not a dry run needs an enricher");
    }
    long started = System.nanoTime();
    String topic = config.topics().deadLetters();
    String clientId = "order-enricher-redrive-" + replayId;
    KafkaConsumer<byte[], byte[]> sourceConsumer = null;
    try (Admin admin = Admin.create(KafkaClients.admin(config));
        KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(KafkaClients.consumer(config, clientId, 500))) {
      SortedSet<Integer> partitions =
          InputTopic.partitions(admin, topic, TopicSettings.DEAD_LETTERS);
      DeadLetterScan scan = new DeadLetterScan(consumer, topic, letterDeserializer);
      DeadLetterScan.Range range = scan.capture(partitions, filter.from());

      // pass 1: select (coordinates only, so memory stays small), latest dead letter per line
      Map<LineKey, Chosen> chosen = new LinkedHashMap<>();
      long[] matched = {0};
      long[] notRedrivable = {0};
      long[] scanned = {0};
      progress.start("selecting", range.size());
      scan.scan(
          range,
          filter,
          e -> {
            matched[0]++;
            DeadLetter d = e.letter();
            boolean fetch = needsFetch(d);
            if (fetch && (d.getSourcePartition() < 0 || d.getSourceOffset() < 0)) {
              notRedrivable[0]++;
              return true;
            }
            Chosen c =
                new Chosen(
                    e.partition(),
                    e.offset(),
                    d.getFailedAt() == null ? 0 : d.getFailedAt().toEpochMilli(),
                    d.getErrorType(),
                    fetch);
            chosen.merge(LineKey.of(d), c, (a, b) -> b.isLaterThan(a) ? b : a);
            return true;
          },
          n -> {
            scanned[0] = n;
            progress.update(n, chosen.size() + " selected");
          });
      progress.finish(scanned[0], chosen.size() + " selected");
      long superseded = matched[0] - notRedrivable[0] - chosen.size();
      long limitedOut = 0;
      if (limit > 0 && chosen.size() > limit) {
        limitedOut = chosen.size() - limit;
        var it = chosen.keySet().iterator();
        for (int i = 0; it.hasNext(); i++) {
          it.next();
          if (i >= limit) {
            it.remove();
          }
        }
      }
      Map<ErrorType, Long> byType = new EnumMap<>(ErrorType.class);
      Set<String> sources = new HashSet<>();
      Map<Integer, Set<Long>> wanted = new HashMap<>();
      Set<SourceFetcher.Coordinates> toFetch = new LinkedHashSet<>();
      chosen.forEach(
          (k, c) -> {
            byType.merge(c.type(), 1L, Long::sum);
            sources.add(k.source());
            wanted.computeIfAbsent(c.partition(), p -> new HashSet<>()).add(c.offset());
            if (c.fetch()) {
              toFetch.add(new SourceFetcher.Coordinates(k.topic(), k.partition(), k.offset()));
            }
          });
      // a source record deleted by retention stops the job here, before anything is written
      SourceFetcher fetcher = null;
      if (!toFetch.isEmpty()) {
        sourceConsumer =
            new KafkaConsumer<>(KafkaClients.consumer(config, clientId + "-source", 1));
        fetcher = new SourceFetcher(sourceConsumer, FETCH_TIMEOUT);
        fetcher.checkAvailable(toFetch);
      }

      Map<String, Long> written = Map.of();
      long deadLetteredAgain = 0;
      long transactions = 0;
      if (!dryRun && !chosen.isEmpty()) {
        OutputTargets targets = OutputTargets.prepare(admin, config, targetTopicPrefix);
        try (OutputWriter writer =
            new OutputWriter(KafkaClients.producer(config, clientId), targets, serdes)) {
          Pass2 pass2 =
              new Pass2(
                  writer,
                  new BatchEnrichment(enricher, replayId, clock),
                  wanted,
                  batchSize,
                  fetcher);
          progress.start("re-driving", range.size());
          try {
            scan.scan(
                range,
                DeadLetterFilter.all(),
                pass2::accept,
                n -> {
                  scanned[0] = n;
                  progress.update(n, pass2.lines + " lines re-driven");
                });
            pass2.flush(() -> progress.update(scanned[0], "waiting for Twikit"));
          } catch (KafkaException | ReplayFailedException e) {
            throw new ReplayFailedException(
                "re-drive "
                    + replayId
                    + " stopped after "
                    + pass2.lines
                    + " re-driven lines in committed transactions: "
                    + (e instanceof ReplayFailedException ? e.getMessage() : e.toString())
                    + "; rerun it (consumers deduplicate on "
                    + "idempotency-key) or narrow it with --from-timestamp",
                e);
          }
          progress.finish(scanned[0], pass2.lines + " lines re-driven");
          written = writer.written();
          deadLetteredAgain = pass2.deadLettered;
          transactions = writer.transactions();
        }
      }
      LOG.info(
          "Re-drive {}: {} dead letters selected from {} source events",
          replayId,
          chosen.size(),
          sources.size());
      return new RedriveReport(
          replayId,
          dryRun,
          scanned[0],
          matched[0],
          chosen.size(),
          superseded,
          notRedrivable[0],
          toFetch.size(),
          limitedOut,
          byType,
          sources.size(),
          written,
          deadLetteredAgain,
          transactions,
          Duration.ofNanos(System.nanoTime() - started));
    } finally {
      if (sourceConsumer != null) {
        sourceConsumer.close();
      }
    }
  }

  /** Pass 2: groups the chosen dead letters by source event into batches and re-drives them. */
  private final class Pass2 {
    private static final Set<Outputs.Role> ALL_ROLES = EnumSet.allOf(Outputs.Role.class);

    private final OutputWriter writer;
    private final BatchEnrichment enrichment;
    private final Map<Integer, Set<Long>> wanted;
    private final int batchSize;
    private final SourceFetcher fetcher;
    private final EventDecoder decoder =
        new EventDecoder(eventDeserializer, config.enrichment().maxLinesPerEvent());
    private final Map<String, Group> batch = new LinkedHashMap<>();
    long lines;
    long deadLettered;

    Pass2(
        OutputWriter writer,
        BatchEnrichment enrichment,
        Map<Integer, Set<Long>> wanted,
        int batchSize,
        SourceFetcher fetcher) {
      this.writer = writer;
      this.enrichment = enrichment;
      this.wanted = wanted;
      this.batchSize = batchSize;
      this.fetcher = fetcher;
    }

    /** The dead letters of one source event in a batch. */
    private static final class Group {
      SourceRecord source;

      /** The source record is to be read back from the input (no dead letter held its bytes). */
      boolean fetch;

      /** Line id to the roles of its outputs to write; null = every output of the event. */
      Map<String, Set<Outputs.Role>> lines = new HashMap<>();

      final Map<String, Integer> attempts = new HashMap<>();

      Group(SourceRecord source, boolean fetch) {
        this.source = source;
        this.fetch = fetch;
      }
    }

    boolean accept(DeadLetterScan.Entry e) {
      Set<Long> offsets = wanted.get(e.partition());
      if (offsets == null || !offsets.contains(e.offset())) {
        return true;
      }
      DeadLetter d = e.letter();
      String sourceKey =
          OutputHeaders.source(d.getSourceTopic(), d.getSourcePartition(), d.getSourceOffset());
      Group g = batch.get(sourceKey);
      boolean fetch = needsFetch(d);
      SourceRecord stored =
          new SourceRecord(
              d.getSourceTopic(),
              d.getSourcePartition(),
              d.getSourceOffset(),
              e.timestamp(),
              bytes(d.getKey()),
              bytes(d.getValue()));
      if (g == null) {
        if (batch.size() >= batchSize) {
          try {
            flush(() -> {});
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted", ie);
          }
        }
        g = new Group(stored, fetch);
        batch.put(sourceKey, g);
      } else if (g.fetch && !fetch) {
        g.source = stored; // another dead letter of the event holds its bytes
        g.fetch = false;
      }
      if (d.getLineId() == null) {
        g.lines = null; // event-level: every output of the event
        g.attempts.merge(BatchEnrichment.EVENT_LEVEL, d.getAttempts(), Math::max);
      } else {
        if (g.lines != null) {
          g.lines
              .computeIfAbsent(d.getLineId(), l -> EnumSet.noneOf(Outputs.Role.class))
              .addAll(roles(d));
        }
        g.attempts.merge(d.getLineId(), d.getAttempts(), Math::max);
      }
      lines++;
      return true;
    }

    /**
     * The outputs of its line a dead letter re-drives: for a refused output only that output (the
     * line's other outputs reached their topics), else all of them; a new dead letter of the line
     * always.
     */
    private Set<Outputs.Role> roles(DeadLetter d) {
      if (d.getErrorType() != ErrorType.PRODUCTION_ERROR || d.getRefusedTopic() == null) {
        return ALL_ROLES;
      }
      String refused = d.getRefusedTopic();
      if (refused.equals(config.topics().erp())) {
        return EnumSet.of(Outputs.Role.ERP, Outputs.Role.DEAD_LETTER);
      }
      if (refused.equals(config.topics().fulfillment())) {
        return EnumSet.of(Outputs.Role.FULFILLMENT, Outputs.Role.DEAD_LETTER);
      }
      LOG.warn(
          "Dead letter of {} names refused topic {}, which is not an output topic now;"
              + " re-driving every output of line {}",
          OutputHeaders.source(d.getSourceTopic(), d.getSourcePartition(), d.getSourceOffset()),
          refused,
          d.getLineId());
      return ALL_ROLES;
    }

    void flush(Runnable waiting) throws InterruptedException {
      if (batch.isEmpty()) {
        return;
      }
      List<BatchEnrichment.Item> items = new ArrayList<>(batch.size());
      for (Group g : batch.values()) {
        SourceRecord s = g.source;
        if (g.fetch) {
          s = fetcher.fetch(new SourceFetcher.Coordinates(s.topic(), s.partition(), s.offset()));
        }
        DecodedEvent decoded = decoder.decode(s.topic(), s.key(), s.value());
        Map<String, Set<Outputs.Role>> lines = null;
        if (g.lines != null) {
          lines = new HashMap<>();
          for (var entry : g.lines.entrySet()) {
            lines.put(entry.getKey(), Set.copyOf(entry.getValue()));
          }
        }
        items.add(new BatchEnrichment.Item(s, decoded, lines, Map.copyOf(g.attempts)));
      }
      List<Outputs.Output> outputs = enrichment.process(items, waiting);
      writer.write(outputs, clock.millis());
      deadLettered += outputs.stream().filter(o -> o.role() == Outputs.Role.DEAD_LETTER).count();
      batch.clear();
    }
  }

  /**
   * Whether the dead letter's source record must be read back from the input: it holds no value and
   * is not the dead letter of a tombstone (an UNREADABLE record without a value).
   */
  private static boolean needsFetch(DeadLetter d) {
    return d.getValue() == null && d.getErrorType() != ErrorType.UNREADABLE;
  }

  private static byte[] bytes(ByteBuffer b) {
    if (b == null) {
      return null;
    }
    ByteBuffer d = b.duplicate();
    byte[] out = new byte[d.remaining()];
    d.get(out);
    return out;
  }
}
