package dev.twikitorders.enricher.replay;

import dev.twikitorders.enricher.records.Outputs;
import dev.twikitorders.enricher.records.PipelineTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes the outputs of one batch in one Kafka transaction, in the given order (the input order),
 * with its own {@code transactional.id}: a batch's records become visible to read_committed
 * consumers all at once or not at all.
 *
 * <p>Values are serialized with the pipeline's serdes for the target topic's subject ({@code
 * <target topic>-value}). Not thread-safe: one job thread.
 */
final class OutputWriter implements AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final OutputTargets targets;
  private final PipelineTopics serdes;
  private final Map<String, Long> written = new LinkedHashMap<>();
  private long transactions;

  OutputWriter(Map<String, Object> producerConfig, OutputTargets targets, PipelineTopics serdes) {
    this.targets = targets;
    this.serdes = serdes;
    targets.all().forEach(t -> written.put(t, 0L));
    this.producer = new KafkaProducer<>(producerConfig);
    this.producer.initTransactions();
  }

  /**
   * Writes {@code outputs} in one transaction and commits it.
   *
   * @throws KafkaException when the transaction cannot be committed; it is aborted first when the
   *     producer is still usable, so none of the batch is visible
   */
  void write(List<Outputs.Output> outputs, long timestamp) {
    if (outputs.isEmpty()) {
      return;
    }
    // serialize first: a registry failure must not leave a transaction open
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(outputs.size());
    for (Outputs.Output o : outputs) {
      String topic = targets.topic(o.role());
      byte[] key = o.key() == null ? null : o.key().getBytes(StandardCharsets.UTF_8);
      byte[] value = serializer(o.role()).serialize(topic, o.headers(), o.value());
      records.add(new ProducerRecord<>(topic, null, timestamp, key, value, o.headers()));
    }
    producer.beginTransaction();
    try {
      for (var r : records) {
        producer.send(r);
      }
      producer.commitTransaction();
    } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
      throw e; // fatal for this producer: nothing to abort
    } catch (KafkaException e) {
      try {
        producer.abortTransaction();
      } catch (KafkaException abort) {
        e.addSuppressed(abort);
      }
      throw e;
    }
    transactions++;
    for (var r : records) {
      written.merge(r.topic(), 1L, Long::sum);
    }
  }

  @SuppressWarnings("unchecked")
  private Serializer<SpecificRecord> serializer(Outputs.Role role) {
    return (Serializer<SpecificRecord>)
        (Serializer<?>)
            switch (role) {
              case ERP -> serdes.erp().valueSerde().serializer();
              case FULFILLMENT -> serdes.fulfillment().valueSerde().serializer();
              case DEAD_LETTER -> serdes.deadLetters().valueSerde().serializer();
            };
  }

  /** Records written per target topic, in committed transactions. */
  Map<String, Long> written() {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(written));
  }

  long transactions() {
    return transactions;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
  }
}
