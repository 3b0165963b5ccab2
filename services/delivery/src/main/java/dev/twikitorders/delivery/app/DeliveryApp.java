package dev.twikitorders.delivery.app;

import dev.twikitorders.delivery.config.DeliveryConfig;
import dev.twikitorders.delivery.config.DeliverySettings;
import dev.twikitorders.ops.Health;
import dev.twikitorders.ops.OpsServer;
import dev.twikitorders.ops.Verdict;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.settings.ConfigException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery service, wired in one place: checks its topics and credentials, then runs a {@link
 * DeliveryLoop} on its own thread and, with {@code metrics.port} set, serves {@code /metrics} and
 * the health probes.
 *
 * <p>Health: {@code /health/live} is 200 while the loop has not failed or stopped; {@code
 * /health/ready} is 200 while the loop runs (it has joined its group) and the endpoint does not
 * refuse the credentials ({@code PAUSED DELIVERY_CREDENTIALS_REFUSED} otherwise).
 *
 * <p>Thread-safe: {@link #close()} (graceful stop) may be called from a shutdown hook while another
 * thread waits in {@link #awaitStop()}.
 */
public final class DeliveryApp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryApp.class);

  /** How long the start-up checks wait for Kafka, the registry or the identity provider. */
  static final Duration STARTUP_CHECK_TIMEOUT = Duration.ofSeconds(60);

  private final DeliveryConfig config;
  private final DeliveryLoop loop;
  private final Thread thread;
  private final DeliveryMetrics metrics;
  private final OpsServer ops;
  private final List<AutoCloseable> resources;

  private DeliveryApp(
      DeliveryConfig config,
      DeliveryLoop loop,
      Thread thread,
      DeliveryMetrics metrics,
      OpsServer ops,
      List<AutoCloseable> resources) {
    this.config = config;
    this.loop = loop;
    this.thread = thread;
    this.metrics = metrics;
    this.ops = ops;
    this.resources = resources;
  }

  /**
   * Checks the settings, the credentials (a token is obtained for the OAuth schemes) and Kafka (the
   * topic exists; the dead-letter topic exists or is created), then starts delivering.
   *
   * @throws ConfigException naming the setting when one is missing or wrong, a topic is missing or
   *     the identity provider refuses the credentials
   * @throws DependencyUnavailableException when Kafka or the identity provider does not answer
   */
  public static DeliveryApp start(DeliveryConfig config) {
    config.requireKafka();
    config.requireEndpoint();
    DeliverySettings d = config.delivery();
    List<AutoCloseable> resources = new ArrayList<>();
    try {
      // credentials (and the refresh-token store) first: a refused start leaves no topic behind
      Endpoint endpoint = Endpoint.open(config);
      resources.add(endpoint);
      Topics.prepare(config);
      Clock clock = Clock.systemUTC();
      SchemaRegistryClient registry = Wiring.registryClient(config);
      resources.add(registry);
      KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Wiring.producerConfig(config));
      resources.add(() -> producer.close(Duration.ofSeconds(10)));
      DeadLetterWriter deadLetters = Wiring.deadLetterWriter(config, registry, producer, clock);

      PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      DeliveryMetrics metrics = new DeliveryMetrics(meters);
      metrics.capacity(endpoint.capacity());
      resources.add(DeliveryMetrics.bindJvm(meters));
      KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Wiring.consumerConfig(config));
      DeliveryLoop loop =
          new DeliveryLoop(
              consumer,
              d.topic(),
              Wiring.valueDecoder(config, registry),
              endpoint.http(),
              d.policy(),
              endpoint.scheduler(),
              deadLetters,
              metrics,
              d.maxPendingRecords(),
              d.shutdownTimeout(),
              clock);
      OpsServer ops = null;
      if (config.metrics().enabled()) {
        DeliveryStatus status = new DeliveryStatus(config, loop, metrics, meters, clock);
        resources.add(status);
        ops =
            OpsServer.serve(
                new InetSocketAddress(config.metrics().bindAddress(), config.metrics().port()),
                meters,
                health(loop, metrics),
                status,
                () -> {});
        resources.add(ops);
        LOG.info("Serving the status page, /metrics and /health on {}", ops.address());
      }
      Thread thread = new Thread(loop, "delivery-loop");
      thread.start();
      LOG.info(
          "Delivering {} to {} (group {}, dead letters to {}, auth {}, {}, up to {} per partition)",
          d.topic(),
          d.url(),
          d.groupId(),
          d.deadLetterTopic(),
          endpoint.describe(),
          endpoint.capacity(),
          d.policy().maxInFlightRequests());
      return new DeliveryApp(config, loop, thread, metrics, ops, resources);
    } catch (RuntimeException e) {
      closeAll(resources);
      throw e;
    }
  }

  private static Health health(DeliveryLoop loop, DeliveryMetrics metrics) {
    return new Health() {
      @Override
      public Verdict live() {
        DeliveryLoop.State s = loop.state();
        boolean up = s != DeliveryLoop.State.FAILED && s != DeliveryLoop.State.STOPPED;
        return up ? Verdict.up(s.name() + "\n") : Verdict.down(s.name() + "\n");
      }

      @Override
      public Verdict ready() {
        DeliveryLoop.State s = loop.state();
        if (s == DeliveryLoop.State.RUNNING && metrics.credentialsRefused()) {
          return Verdict.down("PAUSED DELIVERY_CREDENTIALS_REFUSED\n");
        }
        return s == DeliveryLoop.State.RUNNING
            ? Verdict.up(s.name() + "\n")
            : Verdict.down(s.name() + "\n");
      }
    };
  }

  public DeliveryConfig config() {
    return config;
  }

  public DeliveryMetrics metrics() {
    return metrics;
  }

  /** The metrics endpoint's address, or null when it is off. */
  public InetSocketAddress metricsAddress() {
    return ops == null ? null : ops.address();
  }

  /** Blocks until the loop ended (stopped or failed). */
  public void awaitStop() throws InterruptedException {
    thread.join();
  }

  /** Why the loop failed, or null. */
  public Throwable failure() {
    return loop.failure();
  }

  /**
   * Stops gracefully: the loop finishes or abandons its requests in flight (see {@link
   * DeliveryLoop}) and commits what settled; then everything is closed. Idempotent.
   */
  @Override
  public void close() {
    loop.stop();
    try {
      if (!loop.awaitTermination(
          config.delivery().shutdownTimeout().plus(Duration.ofSeconds(20)))) {
        LOG.warn("The delivery loop did not stop in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeAll(resources);
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        LOG.warn("Cannot close {}", resources.get(i), e);
      }
    }
    resources.clear();
  }

  /** The topic checks of the start. */
  static final class Topics {
    private Topics() {}

    /**
     * Checks that the delivered topic exists and that the dead-letter topic exists, creating it
     * (with the delivered topic's partitions) when allowed.
     */
    static void prepare(DeliveryConfig config) {
      DeliverySettings d = config.delivery();
      try (Admin admin = Admin.create(config.kafka().admin())) {
        var described =
            admin.describeTopics(List.of(d.topic(), d.deadLetterTopic())).topicNameValues();
        int partitions;
        try {
          partitions =
              described
                  .get(d.topic())
                  .get(STARTUP_CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                  .partitions()
                  .size();
        } catch (ExecutionException e) {
          throw missingOrUnreachable(e, d.topic(), DeliverySettings.TOPIC.key());
        }
        try {
          described
              .get(d.deadLetterTopic())
              .get(STARTUP_CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause()
                  instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
              || !d.createDeadLetterTopic()) {
            throw missingOrUnreachable(
                e, d.deadLetterTopic(), DeliverySettings.DEAD_LETTER_TOPIC.key());
          }
          createDeadLetterTopic(admin, d.deadLetterTopic(), partitions);
        }
      } catch (TimeoutException e) {
        throw new DependencyUnavailableException(
            "Kafka ("
                + config.kafka().bootstrapServers()
                + ") did not answer within "
                + STARTUP_CHECK_TIMEOUT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DependencyUnavailableException("interrupted while checking the topics");
      }
    }

    private static void createDeadLetterTopic(Admin admin, String topic, int partitions)
        throws InterruptedException, TimeoutException {
      try {
        admin
            .createTopics(
                List.of(
                    new org.apache.kafka.clients.admin.NewTopic(
                        topic, java.util.Optional.of(partitions), java.util.Optional.empty())))
            .all()
            .get(STARTUP_CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Created the dead-letter topic {} ({} partitions)", topic, partitions);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
          throw new ConfigException(
              "cannot create the dead-letter topic "
                  + topic
                  + " ("
                  + DeliverySettings.DEAD_LETTER_TOPIC.key()
                  + "): "
                  + e.getCause().getMessage());
        }
      }
    }

    private static RuntimeException missingOrUnreachable(
        ExecutionException e, String topic, String setting) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
        return new ConfigException("topic " + topic + " (setting " + setting + ") does not exist");
      }
      if (e.getCause() instanceof org.apache.kafka.common.errors.AuthenticationException
          || e.getCause() instanceof org.apache.kafka.common.errors.AuthorizationException
          || e.getCause() instanceof org.apache.kafka.common.errors.SslAuthenticationException) {
        return new ConfigException(
            "Kafka refused the client ("
                + e.getCause().getMessage()
                + "): check the KAFKA_* security settings");
      }
      return new DependencyUnavailableException(
          "cannot describe topic " + topic + ": " + e.getCause());
    }
  }
}
