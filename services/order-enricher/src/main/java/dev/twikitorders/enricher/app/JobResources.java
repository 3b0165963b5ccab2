package dev.twikitorders.enricher.app;

import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.enricher.enrichment.OrderEnricher;
import dev.twikitorders.enricher.records.PipelineTopics;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.schemas.OrderEvent;
import dev.twikitorders.settings.ConfigException;
import dev.twikitorders.twikit.TwikitApi;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the bounded jobs ({@code replay}, {@code dlq}) need, wired the same way as the running
 * pipeline ({@link EnricherApp}): schema registry client and the pipeline's serdes, and when the
 * job calls the API, the Twikit client and the asynchronous enricher. Every dependency is checked
 * first; a failure is a {@link ConfigException} naming the setting.
 *
 * <p>Thread-safe to close; close it when the job ends.
 */
public final class JobResources implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobResources.class);

  private final SchemaRegistryClient registry;
  private final PipelineTopics serdes;
  private final Deserializer<OrderEvent> eventDeserializer;
  private final TwikitApi twikit;
  private final OrderEnricher enricher;

  private JobResources(
      SchemaRegistryClient registry,
      PipelineTopics serdes,
      Deserializer<OrderEvent> eventDeserializer,
      TwikitApi twikit,
      OrderEnricher enricher) {
    this.registry = registry;
    this.serdes = serdes;
    this.eventDeserializer = eventDeserializer;
    this.twikit = twikit;
    this.enricher = enricher;
  }

  /**
   * Checks Kafka and the registry, and with {@code withTwikit} the Twikit API and credentials.
   *
   * @throws ConfigException when a setting is missing or a dependency is unreachable
   */
  public static JobResources open(EnricherConfig config, boolean withTwikit) {
    config.requireKafka().requireRegistry();
    if (withTwikit) {
      config.requireTwikit();
    }
    Preflight.once(Preflight.kafka(config), timeout -> Preflight.checkKafka(config, timeout));
    Wiring wiring = Wiring.of(config);
    SchemaRegistryClient registry = wiring.registryClient();
    TwikitApi twikit = null;
    try {
      Preflight.once(
          Preflight.registry(config), timeout -> Preflight.checkRegistry(config, registry));
      PipelineTopics serdes = wiring.topics(registry);
      Deserializer<OrderEvent> events = wiring.orderEventDeserializer(registry);
      OrderEnricher enricher = null;
      if (withTwikit) {
        twikit = wiring.twikitClient(null);
        TwikitApi api = twikit;
        Preflight.once(
            Preflight.twikit(config), timeout -> Preflight.checkTwikit(config, api, timeout));
        enricher = wiring.asyncEnricher(twikit);
      }
      return new JobResources(registry, serdes, events, twikit, enricher);
    } catch (RuntimeException e) {
      Closeables.closeQuietly(twikit, LOG);
      Closeables.closeQuietly(registry, LOG);
      throw e;
    }
  }

  public PipelineTopics serdes() {
    return serdes;
  }

  public Deserializer<OrderEvent> eventDeserializer() {
    return eventDeserializer;
  }

  /** The asynchronous enricher, or null when opened without Twikit. */
  public OrderEnricher enricher() {
    return enricher;
  }

  @Override
  public void close() {
    Closeables.closeQuietly(enricher, LOG);
    Closeables.closeQuietly(twikit, LOG);
    Closeables.closeQuietly(registry, LOG);
  }
}
