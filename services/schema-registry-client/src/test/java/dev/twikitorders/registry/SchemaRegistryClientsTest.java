package dev.twikitorders.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.registry.mock.MockSchemaRegistryClient;
import dev.twikitorders.registry.rest.RestSchemaRegistryClient;
import dev.twikitorders.registry.serde.AvroDeserializer;
import dev.twikitorders.registry.serde.AvroSerializer;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientsTest {
  @Test
  void picksMockOrRest() {
    try (SchemaRegistryClient mock = SchemaRegistryClients.create("mock://factory-test");
        SchemaRegistryClient rest =
            SchemaRegistryClients.create(
                Map.of(
                    RegistryConfig.SCHEMA_REGISTRY_URL,
                    " http://a:8081/ , https://b:8443/apis/ccompat/v7 ",
                    RegistryConfig.ALLOW_INSECURE_HTTP,
                    true))) {
      assertThat(mock).isInstanceOf(MockSchemaRegistryClient.class);
      assertThat(rest)
          .isInstanceOfSatisfying(
              RestSchemaRegistryClient.class,
              r ->
                  assertThat(r.baseUrls())
                      .containsExactly("http://a:8081", "https://b:8443/apis/ccompat/v7"));
    } finally {
      MockSchemaRegistryClient.drop("factory-test");
    }
  }

  @Test
  void refusesBadConfigurationWithoutLeakingSecrets() {
    assertThatThrownBy(() -> SchemaRegistryClients.create(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url");
    assertThatThrownBy(() -> SchemaRegistryClients.create("ftp://u:topsecret@host"))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("topsecret"));
    assertThatThrownBy(() -> SchemaRegistryClients.create("http://u:top secret@host:8081"))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
    assertThatThrownBy(
            () ->
                SchemaRegistryClients.create(
                    Map.of(
                        RegistryConfig.SCHEMA_REGISTRY_URL, "http://host:8081",
                        RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                        RegistryConfig.BASIC_AUTH_USER_INFO, "no-colon-secret")))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("no-colon-secret"));
    assertThatThrownBy(
            () ->
                SchemaRegistryClients.create(
                    Map.of(
                        RegistryConfig.SCHEMA_REGISTRY_URL,
                        "http://host:8081",
                        RegistryConfig.MAX_RETRIES,
                        "many")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("max.retries");
  }

  @Test
  void onlyTopicNameStrategyIsAccepted() {
    Map<String, Object> config =
        Map.of(
            RegistryConfig.SCHEMA_REGISTRY_URL, "mock://factory-test",
            RegistryConfig.VALUE_SUBJECT_NAME_STRATEGY,
                "io.confluent.kafka.serializers.subject.RecordNameStrategy");
    try (AvroSerializer<org.apache.avro.generic.GenericRecord> serializer =
        new AvroSerializer<>()) {
      assertThatThrownBy(() -> serializer.configure(config, false))
          .isInstanceOf(ConfigException.class);
      serializer.configure(
          Map.of(
              RegistryConfig.SCHEMA_REGISTRY_URL,
              "mock://factory-test",
              RegistryConfig.VALUE_SUBJECT_NAME_STRATEGY,
              "io.confluent.kafka.serializers.subject.TopicNameStrategy"),
          false);
    } finally {
      MockSchemaRegistryClient.drop("factory-test");
    }
  }

  @Test
  void deserializerByClassNameTakesTheTypeFromConfig() {
    try (AvroDeserializer<?> deserializer = new AvroDeserializer<>()) {
      deserializer.configure(
          Map.of(
              RegistryConfig.SCHEMA_REGISTRY_URL,
              "mock://factory-test",
              RegistryConfig.SPECIFIC_AVRO_VALUE_TYPE,
              "dev.twikitorders.schemas.OrderEvent"),
          false);
      assertThat(deserializer.type().getName()).isEqualTo("dev.twikitorders.schemas.OrderEvent");
    } finally {
      MockSchemaRegistryClient.drop("factory-test");
    }
  }
}
