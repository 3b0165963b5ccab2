package dev.twikitorders.localstack;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.auth.SecurityProtocol;
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
 * <p>Listeners: always a PLAINTEXT one ({@link #bootstrapServers()}), which the broker also uses
 * between its broker and controller parts and which {@link #admin()} and {@link #createTopics} use.
 * With {@link Builder#tlsListeners} also an {@code SSL} listener ({@link #sslBootstrapServers()})
 * and a {@code SASL_SSL} listener with {@code SCRAM-SHA-512} ({@link #saslSslBootstrapServers()};
 * users from {@link #createScramUser}), both served by Kafka's own network layer from the given
 * PKCS12 key store. No authorizer: every authenticated client may do everything.
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

  /** Name of the TLS listener (security protocol {@code SSL}). */
  public static final String SSL_LISTENER = "SSL";

  /** Name of the TLS listener with SASL authentication (security protocol {@code SASL_SSL}). */
  public static final String SASL_SSL_LISTENER = "SASL_SSL";

  /** The SASL mechanism of the {@link #SASL_SSL_LISTENER}. */
  public static final String SCRAM_MECHANISM = ScramMechanism.SCRAM_SHA_512.mechanismName();

  /** The test kit's names of its PLAINTEXT listeners (TestKitDefaults), kept when TLS is added. */
  private static final String PLAINTEXT_LISTENER = "EXTERNAL";

  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final Duration TOPIC_VISIBLE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration SCRAM_USER_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaClusterTestKit cluster;
  private final Path baseDirectory;
  private final String bootstrapServers;
  private final Tls tls;
  private final String sslBootstrapServers;
  private final String saslSslBootstrapServers;
  private boolean closed;

  private EmbeddedKafka(KafkaClusterTestKit cluster, Path baseDirectory, Tls tls) {
    this.cluster = cluster;
    this.baseDirectory = baseDirectory;
    this.bootstrapServers = cluster.bootstrapServers();
    this.tls = tls;
    this.sslBootstrapServers = tls == null ? null : "localhost:" + boundPort(cluster, SSL_LISTENER);
    this.saslSslBootstrapServers =
        tls == null ? null : "localhost:" + boundPort(cluster, SASL_SSL_LISTENER);
  }

  /** Starts a broker with {@link #DEFAULT_BROKER_CONFIG} and waits until it is ready. */
  public static EmbeddedKafka start() {
    return builder().start();
  }

  /**
   * Starts a broker with {@link #DEFAULT_BROKER_CONFIG} plus {@code brokerConfigOverrides} and
   * waits until it is ready (typically 1 to 4 s).
   *
   * @throws IllegalStateException if the broker cannot start; nothing is left running then
   */
  public static EmbeddedKafka start(Map<String, String> brokerConfigOverrides) {
    return builder().brokerConfig(brokerConfigOverrides).start();
  }

  /** A builder for a broker with more than the defaults (TLS listeners, broker settings). */
  public static Builder builder() {
    return new Builder();
  }

  private static EmbeddedKafka start(Map<String, String> brokerConfigOverrides, Tls tls) {
    Map<String, String> config = new LinkedHashMap<>(DEFAULT_BROKER_CONFIG);
    if (tls != null) {
      config.putAll(tls.brokerConfig());
    }
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
      EmbeddedKafka kafka = new EmbeddedKafka(cluster, baseDirectory, tls);
      log.info(
          "Embedded Kafka broker ready at {} in {} ms",
          kafka.listenersDescription(),
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
   * The port a listener of the (single) broker is bound to. The test kit only reports its own
   * PLAINTEXT listener's address, and its {@code brokers()} values are Kafka's Scala {@code
   * BrokerServer}, which is not a declared dependency of this module: its public {@code
   * boundPort(ListenerName)} is called reflectively.
   */
  private static int boundPort(KafkaClusterTestKit cluster, String listener) {
    Map<Integer, ?> brokers = cluster.brokers();
    Object broker = brokers.values().iterator().next();
    try {
      Object port =
          broker
              .getClass()
              .getMethod("boundPort", ListenerName.class)
              .invoke(broker, ListenerName.normalised(listener));
      if (port instanceof Integer p && p > 0) {
        return p;
      }
      throw new IllegalStateException("The broker reports no bound port for listener " + listener);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "Cannot read the port of listener "
              + listener
              + " from "
              + broker.getClass().getName()
              + ".boundPort(ListenerName): did a Kafka upgrade change it?",
          e);
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

  /**
   * The {@code bootstrap.servers} value of the {@code SSL} listener, e.g. {@code localhost:40124}
   * (the host name the server certificate must hold).
   *
   * @throws IllegalStateException if the broker was started without {@link Builder#tlsListeners}
   */
  public String sslBootstrapServers() {
    requireTls();
    return sslBootstrapServers;
  }

  /**
   * The {@code bootstrap.servers} value of the {@code SASL_SSL} listener ({@code SCRAM-SHA-512};
   * users from {@link #createScramUser}).
   *
   * @throws IllegalStateException if the broker was started without {@link Builder#tlsListeners}
   */
  public String saslSslBootstrapServers() {
    requireTls();
    return saslSslBootstrapServers;
  }

  /**
   * Client settings for the {@code SSL} listener: its bootstrap servers, {@code
   * security.protocol=SSL} and the builder's trust store (PKCS12). A new mutable map; it holds the
   * trust store password.
   *
   * @throws IllegalStateException if the broker was started without {@link Builder#tlsListeners}
   */
  public Map<String, Object> sslClientConfig() {
    requireTls();
    Map<String, Object> m = tls.clientConfig();
    m.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, sslBootstrapServers);
    m.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SSL.name);
    return m;
  }

  /**
   * Client settings for the {@code SASL_SSL} listener as {@code user}: its bootstrap servers,
   * {@code security.protocol=SASL_SSL}, {@code sasl.mechanism=SCRAM-SHA-512}, a {@code
   * sasl.jaas.config} with the credentials, and the builder's trust store. A new mutable map; it
   * holds the password.
   *
   * @throws IllegalStateException if the broker was started without {@link Builder#tlsListeners}
   */
  public Map<String, Object> saslSslClientConfig(String user, String password) {
    requireTls();
    Map<String, Object> m = tls.clientConfig();
    m.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, saslSslBootstrapServers);
    m.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SASL_SSL.name);
    m.put(SaslConfigs.SASL_MECHANISM, SCRAM_MECHANISM);
    m.put(SaslConfigs.SASL_JAAS_CONFIG, scramJaasConfig(user, password));
    return m;
  }

  /**
   * The client {@code sasl.jaas.config} value for a SCRAM user: {@code
   * org.apache.kafka.common.security.scram.ScramLoginModule required username="..."
   * password="...";}.
   *
   * @throws IllegalArgumentException if either holds a double quote or a backslash (JAAS quoting)
   */
  public static String scramJaasConfig(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + jaasQuotable(user, "user")
        + "\" password=\""
        + jaasQuotable(password, "password")
        + "\";";
  }

  private static String jaasQuotable(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.indexOf('"') >= 0 || value.indexOf('\\') >= 0) {
      // the message must not hold a password
      throw new IllegalArgumentException("The SCRAM " + what + " must not hold '\"' or '\\'");
    }
    return value;
  }

  /**
   * Creates (or replaces) the {@code SCRAM-SHA-512} credentials of {@code user} through the
   * PLAINTEXT listener ({@code Admin#alterUserScramCredentials}, 4096 iterations), then waits until
   * the {@code SASL_SSL} listener accepts them (the broker learns them from the metadata log, a
   * moment after the controller stored them).
   *
   * @throws IllegalStateException if the broker was started without {@link Builder#tlsListeners},
   *     the credentials cannot be stored, or the listener does not accept them within 30 s; no
   *     message holds the password
   */
  public void createScramUser(String user, String password) {
    requireTls();
    String jaas = scramJaasConfig(user, password); // checks both before anything is stored
    try (Admin admin = admin()) {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "Cannot store the SCRAM credentials of user " + user,
          e instanceof ExecutionException ? e.getCause() : e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating SCRAM user " + user, e);
    }
    awaitScramLogin(user, jaas);
  }

  /** Logs in as {@code user} over SASL_SSL until the broker accepts the new credentials. */
  private void awaitScramLogin(String user, String jaas) {
    long deadline = System.nanoTime() + SCRAM_USER_TIMEOUT.toNanos();
    Map<String, Object> config = tls.clientConfig();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, saslSslBootstrapServers);
    config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SASL_SSL.name);
    config.put(SaslConfigs.SASL_MECHANISM, SCRAM_MECHANISM);
    config.put(SaslConfigs.SASL_JAAS_CONFIG, jaas);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    Throwable last = null;
    while (System.nanoTime() - deadline < 0) {
      try (Admin admin = Admin.create(config)) {
        admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
        log.info("SCRAM user {} accepted by the SASL_SSL listener", user);
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof SaslAuthenticationException)) {
          throw new IllegalStateException(
              "Cannot log in as SCRAM user " + user + " over SASL_SSL", e.getCause());
        }
        last = e.getCause(); // not propagated to the broker yet: try again
      } catch (TimeoutException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for SCRAM user " + user, e);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for SCRAM user " + user, e);
      }
    }
    throw new IllegalStateException(
        "The SASL_SSL listener did not accept SCRAM user "
            + user
            + " within "
            + SCRAM_USER_TIMEOUT
            + (last == null ? "" : ": " + last.getMessage()));
  }

  private void requireTls() {
    if (tls == null) {
      throw new IllegalStateException(
          "This embedded broker has no SSL/SASL_SSL listeners: start it with"
              + " EmbeddedKafka.builder().tlsListeners(...)");
    }
  }

  private String listenersDescription() {
    return tls == null
        ? bootstrapServers
        : bootstrapServers
            + " (PLAINTEXT), "
            + sslBootstrapServers
            + " (SSL), "
            + saslSslBootstrapServers
            + " (SASL_SSL "
            + SCRAM_MECHANISM
            + ")";
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

  /** The listeners' addresses; never a password. */
  @Override
  public String toString() {
    return "EmbeddedKafka[" + listenersDescription() + "]";
  }

  /**
   * What to start: {@link EmbeddedKafka#DEFAULT_BROKER_CONFIG}, optionally TLS listeners, then
   * broker setting overrides (which win, e.g. {@code listener.name.ssl.ssl.client.auth=required}
   * for mutual TLS on the SSL listener). Not thread-safe; {@link #start()} may be called more than
   * once (each call starts a new broker).
   */
  public static final class Builder {
    private final Map<String, String> brokerConfig = new LinkedHashMap<>();
    private Tls tls;

    private Builder() {}

    /** Broker settings on top of the defaults and the TLS listeners' settings; later calls win. */
    public Builder brokerConfig(Map<String, String> overrides) {
      brokerConfig.putAll(Objects.requireNonNull(overrides, "overrides"));
      return this;
    }

    /**
     * Adds an {@code SSL} and a {@code SASL_SSL} ({@code SCRAM-SHA-512}) listener on loopback
     * ports, besides the PLAINTEXT one.
     *
     * @param keyStore PKCS12 key store with the server's key and certificate chain; the certificate
     *     must hold {@code localhost} (the advertised host name) for clients that verify host
     *     names, as Kafka clients do by default
     * @param keyStorePassword password of the key store and of its key
     * @param trustStore PKCS12 trust store with the CA that signed the server certificate: the
     *     broker trusts it for client certificates (when client authentication is turned on), and
     *     {@link #createScramUser}, {@link #sslClientConfig()} and {@link #saslSslClientConfig} use
     *     it to verify the broker
     * @param trustStorePassword password of the trust store
     */
    public Builder tlsListeners(
        Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword) {
      this.tls =
          new Tls(
              Objects.requireNonNull(keyStore, "keyStore").toAbsolutePath(),
              Objects.requireNonNull(keyStorePassword, "keyStorePassword"),
              Objects.requireNonNull(trustStore, "trustStore").toAbsolutePath(),
              Objects.requireNonNull(trustStorePassword, "trustStorePassword"));
      return this;
    }

    /** An independent copy of this builder. */
    Builder copy() {
      Builder copy = new Builder();
      copy.brokerConfig.putAll(brokerConfig);
      copy.tls = tls;
      return copy;
    }

    /**
     * Starts the broker and waits until it is ready.
     *
     * @throws IllegalStateException if a store file does not exist or the broker cannot start;
     *     nothing is left running then
     */
    public EmbeddedKafka start() {
      if (tls != null) {
        tls.requireFiles();
      }
      return EmbeddedKafka.start(Map.copyOf(brokerConfig), tls);
    }

    @Override
    public String toString() {
      return "EmbeddedKafka.Builder[brokerConfig="
          + brokerConfig.keySet()
          + (tls == null ? "" : ", " + tls)
          + "]";
    }
  }

  /** The TLS listeners' stores. {@link #toString()} leaves the passwords out. */
  private record Tls(
      Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword) {

    void requireFiles() {
      for (Path store : List.of(keyStore, trustStore)) {
        if (!Files.isRegularFile(store)) {
          throw new IllegalStateException(
              "The embedded Kafka broker's TLS store " + store + " does not exist");
        }
      }
    }

    /**
     * The listeners, the security protocol map (the test kit's PLAINTEXT listeners kept), the
     * stores (for every TLS listener) and SCRAM on the SASL_SSL listener.
     */
    Map<String, String> brokerConfig() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put(
          "listeners",
          String.join(
              ",",
              PLAINTEXT_LISTENER + "://localhost:0",
              CONTROLLER_LISTENER + "://localhost:0",
              SSL_LISTENER + "://localhost:0",
              SASL_SSL_LISTENER + "://localhost:0"));
      m.put(
          "listener.security.protocol.map",
          String.join(
              ",",
              PLAINTEXT_LISTENER + ":PLAINTEXT",
              CONTROLLER_LISTENER + ":PLAINTEXT",
              SSL_LISTENER + ":SSL",
              SASL_SSL_LISTENER + ":SASL_SSL"));
      m.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PKCS12");
      m.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, keyStore.toString());
      m.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, keyStorePassword);
      m.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, keyStorePassword);
      m.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
      m.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, trustStore.toString());
      m.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, trustStorePassword);
      m.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
      m.put(
          "listener.name."
              + SASL_SSL_LISTENER.toLowerCase(Locale.ROOT)
              + "."
              + SCRAM_MECHANISM.toLowerCase(Locale.ROOT)
              + ".sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required;");
      return m;
    }

    /** Trust store settings of a client of the TLS listeners. */
    Map<String, Object> clientConfig() {
      Map<String, Object> m = new HashMap<>();
      m.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
      m.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, trustStore.toString());
      m.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, trustStorePassword);
      return m;
    }

    @Override
    public String toString() {
      return "Tls[keyStore=" + keyStore + ", trustStore=" + trustStore + "]";
    }
  }
}
