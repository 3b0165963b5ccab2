package dev.twikitorders.enricher.topology;

import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.serde.AvroSerdes;
import dev.twikitorders.schemas.ConfigurationSummary;
import dev.twikitorders.schemas.DeadLetter;
import dev.twikitorders.schemas.FulfillmentConfiguration;
import dev.twikitorders.schemas.OrderEvent;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Creates the typed topics and the input deserializer over one schema registry client (values in
 * the Confluent wire format, subject {@code <topic>-value}).
 */
public final class PipelineSerdes {
  private PipelineSerdes() {}

  /**
   * @param registryConfig serde settings ({@code auto.register.schemas}, ...); the URL is taken
   *     from the client
   */
  public static PipelineTopics topics(
      SchemaRegistryClient registry,
      Map<String, ?> registryConfig,
      String orderEvents,
      String erp,
      String fulfillment,
      String deadLetters) {
    return new PipelineTopics(
        new Topic<>(orderEvents, Serdes.ByteArray(), Serdes.ByteArray()),
        new Topic<>(
            erp,
            Serdes.String(),
            AvroSerdes.specific(ConfigurationSummary.class, registry, registryConfig, false)),
        new Topic<>(
            fulfillment,
            Serdes.String(),
            AvroSerdes.specific(FulfillmentConfiguration.class, registry, registryConfig, false)),
        new Topic<>(
            deadLetters,
            Serdes.String(),
            AvroSerdes.specific(DeadLetter.class, registry, registryConfig, false)));
  }

  public static Deserializer<OrderEvent> orderEventDeserializer(
      SchemaRegistryClient registry, Map<String, ?> config) {
    return AvroSerdes.specific(OrderEvent.class, registry, config, false).deserializer();
  }
}
