package dev.twikitorders.registry.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.mock.MockSchemaRegistryClient;
import dev.twikitorders.schemas.ConfigurationSummary;
import dev.twikitorders.schemas.DeadLetter;
import dev.twikitorders.schemas.FulfillmentConfiguration;
import dev.twikitorders.schemas.OrderEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every published version of every schema registers in order under BACKWARD, and the current schema
 * may follow.
 */
class SchemaHistoryTest {
  private static final String SCOPE = "schema-history-test";
  static final Map<String, Schema> CURRENT =
      Map.of(
          "OrderEvent", OrderEvent.getClassSchema(),
          "ConfigurationSummary", ConfigurationSummary.getClassSchema(),
          "FulfillmentConfiguration", FulfillmentConfiguration.getClassSchema(),
          "DeadLetter", DeadLetter.getClassSchema());

  @AfterEach
  void drop() {
    MockSchemaRegistryClient.drop(SCOPE);
  }

  static Path historyDir() {
    String configured = System.getProperty("schemaHistoryDir");
    return configured != null
        ? Path.of(configured)
        : Path.of("../../schemas/src/test/resources/schema-history");
  }

  @Test
  void everySchemaEvolvedBackwardCompatibly() {
    SchemaHistory history = SchemaHistory.load(historyDir());
    assertThat(history.recordNames()).containsExactlyInAnyOrderElementsOf(CURRENT.keySet());
    SchemaRegistryClient registry = MockSchemaRegistryClient.forScope(SCOPE);
    for (Map.Entry<String, Schema> e : CURRENT.entrySet()) {
      SchemaHistory.Verification result =
          history.verify(registry, e.getKey(), "history-" + e.getKey() + "-value", e.getValue());
      assertThat(result.problems()).as(e.getKey()).isEmpty();
      assertThat(result.registeredIds()).hasSize(history.versions(e.getKey()).size());
      assertThat(history.latest(e.getKey()))
          .as(
              "%s changed without a new version in schema-history: add v%d.avsc",
              e.getKey(), history.versions(e.getKey()).size() + 1)
          .isEqualTo(publishedAvsc(e.getKey()));
    }
  }

  /**
   * The .avsc as published in the schemas jar (the class schema carries extra avro.java.string
   * properties).
   */
  private static Schema publishedAvsc(String recordName) {
    try (var in =
        SchemaHistoryTest.class
            .getClassLoader()
            .getResourceAsStream("avro/" + recordName + ".avsc")) {
      assertThat(in).as("avro/%s.avsc on the classpath", recordName).isNotNull();
      return new Schema.Parser().parse(in);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void reportsABreakingVersion(@TempDir Path dir) throws Exception {
    Path thing = Files.createDirectories(dir.resolve("Thing"));
    Files.writeString(
        thing.resolve("v1.avsc"),
        "{\"type\":\"record\",\"name\":\"Thing\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}");
    Files.writeString(
        thing.resolve("v2.avsc"),
        "{\"type\":\"record\",\"name\":\"Thing\",\"fields\":["
            + "{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"int\"}]}");
    SchemaHistory history = SchemaHistory.load(dir);
    SchemaHistory.Verification result =
        history.verify(
            MockSchemaRegistryClient.forScope(SCOPE),
            "Thing",
            "thing-value",
            history.latest("Thing"));
    assertThat(result.ok()).isFalse();
    assertThat(result.registeredIds()).hasSize(1);
    assertThat(result.problems())
        .singleElement()
        .asString()
        .startsWith("Thing v2 rejected under BACKWARD");
  }
}
