package dev.twikitorders.enricher.app;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives Kafka Streams' exactly-once producers a transactional id that survives a restart: {@code
 * <application.id>-<group instance id>-<thread>} instead of {@code <application.id>-<process
 * id>-<thread>}.
 *
 * <p>Why: Kafka Streams 4.3 keeps its process id in the state directory only when the topology has
 * a persistent store ({@code StateDirectory#initializeProcessId}); the pipeline's only store is in
 * memory, so every start gets a new random process id and therefore new transactional ids. The
 * transaction a killed instance left open is then not fenced by its successor: it blocks {@code
 * read_committed} readers and the successor's committed-offset fetch until the broker aborts it
 * ({@code transaction.timeout.ms}, 10 s under Kafka Streams, plus up to the broker's {@code
 * transaction.abort.timed.out.transaction.cleanup.interval.ms}, 10 s by default). With the same
 * transactional id, the successor's {@code initTransactions} aborts it at once. The id is as unique
 * as the group instance id ({@link StreamsInstance}).
 *
 * <p>Thread-safe (stateless apart from the delegate, which is).
 */
final class StableTransactionalIds implements KafkaClientSupplier {
  private static final Logger LOG = LoggerFactory.getLogger(StableTransactionalIds.class);

  /** {@code <application.id>-<process id>-<thread index>}, as Kafka Streams 4.3 builds it. */
  private static final Pattern STREAMS_ID =
      Pattern.compile(
          "(.*)-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}-(\\d+)");

  private final KafkaClientSupplier delegate;
  private final String applicationId;
  private final String instanceId;

  /** Over {@code delegate}'s clients, which get the rewritten configuration. */
  StableTransactionalIds(String applicationId, String instanceId, KafkaClientSupplier delegate) {
    this.applicationId = applicationId;
    this.instanceId = instanceId;
    this.delegate = delegate;
  }

  /** The stable id for Kafka Streams' {@code id}, or {@code id} when its shape is unexpected. */
  String stable(String id) {
    Matcher m = STREAMS_ID.matcher(id);
    if (!m.matches() || !m.group(1).equals(applicationId)) {
      LOG.warn(
          "Unexpected transactional id {}: kept (a restart may wait for the broker to abort the"
              + " old instance's transaction)",
          id);
      return id;
    }
    return applicationId + "-" + instanceId + "-" + m.group(2);
  }

  @Override
  public Admin getAdmin(Map<String, Object> config) {
    return delegate.getAdmin(config);
  }

  @Override
  public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
    Object id = config.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    if (id == null) {
      return delegate.getProducer(config);
    }
    Map<String, Object> copy = new HashMap<>(config);
    copy.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, stable(id.toString()));
    return delegate.getProducer(copy);
  }

  @Override
  public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
    return delegate.getConsumer(config);
  }

  @Override
  public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
    return delegate.getRestoreConsumer(config);
  }

  @Override
  public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
    return delegate.getGlobalConsumer(config);
  }
}
