package dev.twikitorders.enricher.app;

import dev.twikitorders.auth.http.AuthHttp;
import dev.twikitorders.auth.http.JdkAuthHttp;
import dev.twikitorders.auth.tls.SslContexts;
import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.enricher.config.EnrichmentMode;
import dev.twikitorders.enricher.config.TwikitSettings;
import dev.twikitorders.enricher.enrichment.OrderEnricher;
import dev.twikitorders.enricher.enrichment.TwikitOrderEnricher;
import dev.twikitorders.enricher.flow.GatedClientSupplier;
import dev.twikitorders.enricher.flow.InputGate;
import dev.twikitorders.enricher.flow.SystemPauses;
import dev.twikitorders.enricher.records.EventDecoder;
import dev.twikitorders.enricher.records.PipelineTopics;
import dev.twikitorders.enricher.records.Topic;
import dev.twikitorders.enricher.stats.PipelineStats;
import dev.twikitorders.enricher.topology.OrderEnrichmentProcessor;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.SchemaRegistryClients;
import dev.twikitorders.registry.serde.AvroSerdes;
import dev.twikitorders.schemas.ConfigurationSummary;
import dev.twikitorders.schemas.DeadLetter;
import dev.twikitorders.schemas.FulfillmentConfiguration;
import dev.twikitorders.schemas.OrderEvent;
import dev.twikitorders.twikit.TwikitApi;
import dev.twikitorders.twikit.TwikitClient;
import dev.twikitorders.twikit.TwikitClientConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The one place where the pipeline's parts are built from the configuration: the schema registry
 * client and serdes, the typed topics, the Twikit client and the enricher, and the Kafka Streams
 * properties. {@code run} ({@link EnricherApp}), {@code replay} and {@code dlq} ({@link
 * JobResources}), the demo and the benchmark all build through it, so they run the same client
 * settings, serdes and topic names.
 *
 * <p>Builds, never checks: reachability and credentials are {@link Preflight}'s job. Immutable and
 * thread-safe; every call returns a new object that the caller closes.
 */
public final class Wiring {
  private final EnricherConfig config;

  private Wiring(EnricherConfig config) {
    this.config = config;
  }

  public static Wiring of(EnricherConfig config) {
    return new Wiring(config);
  }

  /** The schema registry client and serde settings: URL(s) and HTTP Basic credentials. */
  public Map<String, Object> registryConfig() {
    return config.registry().clientConfig();
  }

  public SchemaRegistryClient registryClient() {
    return SchemaRegistryClients.create(registryConfig());
  }

  /**
   * The four topics with their serdes over {@code registry}. The input is read as raw bytes so that
   * unreadable records can be dead-lettered with their original bytes.
   */
  public PipelineTopics topics(SchemaRegistryClient registry) {
    Map<String, Object> serdeConfig = registryConfig();
    return new PipelineTopics(
        new Topic<>(config.topics().orderEvents(), Serdes.ByteArray(), Serdes.ByteArray()),
        new Topic<>(
            config.topics().erp(),
            Serdes.String(),
            AvroSerdes.specific(ConfigurationSummary.class, registry, serdeConfig, false)),
        new Topic<>(
            config.topics().fulfillment(),
            Serdes.String(),
            AvroSerdes.specific(FulfillmentConfiguration.class, registry, serdeConfig, false)),
        new Topic<>(
            config.topics().deadLetters(),
            Serdes.String(),
            AvroSerdes.specific(DeadLetter.class, registry, serdeConfig, false)));
  }

  /** Reads {@code OrderEvent} values (writer schema by id, resolved against the reader schema). */
  public Deserializer<OrderEvent> orderEventDeserializer(SchemaRegistryClient registry) {
    return AvroSerdes.specific(OrderEvent.class, registry, registryConfig(), false).deserializer();
  }

  /**
   * Reads and validates input records: {@link #orderEventDeserializer} plus the input contract,
   * with the configured limit of configured lines per event ({@code
   * enrichment.max.lines.per.event}). The bounded jobs build the same decoder from the same
   * setting.
   */
  public EventDecoder eventDecoder(SchemaRegistryClient registry) {
    return new EventDecoder(
        orderEventDeserializer(registry), config.enrichment().maxLinesPerEvent());
  }

  /** Writes {@code OrderEvent} values the way a shop does (registers the schema when missing). */
  public Serializer<OrderEvent> orderEventSerializer(SchemaRegistryClient registry) {
    return AvroSerdes.specific(OrderEvent.class, registry, registryConfig(), false).serializer();
  }

  /**
   * The Twikit client settings of every job (also the benchmark's raw ceiling, so both run the same
   * client).
   *
   * @param meters where the client registers its meters, or null for none
   */
  public TwikitClientConfig twikitClientConfig(MeterRegistry meters) {
    TwikitSettings t = config.twikit();
    var b =
        TwikitClientConfig.builder()
            .apiUrl(t.apiUrl())
            .auth(t.auth())
            .connectTimeout(t.connectTimeout())
            .responseTimeout(t.responseTimeout())
            .maxInFlight(t.maxInFlight())
            .concurrencyMode(t.concurrency())
            .minInFlight(t.minInFlight())
            .maxRequestsPerSecond(t.maxRequestsPerSecond())
            .maxConnections(Math.max(t.maxInFlight(), 16))
            .httpProtocol(t.httpProtocol())
            .maxResponseBytes(t.maxResponseBytes())
            .paths(t.paths())
            .tls(t.tls())
            .allowInsecureHttp(t.allowInsecureHttp());
    if (meters != null) {
      b.meterRegistry(meters);
    }
    return b.build();
  }

  /**
   * The HTTP sender of the {@code auth} commands (discovery, registration, the code exchange): the
   * Twikit client's TLS settings and timeouts, its response size limit, no redirects.
   */
  public static AuthHttp authHttp(EnricherConfig config) {
    TwikitSettings t = config.twikit();
    return new JdkAuthHttp(
        t.tls().isDefault() ? null : SslContexts.build(t.tls()),
        t.connectTimeout(),
        t.responseTimeout(),
        t.maxResponseBytes());
  }

  /** A new Twikit client; see {@link #twikitClientConfig}. */
  public TwikitApi twikitClient(MeterRegistry meters) {
    return TwikitClient.create(twikitClientConfig(meters));
  }

  /**
   * The enricher of the configured mode over {@code twikit}, reporting systemic failures to {@code
   * pauses} and counting failed attempts in {@code stats}.
   */
  public OrderEnricher enricher(TwikitApi twikit, SystemPauses pauses, PipelineStats stats) {
    Duration deadline = config.twikit().retryDeadline();
    return config.enrichment().mode() == EnrichmentMode.SYNC
        ? TwikitOrderEnricher.sync(twikit, deadline, Clock.systemUTC(), pauses, stats)
        : TwikitOrderEnricher.async(twikit, deadline, Clock.systemUTC(), pauses, stats);
  }

  /** The asynchronous enricher over {@code twikit}, whatever the mode (the bounded jobs). */
  public OrderEnricher asyncEnricher(TwikitApi twikit) {
    return TwikitOrderEnricher.async(twikit, config.twikit().retryDeadline(), Clock.systemUTC());
  }

  /**
   * How the live processor runs. The sync mode is the naive baseline: one event in flight per task,
   * waited for; the async mode waits only for a free slot when a task is at its bound. Either waits
   * at most {@code enrichment.max.block.ms} per record.
   */
  public OrderEnrichmentProcessor.Settings processingSettings() {
    return processingSettings(maxRequestSize());
  }

  /** As {@link #processingSettings()}, with outputs limited to {@code maxOutputBytes}. */
  public OrderEnrichmentProcessor.Settings processingSettings(int maxOutputBytes) {
    boolean sync = config.enrichment().mode() == EnrichmentMode.SYNC;
    return new OrderEnrichmentProcessor.Settings(
        sync ? 1 : config.enrichment().maxPendingEvents(),
        config.enrichment().maxBlock(),
        sync,
        OrderEnrichmentProcessor.Settings.DEFAULT_DRAIN_INTERVAL,
        maxOutputBytes,
        null);
  }

  /** The producer's effective {@code max.request.size}: what an output record may weigh. */
  public int maxRequestSize() {
    return (int)
        config
            .kafka()
            .effective(
                OrderEnrichmentProcessor.Settings.DEFAULT_MAX_OUTPUT_BYTES,
                "producer.max.request.size",
                "max.request.size");
  }

  /**
   * The Kafka Streams properties: ours, then the pass-through {@code kafka.*} overrides.
   *
   * @param topics the pipeline's topics: their dead-letter serializer goes to the production
   *     exception handler
   * @param instance this instance's static membership id and state directory
   */
  public Properties streamsProperties(PipelineTopics topics, StreamsInstance instance) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.kafka().applicationId());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.kafka().numStreamThreads());
    if (instance.stateDir() != null) {
      p.put(StreamsConfig.STATE_DIR_CONFIG, instance.stateDir());
    }
    // static membership: a restarted instance rejoins as itself and gets its tasks back at once;
    // Kafka Streams refuses it under the "streams" rebalance protocol (KIP-1071)
    if (!"streams".equalsIgnoreCase(config.kafka().overrides().get("group.protocol"))) {
      p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instance.groupInstanceId());
    }
    // completions are emitted by a punctuator: do not let an idle poll hold them back long
    p.put(StreamsConfig.POLL_MS_CONFIG, 10);
    p.put(
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterProductionExceptionHandler.class);
    // the 5.0 default; silences a start-up warning
    p.put("processing.exception.handler.global.enabled", true);
    p.put(
        DeadLetterProductionExceptionHandler.DEAD_LETTER_TOPIC_CONFIG, topics.deadLetters().name());
    p.put(
        DeadLetterProductionExceptionHandler.DEAD_LETTER_SERIALIZER_CONFIG,
        topics.deadLetters().valueSerde().serializer());
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
    p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
    p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
    p.putAll(registryConfig());
    p.putAll(config.kafka().overrides());
    return p;
  }

  /**
   * The Kafka clients of Kafka Streams: each stream thread's main consumer behind {@code gate}
   * ({@link GatedClientSupplier}), and exactly-once transactional ids that stay the same across a
   * restart of {@code instance} ({@link StableTransactionalIds}).
   */
  public KafkaClientSupplier clientSupplier(StreamsInstance instance, InputGate gate) {
    return new StableTransactionalIds(
        config.kafka().applicationId(), instance.groupInstanceId(), new GatedClientSupplier(gate));
  }
}
