package dev.twikitorders.delivery.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twikitorders.deadletters.DeadLetterFilter;
import dev.twikitorders.deadletters.DeadLetterScan;
import dev.twikitorders.delivery.DeliveryPolicy;
import dev.twikitorders.delivery.DeliveryRecord;
import dev.twikitorders.delivery.HttpDelivery;
import dev.twikitorders.delivery.PartitionDelivery;
import dev.twikitorders.delivery.RecordOutcome;
import dev.twikitorders.schemas.DeadLetter;
import dev.twikitorders.schemas.ErrorType;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code dlq redrive} of the delivery service: delivers the matching delivery dead letters again,
 * one at a time in dead-letter topic order, from their stored bytes ({@code key}, {@code value},
 * decoded again through the schema registry) with their stored {@code idempotencyKey}, with the
 * live service's retry rules under a deadline. A record refused again, or still failing at the
 * deadline, is dead-lettered again with {@code attempts} added up and {@code replayId} set. When a
 * record was dead-lettered more than once (by earlier re-drives), only its latest dead letter is
 * re-driven. Nothing remembers what was re-driven: running it again delivers the same records again
 * (the endpoint deduplicates by key).
 *
 * <p>Not thread-safe: one job per instance. The caller owns every resource passed in.
 */
public final class Redrive {
  private static final Logger LOG = LoggerFactory.getLogger(Redrive.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final Deserializer<DeadLetter> letters;
  private final DeliveryLoop.ValueDecoder decoder;

  public Redrive(
      KafkaConsumer<byte[], byte[]> consumer,
      String topic,
      Deserializer<DeadLetter> letters,
      DeliveryLoop.ValueDecoder decoder) {
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.topic = Objects.requireNonNull(topic, "topic");
    this.letters = Objects.requireNonNull(letters, "letters");
    this.decoder = Objects.requireNonNull(decoder, "decoder");
  }

  /** What a re-drive did. */
  public record Summary(
      String replayId, int selected, int delivered, int deadLetteredAgain, boolean dryRun) {

    /**
     * The summary as a JSON document with stable field names (documented in
     * services/delivery/README.md): {@code replayId}, {@code dryRun}, {@code selected}, {@code
     * delivered}, {@code deadLetteredAgain} (both 0 in a dry run).
     */
    public ObjectNode toJson() {
      return JsonNodeFactory.instance
          .objectNode()
          .put("replayId", replayId)
          .put("dryRun", dryRun)
          .put("selected", selected)
          .put("delivered", delivered)
          .put("deadLetteredAgain", deadLetteredAgain);
    }

    /** Prints {@link #toJson()} on one line. */
    public void printJson(PrintWriter out) {
      out.println(toJson().toString());
      out.flush();
    }

    /** Prints the summary as one sentence. */
    public void print(PrintWriter out) {
      if (dryRun) {
        out.printf("Dry run: %d dead letters would be re-driven (nothing sent)%n", selected);
        return;
      }
      out.printf(
          "Re-drove %d dead letters (replay id %s): %d delivered, %d dead-lettered again%n",
          selected, replayId, delivered, deadLetteredAgain);
    }
  }

  /** The latest dead letter of each source record matching {@code filter}, in topic order. */
  public List<DeadLetterScan.Entry> select(DeadLetterFilter filter, int limit) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic);
    if (infos == null || infos.isEmpty()) {
      throw new dev.twikitorders.deadletters.DeadLetterUsageException(
          "topic '" + topic + "' does not exist");
    }
    SortedSet<Integer> partitions = new TreeSet<>();
    infos.forEach(i -> partitions.add(i.partition()));
    DeadLetterScan scan = new DeadLetterScan(consumer, topic, letters);
    Map<String, DeadLetterScan.Entry> latest = new LinkedHashMap<>();
    scan.scan(
        scan.capture(partitions, filter.from()),
        filter,
        e -> {
          DeadLetter d = e.letter();
          String source =
              d.getSourceTopic() + "/" + d.getSourcePartition() + "/" + d.getSourceOffset();
          latest.remove(source);
          latest.put(source, e);
          return true;
        },
        read -> {});
    List<DeadLetterScan.Entry> selected = new ArrayList<>(latest.values());
    return limit > 0 && selected.size() > limit ? selected.subList(0, limit) : selected;
  }

  /**
   * Re-drives {@code selected}.
   *
   * @param deadline how long one record is retried before it is dead-lettered again
   */
  public Summary redrive(
      List<DeadLetterScan.Entry> selected,
      HttpDelivery http,
      DeliveryPolicy policy,
      Duration deadline,
      ScheduledExecutorService scheduler,
      DeadLetterWriter deadLetters,
      String replayId)
      throws InterruptedException {
    int delivered = 0;
    int again = 0;
    DeliveryPolicy bounded = policy.withBatching(1, Duration.ZERO).withDeadline(deadline);
    for (DeadLetterScan.Entry e : selected) {
      DeadLetter d = e.letter();
      ConsumerRecord<byte[], byte[]> source = source(d);
      String key = DeliveryLoop.idempotencyKey(source);
      IndexedRecord value = null;
      String unreadable = null;
      if (source.value() == null) {
        unreadable = "the dead letter holds no value";
      } else {
        try {
          value = decoder.decode(source.topic(), source.headers(), source.value());
        } catch (dev.twikitorders.registry.SchemaRegistryException ex) {
          throw ex; // the registry is down: stop, nothing is lost (the dead letters stay)
        } catch (RuntimeException ex) {
          unreadable = "value cannot be read: " + ex.getMessage();
        }
      }
      RecordOutcome outcome;
      if (value == null) {
        outcome = null;
      } else {
        CompletableFuture<RecordOutcome> result = new CompletableFuture<>();
        try (PartitionDelivery p =
            new PartitionDelivery(http, bounded, scheduler, result::complete)) {
          p.submit(
              new DeliveryRecord(
                  source.key(), value, key, source.topic(), source.partition(), source.offset()));
          outcome = result.get();
        } catch (ExecutionException ex) {
          throw new IllegalStateException("re-drive of " + e.coordinates() + " failed", ex);
        }
      }
      if (outcome != null && outcome.kind() == RecordOutcome.Kind.DELIVERED) {
        delivered++;
        LOG.info("Re-drove {} ({}): delivered", e.coordinates(), key);
        continue;
      }
      DeadLetterWriter.Failure failure =
          outcome == null
              ? new DeadLetterWriter.Failure(
                  ErrorType.DELIVERY_REJECTED, unreadable, 0, "", d.getAttempts(), replayId)
              : new DeadLetterWriter.Failure(
                  outcome.kind() == RecordOutcome.Kind.REJECTED
                      ? ErrorType.DELIVERY_REJECTED
                      : ErrorType.DELIVERY_EXHAUSTED,
                  outcome.kind() == RecordOutcome.Kind.REJECTED
                      ? "the endpoint refused the record again with HTTP " + outcome.status()
                      : "not delivered within the re-drive deadline ("
                          + deadline
                          + "); last attempt: "
                          + outcome.detail(),
                  outcome.status(),
                  outcome.kind() == RecordOutcome.Kind.REJECTED ? outcome.detail() : "",
                  d.getAttempts() + outcome.attempts(),
                  replayId);
      try {
        deadLetters.write(source, key, value, failure).get(60, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException ex) {
        throw new IllegalStateException(
            "cannot write the dead letter of " + e.coordinates() + " again: " + ex, ex);
      }
      again++;
      LOG.warn("Re-drove {} ({}): {}", e.coordinates(), key, failure.message());
    }
    return new Summary(replayId, selected.size(), delivered, again, false);
  }

  /** The original record as the dead letter holds it, its idempotency key as a header. */
  static ConsumerRecord<byte[], byte[]> source(DeadLetter d) {
    ConsumerRecord<byte[], byte[]> r =
        new ConsumerRecord<>(
            d.getSourceTopic(),
            d.getSourcePartition(),
            d.getSourceOffset(),
            bytes(d.getKey()),
            bytes(d.getValue()));
    if (d.getIdempotencyKey() != null) {
      r.headers()
          .add(
              DeliveryLoop.IDEMPOTENCY_KEY_HEADER,
              d.getIdempotencyKey().getBytes(StandardCharsets.UTF_8));
    }
    return r;
  }

  private static byte[] bytes(ByteBuffer b) {
    if (b == null) {
      return null;
    }
    ByteBuffer copy = b.duplicate();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return out;
  }
}
