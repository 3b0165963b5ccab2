package dev.twikitorders.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.localstack.LocalStack;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.SchemaRegistryClients;
import dev.twikitorders.registry.serde.AvroSerdes;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.schemas.ConfigurationSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery round end to end, small: the embedded stack (KRaft broker, registry child JVM,
 * sandbox), {@code delivery.jar deliver} as a child JVM (built by the reactor before this module),
 * a few hundred records in batches to the sandbox's sink. Every key must arrive, in order per
 * order, and the client secret must stay out of the child's log.
 */
class DeliveryBenchIT {
  private static final String SECRET = "delivery-bench-it-secret-7c2f";

  @TempDir Path work;

  @Test
  void deliversEveryRecordInOrderAndKeepsTheSecretOutOfTheLog() throws Exception {
    Path jar = BenchMain.locateJar(null, "delivery");
    assertThat(jar).as("services/delivery/target/delivery.jar (built before bench)").isNotNull();
    try (LocalStack stack = BenchStack.start(SECRET, Duration.ZERO);
        SchemaRegistryClient registry =
            SchemaRegistryClients.create(
                Map.of("schema.registry.url", stack.schemaRegistryUrl()))) {
      var serializer =
          AvroSerdes.specific(
                  ConfigurationSummary.class,
                  registry,
                  Map.of("schema.registry.url", stack.schemaRegistryUrl()),
                  false)
              .serializer();
      TwikitSandbox sandbox = stack.service(TwikitSandbox.class);
      DeliveryRoundResult r =
          new DeliveryBench(
                  stack,
                  sandbox,
                  serializer,
                  new ChildJvm("256m", "SerialGC", List.of()),
                  jar,
                  work,
                  SECRET,
                  "it1d")
              .run(
                  new DeliveryBench.Params(
                      400, 40, 10, 5, 5, 3, Duration.ofSeconds(60), Duration.ofMillis(500)));

      assertThat(r.verdict()).isEqualTo("ok");
      assertThat(r.verified()).isTrue();
      assertThat(r.missing()).isZero();
      assertThat(r.orderViolations()).isZero();
      assertThat(r.deadLetters()).isZero();
      assertThat(r.sinkItems()).isEqualTo(400 + r.duplicates());
      assertThat(r.recordsPerSec()).isPositive();
      assertThat(sandbox.sink(DeliveryBench.SINK).distinctKeys()).isEqualTo(400);
      String log = Files.readString(work.resolve("it1d-delivery.log"));
      assertThat(log).contains(DeliveryProcess.DELIVERING).doesNotContain(SECRET);
    }
  }
}
