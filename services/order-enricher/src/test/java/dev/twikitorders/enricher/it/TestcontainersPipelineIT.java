package dev.twikitorders.enricher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twikitorders.enricher.app.EnricherApp;
import dev.twikitorders.enricher.it.ExpectedOutputs.OutputKey;
import dev.twikitorders.enricher.it.TestOrders.Item;
import dev.twikitorders.enricher.it.TestOrders.Produced;
import dev.twikitorders.localstack.EmbeddedSchemaRegistry;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.SchemaRegistryClients;
import dev.twikitorders.sandbox.SandboxConfig;
import dev.twikitorders.sandbox.TwikitSandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The conservation check of {@link PipelineIT} against a Kafka broker in a container (the image
 * operators run), with the registry and the Twikit sandbox still embedded. Skipped where no Docker
 * engine is available.
 */
@Testcontainers(disabledWithoutDocker = true)
class TestcontainersPipelineIT {
  private static final Duration LONG = Duration.ofMinutes(3);

  @Container private static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.0");

  private static EmbeddedSchemaRegistry registryServer;
  private static TwikitSandbox sandbox;
  private static SchemaRegistryClient registry;
  private static final String SECRET = "tc-SECRET-" + UUID.randomUUID();

  @TempDir Path tmp;

  @BeforeAll
  static void startEmbedded() {
    registryServer = EmbeddedSchemaRegistry.start();
    registry = SchemaRegistryClients.create(registryServer.url());
    sandbox =
        TwikitSandbox.start(
            SandboxConfig.builder()
                .port(0)
                .clientId(ItStack.CLIENT_ID)
                .clientSecret(SECRET)
                .latency(Duration.ofMillis(10))
                .latencySpread(Duration.ofMillis(10))
                .build());
  }

  @AfterAll
  static void stopEmbedded() {
    if (sandbox != null) {
      sandbox.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (registryServer != null) {
      registryServer.close();
    }
  }

  @Test
  void everyLineIsConservedInOrderOnAContainerBroker() {
    var infra =
        new PipelineRun.Infrastructure(
            KAFKA.getBootstrapServers(),
            registryServer.url(),
            sandbox.apiUrl().toString(),
            sandbox.tokenUrl().toString(),
            ItStack.CLIENT_ID,
            SECRET);
    PipelineRun run = PipelineRun.unique("container", infra);
    run.createTopics(3);
    try (EnricherApp app = EnricherApp.start(run.config(tmp.resolve("state"), Map.of()));
        OutputReader reader = new OutputReader(KAFKA.getBootstrapServers(), registry, run)) {
      await("Kafka Streams RUNNING")
          .atMost(LONG)
          .until(() -> app.streams().state() == KafkaStreams.State.RUNNING);
      List<Item> items = TestOrders.mixed(run.name(), 200, 21, registry, run.input());
      List<Produced> produced =
          TestOrders.produce(KAFKA.getBootstrapServers(), registry, run.input(), items);
      Map<OutputKey, Long> expected = ExpectedOutputs.of(produced);
      PipelineAssertions.awaitExactOutputs(reader, expected, run, LONG);
      PipelineAssertions.assertHeadersAndSources(reader.records(), produced);
      PipelineAssertions.assertPerOrderInputOrder(reader.records());
      assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
    }
  }
}
