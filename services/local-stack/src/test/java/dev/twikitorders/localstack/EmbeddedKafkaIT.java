package dev.twikitorders.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaIT {
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
  void aReadCommittedConsumerSeesCommittedTransactionsOnly() {
    String topic = "tx-test";
    kafka.createTopics(1, topic);

    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                "embedded-kafka-it",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class))) {
      producer.initTransactions();
      producer.beginTransaction();
      IntStream.range(0, 5)
          .forEach(i -> producer.send(new ProducerRecord<>(topic, "k", "aborted-" + i)));
      producer.abortTransaction();
      producer.beginTransaction();
      IntStream.range(0, 10)
          .forEach(i -> producer.send(new ProducerRecord<>(topic, "k", "committed-" + i)));
      producer.commitTransaction();
    }

    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "embedded-kafka-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                IsolationLevel.READ_COMMITTED.toString(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class))) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (ConsumerRecord<String, String> record :
                    consumer.poll(Duration.ofMillis(200))) {
                  values.add(record.value());
                }
                return values.size() >= 10;
              });
    }

    // one partition, aborted batch first: reaching the committed records means the aborted ones
    // were skipped
    assertThat(values)
        .containsExactlyElementsOf(IntStream.range(0, 10).mapToObj(i -> "committed-" + i).toList());
  }

  @Test
  void createTopicsCreatesMissingTopicsAndLeavesExistingOnes() throws Exception {
    kafka.createTopics(3, "orders-a", "orders-b");
    kafka.createTopics(5, "orders-a", "orders-c");

    try (Admin admin = kafka.admin()) {
      assertThat(admin.listTopics().names().get()).contains("orders-a", "orders-b", "orders-c");
      var descriptions = admin.describeTopics(Set.of("orders-a", "orders-c")).allTopicNames().get();
      assertThat(descriptions.get("orders-a").partitions()).hasSize(3);
      assertThat(descriptions.get("orders-c").partitions()).hasSize(5);
    }
  }

  @Test
  void aBrokerWithoutTlsListenersSaysSoWhenAskedForThem() {
    assertThatThrownBy(kafka::sslBootstrapServers)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tlsListeners");
    assertThatThrownBy(() -> kafka.createScramUser("someone", "secret"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tlsListeners");
    assertThat(kafka.toString()).isEqualTo("EmbeddedKafka[" + kafka.bootstrapServers() + "]");
  }
}
