package dev.twikitorders.localstack;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka cluster (KRaft, combined broker and controller) running in this JVM.
 *
 * <p>Built on {@code kafka-test-common-runtime}'s {@code KafkaClusterTestKit}, which is internal
 * Kafka API: this class is the only place that touches it. The broker is configured for a single
 * node (replication factors and {@code transaction.state.log.min.isr} of 1), so transactions and
 * {@code exactly_once_v2} work, and {@code group.initial.rebalance.delay.ms=0} so consumer groups
 * start without the 3 s delay. Log directories live in a temporary directory that {@link #close()}
 * deletes.
 *
 * <p>Thread-safe: all methods may be called from any thread; {@link #close()} is idempotent.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

  /** The broker settings this class applies; {@link #start(Map)} overrides win over these. */
  public static final Map<String, String> DEFAULT_BROKER_CONFIG =
      Map.of(
          "offsets.topic.replication.factor", "1",
          "offsets.topic.num.partitions", "6",
          "transaction.state.log.replication.factor", "1",
          "transaction.state.log.min.isr", "1",
          "transaction.state.log.num.partitions", "6",
          "share.coordinator.state.topic.replication.factor", "1",
          "share.coordinator.state.topic.min.isr", "1",
          "group.initial.rebalance.delay.ms", "0");

  private static final Duration TOPIC_VISIBLE_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaClusterTestKit cluster;
  private final Path baseDirectory;
  private final String bootstrapServers;
  private boolean closed;

  private EmbeddedKafka(KafkaClusterTestKit cluster, Path baseDirectory) {
    this.cluster = cluster;
    this.baseDirectory = baseDirectory;
    this.bootstrapServers = cluster.bootstrapServers();
  }

  /** Starts a broker with {@link #DEFAULT_BROKER_CONFIG} and waits until it is ready. */
  public static EmbeddedKafka start() {
    return start(Map.of());
  }

  /**
   * Starts a broker with {@link #DEFAULT_BROKER_CONFIG} plus {@code brokerConfigOverrides} and
   * waits until it is ready (typically 1 to 4 s).
   *
   * @throws IllegalStateException if the broker cannot start; nothing is left running then
   */
  public static EmbeddedKafka start(Map<String, String> brokerConfigOverrides) {
    Map<String, String> config = new LinkedHashMap<>(DEFAULT_BROKER_CONFIG);
    config.putAll(Objects.requireNonNull(brokerConfigOverrides, "brokerConfigOverrides"));
    long startNanos = System.nanoTime();
    Path baseDirectory;
    try {
      baseDirectory = Files.createTempDirectory("embedded-kafka-");
    } catch (IOException e) {
      throw new IllegalStateException("Cannot create a temporary directory for the Kafka logs", e);
    }
    KafkaClusterTestKit cluster = null;
    try {
      TestKitNodes nodes =
          new TestKitNodes.Builder()
              .setCombined(true)
              .setNumBrokerNodes(1)
              .setNumControllerNodes(1)
              .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
              .setBaseDirectory(baseDirectory)
              .build();
      KafkaClusterTestKit.Builder builder =
          new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(true);
      config.forEach(builder::setConfigProp);
      cluster = builder.build();
      formatQuietly(cluster);
      cluster.startup();
      cluster.waitForReadyBrokers();
      EmbeddedKafka kafka = new EmbeddedKafka(cluster, baseDirectory);
      log.info(
          "Embedded Kafka broker ready at {} in {} ms",
          kafka.bootstrapServers,
          (System.nanoTime() - startNanos) / 1_000_000);
      return kafka;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      IllegalStateException failure =
          new IllegalStateException("The embedded Kafka broker did not start", e);
      if (cluster != null) {
        try {
          cluster.close();
        } catch (Exception closeFailure) {
          failure.addSuppressed(closeFailure);
        }
      }
      Files2.deleteRecursively(baseDirectory, failure);
      throw failure;
    }
  }

  /**
   * The test kit's {@code format()} prints the bootstrap metadata records to standard output: keep
   * stdout clean.
   */
  private static void formatQuietly(KafkaClusterTestKit cluster) throws Exception {
    PrintStream stdout = System.out;
    synchronized (EmbeddedKafka.class) {
      System.setOut(new PrintStream(OutputStream.nullOutputStream()));
      try {
        cluster.format();
      } finally {
        System.setOut(stdout);
      }
    }
  }

  /** The {@code bootstrap.servers} value of this broker, e.g. {@code localhost:40123}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The temporary directory holding the log directories; deleted by {@link #close()}. */
  Path baseDirectory() {
    return baseDirectory;
  }

  /** A new admin client for this broker; the caller closes it. */
  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  /**
   * Creates the topics that do not exist yet and waits until every partition of every named topic
   * has a leader. Existing topics are left as they are (their partition count is not checked).
   */
  public void createTopics(Collection<NewTopic> topics) {
    try (Admin admin = admin()) {
      List<Throwable> failures = new ArrayList<>();
      admin
          .createTopics(topics)
          .values()
          .forEach(
              (name, future) -> {
                try {
                  future.get();
                } catch (ExecutionException e) {
                  if (!(e.getCause() instanceof TopicExistsException)) {
                    failures.add(e.getCause());
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  failures.add(e);
                }
              });
      if (!failures.isEmpty()) {
        IllegalStateException failure = new IllegalStateException("Cannot create topics " + topics);
        failures.forEach(failure::addSuppressed);
        throw failure;
      }
      awaitVisible(admin, topics.stream().map(NewTopic::name).collect(Collectors.toSet()));
    }
  }

  /**
   * The controller acknowledges a creation before the broker's metadata shows it: wait until every
   * partition has a leader, so that a consumer or a Kafka Streams application started next sees the
   * topics.
   */
  private static void awaitVisible(Admin admin, Set<String> names) {
    long deadline = System.nanoTime() + TOPIC_VISIBLE_TIMEOUT.toNanos();
    while (true) {
      try {
        Map<String, TopicDescription> descriptions =
            admin.describeTopics(names).allTopicNames().get();
        boolean allLed =
            descriptions.values().stream()
                .flatMap(description -> description.partitions().stream())
                .allMatch(partition -> partition.leader() != null && partition.leader().id() >= 0);
        if (allLed) {
          return;
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw new IllegalStateException("Cannot describe topics " + names, e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for topics " + names, e);
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "Topics " + names + " were created but not visible within " + TOPIC_VISIBLE_TIMEOUT);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for topics " + names, e);
      }
    }
  }

  /**
   * Creates each named topic with {@code partitions} partitions (replication factor 1) unless it
   * exists.
   */
  public void createTopics(int partitions, String... names) {
    List<NewTopic> topics = new ArrayList<>(names.length);
    for (String name : names) {
      topics.add(new NewTopic(name, partitions, (short) 1));
    }
    createTopics(topics);
  }

  /** Stops the broker and deletes its log directories. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    IllegalStateException failure =
        new IllegalStateException("Errors while stopping the embedded Kafka broker");
    try {
      cluster.close();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      failure.addSuppressed(e);
    }
    Files2.deleteRecursively(baseDirectory, failure);
    if (failure.getSuppressed().length > 0) {
      throw failure;
    }
    log.info("Embedded Kafka broker at {} stopped", bootstrapServers);
  }

  @Override
  public String toString() {
    return "EmbeddedKafka[" + bootstrapServers + "]";
  }
}
