package dev.twikitorders.testfixtures;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads output topics from their beginning the way a downstream consumer sees them, and tags every
 * record with the {@linkplain OutputRole role} of its topic.
 *
 * <p>What it reads: every partition of the given topics, from the earliest offset, with {@code
 * isolation.level=read_committed}. Under {@code read_committed} a record of a transaction shows
 * only once that transaction has committed; records of aborted transactions never show, and a
 * partition's readable end is its <em>last stable offset</em> (the first offset of the earliest
 * still-open transaction, or the high watermark when none is open). {@link #endOffsets()} returns
 * those last stable offsets, so reading up to them waits out (the commit or abort of) every
 * transaction open at that moment.
 *
 * <p>No consumer group: partitions are assigned directly ({@code assign} and {@code
 * seekToBeginning}), nothing is committed, and the reader never creates a topic. Keys are read as
 * UTF-8 strings (null stays null), header values as UTF-8 strings (the last value of a repeated
 * header wins), values with the caller's {@link Deserializer}.
 *
 * <p>Typical use, reading everything committed so far:
 *
 * <pre>{@code
 * try (var reader = new OutputTopicsReader<>(bootstrap, Map.of(erpTopic, OutputRole.ERP,
 *         deadLetterTopic, OutputRole.DEAD_LETTER), new StringDeserializer())) {
 *   Map<TopicPartition, Long> end = reader.endOffsets();
 *   List<OutputTopicsReader.OutputRecord<String>> read = new ArrayList<>();
 *   while (!reader.reachedEnd(end)) {
 *     reader.poll(Duration.ofMillis(200), read::add);
 *   }
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one thread at a time constructs, polls, asks for offsets and closes it (as
 * with {@link KafkaConsumer}). The exception is {@link #wakeup()}, which any thread may call to
 * interrupt a {@link #poll} running on another.
 *
 * @param <V> the type of the record values
 */
public final class OutputTopicsReader<V> implements AutoCloseable {
  /**
   * How long the constructor waits for the partition metadata of every topic (a topic created a
   * moment ago may not be visible yet) and for the beginning offsets.
   */
  public static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration METADATA_RETRY_BACKOFF = Duration.ofMillis(100);

  /** Consumer settings the reader owns: extra properties may not set them. */
  private static final Set<String> FIXED_PROPERTIES =
      Set.of(
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
          ConsumerConfig.GROUP_ID_CONFIG,
          ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
          ConsumerConfig.ISOLATION_LEVEL_CONFIG,
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);

  /**
   * One record as read.
   *
   * @param role the role of {@code topic}
   * @param topic the topic it was read from
   * @param partition its partition
   * @param offset its offset
   * @param key its key as a UTF-8 string, or null
   * @param headers its headers in record order, values decoded as UTF-8 (a null header value stays
   *     null; the last value of a repeated header wins); unmodifiable
   * @param value its value as deserialized, or null
   * @param <V> the type of the value
   */
  public record OutputRecord<V>(
      OutputRole role,
      String topic,
      int partition,
      long offset,
      String key,
      Map<String, String> headers,
      V value) {
    public OutputRecord {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(topic, "topic");
      headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** The value of header {@code name}, or null when the record has no such header. */
    public String header(String name) {
      return headers.get(name);
    }
  }

  private final Map<String, OutputRole> roles;
  private final KafkaConsumer<String, V> consumer;
  private final List<TopicPartition> partitions;

  /**
   * A reader of {@code topics} with default consumer settings; see {@link
   * #OutputTopicsReader(String, Map, Deserializer, Map)}.
   */
  public OutputTopicsReader(
      String bootstrapServers, Map<String, OutputRole> topics, Deserializer<V> valueDeserializer) {
    this(bootstrapServers, topics, valueDeserializer, Map.of());
  }

  /**
   * Connects, finds every partition of {@code topics} and positions the reader at their beginning.
   *
   * @param bootstrapServers {@code bootstrap.servers} of the cluster
   * @param topics the topics to read, each with its role
   * @param valueDeserializer reads the record values; the reader closes it on {@link #close()}
   * @param consumerProperties further consumer settings, e.g. {@code client.id} or {@code
   *     max.poll.records}; they may not set the bootstrap servers, a group, the isolation level,
   *     auto commit, the offset reset policy or the deserializers
   * @throws IllegalArgumentException if {@code topics} is empty or {@code consumerProperties} sets
   *     one of the settings the reader owns
   * @throws IllegalStateException if a topic shows no partitions within {@link #METADATA_TIMEOUT}
   *     (it does not exist, or the cluster is unreachable)
   */
  public OutputTopicsReader(
      String bootstrapServers,
      Map<String, OutputRole> topics,
      Deserializer<V> valueDeserializer,
      Map<String, ?> consumerProperties) {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(valueDeserializer, "valueDeserializer");
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("No topics to read");
    }
    for (String name : consumerProperties.keySet()) {
      if (FIXED_PROPERTIES.contains(name)) {
        throw new IllegalArgumentException(
            "Consumer setting " + name + " is the reader's own and cannot be overridden");
      }
    }
    this.roles = Collections.unmodifiableMap(new LinkedHashMap<>(topics));
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    config.putAll(consumerProperties);
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), valueDeserializer);
    try {
      this.partitions = List.copyOf(findPartitions());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      // resolve the beginning now: connection problems surface here, and positions are set
      partitions.forEach(tp -> consumer.position(tp, METADATA_TIMEOUT));
    } catch (RuntimeException e) {
      try {
        consumer.close(CloseOptions.timeout(Duration.ZERO));
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private List<TopicPartition> findPartitions() {
    long deadline = System.nanoTime() + METADATA_TIMEOUT.toNanos();
    List<TopicPartition> found = new ArrayList<>();
    for (String topic : roles.keySet()) {
      List<PartitionInfo> infos = List.of();
      while (infos.isEmpty()) {
        long left = deadline - System.nanoTime();
        try {
          infos = consumer.partitionsFor(topic, Duration.ofNanos(Math.max(0, left)));
        } catch (TimeoutException e) {
          throw noPartitions(topic, e);
        }
        if (infos.isEmpty()) {
          if (left <= 0) {
            throw noPartitions(topic, null);
          }
          // a topic created a moment ago may not be in the broker's metadata yet
          LockSupport.parkNanos(Math.min(left, METADATA_RETRY_BACKOFF.toNanos()));
        }
      }
      infos.forEach(info -> found.add(new TopicPartition(topic, info.partition())));
    }
    return found;
  }

  private static IllegalStateException noPartitions(String topic, Exception cause) {
    return new IllegalStateException(
        "No partition metadata for topic "
            + topic
            + " within "
            + METADATA_TIMEOUT.toSeconds()
            + " s: does it exist, is the cluster reachable?",
        cause);
  }

  /** The topics read, each with its role. */
  public Map<String, OutputRole> topics() {
    return roles;
  }

  /** Every partition of the topics read. */
  public List<TopicPartition> partitions() {
    return partitions;
  }

  /**
   * Polls once, waiting up to {@code timeout} for records, and hands each record read to {@code
   * sink} in partition order.
   *
   * @return the number of records handed to {@code sink}
   * @throws WakeupException if {@link #wakeup()} was called before or during the poll
   */
  public int poll(Duration timeout, Consumer<? super OutputRecord<V>> sink) {
    ConsumerRecords<String, V> records = consumer.poll(timeout);
    for (ConsumerRecord<String, V> r : records) {
      sink.accept(toOutput(r));
    }
    return records.count();
  }

  /**
   * Polls once, waiting up to {@code timeout} for records.
   *
   * @return the records read, in partition order; empty when none arrived in time
   * @throws WakeupException if {@link #wakeup()} was called before or during the poll
   */
  public List<OutputRecord<V>> poll(Duration timeout) {
    List<OutputRecord<V>> read = new ArrayList<>();
    poll(timeout, read::add);
    return read;
  }

  private OutputRecord<V> toOutput(ConsumerRecord<String, V> r) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header h : r.headers()) {
      headers.put(
          h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
    }
    return new OutputRecord<>(
        roles.get(r.topic()), r.topic(), r.partition(), r.offset(), r.key(), headers, r.value());
  }

  /**
   * The current end of every partition read: under {@code read_committed} its last stable offset.
   * Pass the result to {@link #reachedEnd(Map)} to read everything committed up to now.
   */
  public Map<TopicPartition, Long> endOffsets() {
    return Map.copyOf(consumer.endOffsets(partitions));
  }

  /**
   * Whether the reader has read every partition in {@code endOffsets} up to its offset there
   * (typically the result of an earlier {@link #endOffsets()}).
   *
   * @throws IllegalStateException if {@code endOffsets} names a partition the reader does not read
   */
  public boolean reachedEnd(Map<TopicPartition, Long> endOffsets) {
    for (Map.Entry<TopicPartition, Long> e : endOffsets.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Makes a {@link #poll} blocked on another thread (or the next one) throw {@link
   * WakeupException}. Safe to call from any thread.
   */
  public void wakeup() {
    consumer.wakeup();
  }

  /** Closes the consumer (and with it the value deserializer); waits up to 5 s. */
  @Override
  public void close() {
    consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
  }

  @Override
  public String toString() {
    return "OutputTopicsReader" + roles;
  }
}
