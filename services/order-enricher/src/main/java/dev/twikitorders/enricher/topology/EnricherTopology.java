package dev.twikitorders.enricher.topology;

import dev.twikitorders.enricher.enrichment.OrderEnricher;
import dev.twikitorders.enricher.flow.InputGate;
import dev.twikitorders.enricher.records.EventDecoder;
import dev.twikitorders.enricher.records.PipelineTopics;
import dev.twikitorders.enricher.stats.PipelineStats;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the pipeline's topology. A pure function of its arguments (no I/O, no environment reads),
 * so the same topology runs under TopologyTestDriver and in production.
 *
 * <pre>
 *   order-events (bytes) ─▶ [enrich-orders] ─┬─▶ erp-sink         ─▶ erp.configuration-summaries
 *                           (pending-events)  ├─▶ fulfillment-sink ─▶ fulfillment.configurations
 *                                             └─▶ dead-letter-sink ─▶ order-events.dlq
 * </pre>
 *
 * Every node and the store are named: renaming them orphans state, so the names are part of the
 * application's compatibility contract.
 */
public final class EnricherTopology {
  public static final String SOURCE = "order-events-source";
  public static final String PROCESSOR = "enrich-orders";
  public static final String ERP_SINK = "erp-sink";
  public static final String FULFILLMENT_SINK = "fulfillment-sink";
  public static final String DEAD_LETTER_SINK = "dead-letter-sink";

  private EnricherTopology() {}

  public static Topology build(
      PipelineTopics topics,
      EventDecoder decoder,
      OrderEnricher enricher,
      OrderEnrichmentProcessor.Settings settings,
      InputGate gate,
      PipelineStats stats,
      Clock clock) {
    var sinks =
        new OrderEnrichmentProcessor.SinkNames(ERP_SINK, FULFILLMENT_SINK, DEAD_LETTER_SINK);
    ProcessorSupplier<byte[], byte[], String, byte[]> supplier =
        () ->
            new OrderEnrichmentProcessor(
                decoder, enricher, settings, sinks, topics, gate, stats, clock);

    // In memory: the pending set is small (bounded per task) and short-lived; the changelog makes
    // it
    // durable and restores it. The cache folds an event's put and delete within one commit
    // interval,
    // so events that complete before the next commit cost one changelog record instead of two.
    StoreBuilder<KeyValueStore<Bytes, byte[]>> pendingStore =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(OrderEnrichmentProcessor.STORE),
                Serdes.Bytes(),
                Serdes.ByteArray())
            .withCachingEnabled()
            .withLoggingEnabled(Map.of());

    Topology topology = new Topology();
    topology.addSource(
        AutoOffsetReset.earliest(),
        SOURCE,
        topics.orderEvents().keySerde().deserializer(),
        topics.orderEvents().valueSerde().deserializer(),
        topics.orderEvents().name());
    topology.addProcessor(PROCESSOR, supplier, SOURCE);
    topology.addStateStore(pendingStore, PROCESSOR);
    topology.addSink(
        ERP_SINK,
        topics.erp().name(),
        topics.erp().keySerde().serializer(),
        Serdes.ByteArray().serializer(), // serialized by the processor
        PROCESSOR);
    topology.addSink(
        FULFILLMENT_SINK,
        topics.fulfillment().name(),
        topics.fulfillment().keySerde().serializer(),
        Serdes.ByteArray().serializer(), // serialized by the processor
        PROCESSOR);
    topology.addSink(
        DEAD_LETTER_SINK,
        topics.deadLetters().name(),
        topics.deadLetters().keySerde().serializer(),
        Serdes.ByteArray().serializer(), // serialized by the processor
        PROCESSOR);
    return topology;
  }
}
