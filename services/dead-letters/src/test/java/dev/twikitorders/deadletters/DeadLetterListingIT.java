package dev.twikitorders.deadletters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.localstack.EmbeddedKafka;
import dev.twikitorders.schemas.DeadLetter;
import dev.twikitorders.schemas.ErrorType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link DeadLetterListing#list} and {@link DeadLetterScan} against a real broker: a dead-letter
 * topic of two partitions holding three dead letters and one record that is not one.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES) // a guard against a hang, not a timing assertion
class DeadLetterListingIT {
  private static final String TOPIC = "order-events.dlq";
  private static final Instant T1 = Instant.parse("2025-03-01T00:00:00Z");
  private static final Instant T2 = Instant.parse("2025-03-02T00:00:00Z");

  /** Avro single-object encoding: enough for a test, the applications use the registry's. */
  private static final Deserializer<DeadLetter> LETTERS =
      (topic, data) -> {
        try {
          return DeadLetter.fromByteBuffer(ByteBuffer.wrap(data));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      };

  private static EmbeddedKafka kafka;

  private static DeadLetter letter(ErrorType type, Instant failedAt, String orderId, long source) {
    return DeadLetter.newBuilder()
        .setErrorType(type)
        .setMessage("failed")
        .setSourceTopic("order-events")
        .setSourcePartition(0)
        .setSourceOffset(source)
        .setOrderId(orderId)
        .setAttempts(1)
        .setFailedAt(failedAt)
        .build();
  }

  private static byte[] bytes(DeadLetter letter) throws IOException {
    ByteBuffer b = letter.toByteBuffer();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.start();
    kafka.createTopics(2, TOPIC);
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      producer.send(record(0, bytes(letter(ErrorType.NOT_FOUND, T1, "o1", 10)))).get();
      producer.send(record(0, bytes(letter(ErrorType.INCOMPATIBLE, T2, "o2", 11)))).get();
      producer.send(record(1, "not a dead letter".getBytes(StandardCharsets.UTF_8))).get();
      producer.send(record(1, bytes(letter(ErrorType.NOT_FOUND, T2, "o1", 12)))).get();
    }
  }

  private static ProducerRecord<byte[], byte[]> record(int partition, byte[] value) {
    return new ProducerRecord<>(TOPIC, partition, null, value);
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer() {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG,
            false,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class));
  }

  private static List<String> coordinates(DeadLetterListing listing) {
    return listing.entries().stream().map(DeadLetterScan.Entry::coordinates).toList();
  }

  @Test
  void listsEveryReadableDeadLetterInOffsetOrderPerPartition() {
    List<Long> progress = new ArrayList<>();
    DeadLetterListing listing;
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      listing =
          DeadLetterListing.list(
              consumer, TOPIC, LETTERS, DeadLetterFilter.all(), 100, progress::add);
      assertThat(consumer.assignment()).isEmpty();
    }

    assertThat(coordinates(listing)).containsExactlyInAnyOrder("0/0", "0/1", "1/1");
    assertThat(coordinates(listing).stream().filter(c -> c.startsWith("0/")))
        .containsExactly("0/0", "0/1");
    assertThat(listing.limitReached()).isFalse();
    assertThat(listing.scanned()).isEqualTo(4);
    assertThat(listing.unreadable()).isEqualTo(1);
    assertThat(progress).isNotEmpty().isSorted();
    assertThat(progress.getLast()).isEqualTo(4);
  }

  @Test
  void appliesTheFilter() {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      DeadLetterListing notFound =
          DeadLetterListing.list(
              consumer,
              TOPIC,
              LETTERS,
              new DeadLetterFilter(EnumSet.of(ErrorType.NOT_FOUND), null, null, "o1"),
              100,
              n -> {});
      assertThat(coordinates(notFound)).containsExactlyInAnyOrder("0/0", "1/1");

      DeadLetterListing fromT2 =
          DeadLetterListing.list(
              consumer, TOPIC, LETTERS, new DeadLetterFilter(null, T2, null, null), 100, n -> {});
      assertThat(coordinates(fromT2)).containsExactlyInAnyOrder("0/1", "1/1");
      assertThat(fromT2.entries())
          .allSatisfy(e -> assertThat(e.letter().getFailedAt()).isEqualTo(T2));
    }
  }

  @Test
  void stopsAtTheLimitAndSaysSo() {
    List<long[]> seen = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      DeadLetterListing listing =
          DeadLetterListing.list(
              consumer,
              TOPIC,
              new TreeSet<>(List.of(0)),
              LETTERS,
              DeadLetterFilter.all(),
              1,
              new DeadLetterListing.Listener() {
                @Override
                public void started(long records) {
                  seen.add(new long[] {records});
                }

                @Override
                public void scanned(long scanned, int matched) {
                  seen.add(new long[] {scanned, matched});
                }
              });
      assertThat(coordinates(listing)).containsExactly("0/0");
      assertThat(listing.limitReached()).isTrue();
    }
    assertThat(seen.getFirst()).containsExactly(2L);
    assertThat(seen.getLast()[1]).isEqualTo(1);
  }

  @Test
  void aMissingTopicOrABadLimitIsAUsageError() {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      assertThatThrownBy(
              () ->
                  DeadLetterListing.list(
                      consumer, "no-such-topic", LETTERS, DeadLetterFilter.all(), 10, n -> {}))
          .isInstanceOf(DeadLetterUsageException.class)
          .hasMessage("topic 'no-such-topic' does not exist");
      assertThatThrownBy(
              () ->
                  DeadLetterListing.list(
                      consumer, TOPIC, LETTERS, DeadLetterFilter.all(), 0, n -> {}))
          .isInstanceOf(DeadLetterUsageException.class)
          .hasMessage("--limit must be at least 1, was 0");
    }
  }
}
