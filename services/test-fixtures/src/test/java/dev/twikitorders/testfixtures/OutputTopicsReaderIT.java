package dev.twikitorders.testfixtures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.twikitorders.localstack.EmbeddedKafka;
import dev.twikitorders.testfixtures.OutputTopicsReader.OutputRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link OutputTopicsReader} against a real (in-process KRaft) broker and real transactions. */
class OutputTopicsReaderIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void readsExactlyTheCommittedRecordsWithTheirHeadersAndRoles() {
    String erp = "committed.erp";
    String deadLetters = "committed.dlq";
    kafka.createTopics(2, erp);
    kafka.createTopics(1, deadLetters);

    try (KafkaProducer<String, String> producer = transactionalProducer("reader-it-committed")) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(record(erp, "order-1", "aborted-erp", "idempotency-key", "e1:1"));
      producer.send(record(deadLetters, null, "aborted-dlq", "idempotency-key", "e1"));
      producer.flush();
      producer.abortTransaction();

      producer.beginTransaction();
      producer.send(
          record(
              erp,
              "order-2",
              "erp-2",
              "event-id",
              "e2",
              "idempotency-key",
              "e2:1",
              "source",
              "orders/0/5"));
      // a repeated header: the last value wins
      producer.send(
          record(erp, "order-3", "erp-3", "idempotency-key", "stale", "idempotency-key", "e3:1"));
      producer.send(
          record(deadLetters, null, "dlq-4", "idempotency-key", "orders/1/7", "replay-id", null));
      producer.commitTransaction();
    }

    try (OutputTopicsReader<String> reader =
        new OutputTopicsReader<>(
            kafka.bootstrapServers(),
            Map.of(erp, OutputRole.ERP, deadLetters, OutputRole.DEAD_LETTER),
            new StringDeserializer())) {
      assertThat(reader.partitions())
          .containsExactlyInAnyOrder(
              new TopicPartition(erp, 0),
              new TopicPartition(erp, 1),
              new TopicPartition(deadLetters, 0));

      // commitTransaction() returns before every commit marker is written: until then the last
      // stable offset may stop short of the committed records
      List<OutputRecord<String>> read = new ArrayList<>();
      await("the committed records readable")
          .atMost(TIMEOUT)
          .pollInSameThread()
          .until(
              () -> {
                read.addAll(readToEnd(reader));
                return read.size() >= 3;
              });
      read.addAll(readToEnd(reader));

      assertThat(read)
          .extracting(
              OutputRecord::role,
              OutputRecord::topic,
              OutputRecord::key,
              OutputRecord::headers,
              OutputRecord::value)
          .containsExactlyInAnyOrder(
              tuple(
                  OutputRole.ERP,
                  erp,
                  "order-2",
                  headers("event-id", "e2", "idempotency-key", "e2:1", "source", "orders/0/5"),
                  "erp-2"),
              tuple(OutputRole.ERP, erp, "order-3", headers("idempotency-key", "e3:1"), "erp-3"),
              tuple(
                  OutputRole.DEAD_LETTER,
                  deadLetters,
                  null,
                  headers("idempotency-key", "orders/1/7", "replay-id", null),
                  "dlq-4"));
      // the aborted record and the abort marker took offsets 0 and 1
      assertThat(read.stream().filter(r -> r.topic().equals(deadLetters)))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.offset()).isEqualTo(2);
                assertThat(r.partition()).isZero();
                assertThat(r.header("idempotency-key")).isEqualTo("orders/1/7");
                assertThat(r.header("replay-id")).isNull();
                assertThat(r.header("event-id")).isNull();
              });

      // the end stays where it is: nothing more to read
      assertThat(reader.poll(Duration.ofMillis(200))).isEmpty();
      assertThat(reader.reachedEnd(reader.endOffsets())).isTrue();
    }
  }

  @Test
  void readingToTheEndWaitsOutAnOpenTransaction() {
    String erp = "open.erp";
    kafka.createTopics(1, erp);
    try (KafkaProducer<String, String> producer = transactionalProducer("reader-it-open");
        OutputTopicsReader<String> reader = reader(erp)) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(record(erp, "order-1", "before", "idempotency-key", "e1:1"));
      producer.commitTransaction();
      await("the first transaction's records readable")
          .atMost(TIMEOUT)
          .pollInSameThread()
          .until(() -> reader.endOffsets().get(new TopicPartition(erp, 0)) > 0);

      producer.beginTransaction();
      producer.send(record(erp, "order-1", "pending", "idempotency-key", "e2:1"));
      producer.flush();

      // the last stable offset stops before the open transaction
      assertThat(readToEnd(reader)).extracting(OutputRecord::value).containsExactly("before");
      assertThat(reader.poll(Duration.ofMillis(200))).isEmpty();

      producer.commitTransaction();
      List<OutputRecord<String>> after = new ArrayList<>();
      await("the second transaction's records readable")
          .atMost(TIMEOUT)
          .pollInSameThread()
          .until(
              () -> {
                after.addAll(readToEnd(reader));
                return !after.isEmpty();
              });
      assertThat(after).extracting(OutputRecord::value).containsExactly("pending");
      assertThat(after.getFirst().header("idempotency-key")).isEqualTo("e2:1");
    }
  }

  @Test
  void wakeupInterruptsAPollOnAnotherThread() throws Exception {
    String erp = "wakeup.erp";
    kafka.createTopics(1, erp);
    ExecutorService pollThread = Executors.newSingleThreadExecutor();
    try (OutputTopicsReader<String> reader = reader(erp)) {
      Future<List<OutputRecord<String>>> poll =
          pollThread.submit(() -> reader.poll(Duration.ofMinutes(10)));
      reader.wakeup();
      assertThatThrownBy(() -> poll.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
          .hasCauseInstanceOf(WakeupException.class);
    } finally {
      pollThread.shutdownNow();
    }
  }

  @Test
  void extraPropertiesMayNotChangeWhatIsRead() {
    for (String owned :
        List.of(
            ConsumerConfig.GROUP_ID_CONFIG,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)) {
      assertThatThrownBy(
              () ->
                  new OutputTopicsReader<>(
                      kafka.bootstrapServers(),
                      Map.of("any", OutputRole.ERP),
                      new StringDeserializer(),
                      Map.of(owned, "x")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(owned);
    }
  }

  /** Reads up to the current end (the last stable offset of every partition). */
  private static List<OutputRecord<String>> readToEnd(OutputTopicsReader<String> reader) {
    Map<TopicPartition, Long> end = reader.endOffsets();
    List<OutputRecord<String>> read = new ArrayList<>();
    await("read to " + end)
        .atMost(TIMEOUT)
        .pollInSameThread()
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> {
              reader.poll(Duration.ofMillis(100), read::add);
              return reader.reachedEnd(end);
            });
    return read;
  }

  private static OutputTopicsReader<String> reader(String erpTopic) {
    return new OutputTopicsReader<>(
        kafka.bootstrapServers(),
        Map.of(erpTopic, OutputRole.ERP),
        new StringDeserializer(),
        Map.of(ConsumerConfig.CLIENT_ID_CONFIG, "output-topics-reader-it"));
  }

  private static KafkaProducer<String, String> transactionalProducer(String transactionalId) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            transactionalId),
        new StringSerializer(),
        new StringSerializer());
  }

  /** A record with headers given as name, value, name, value, ... (a null value stays null). */
  private static ProducerRecord<String, String> record(
      String topic, String key, String value, String... headers) {
    List<Header> list = new ArrayList<>();
    for (int i = 0; i < headers.length; i += 2) {
      String v = headers[i + 1];
      list.add(new RecordHeader(headers[i], v == null ? null : v.getBytes(StandardCharsets.UTF_8)));
    }
    return new ProducerRecord<>(topic, null, key, value, list);
  }

  private static Map<String, String> headers(String... namesAndValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      m.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return m;
  }
}
