package dev.twikitorders.registry.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.registry.CompatibilityLevel;
import dev.twikitorders.registry.RegisteredSchema;
import dev.twikitorders.registry.RegistryConfig;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.SchemaRegistryClients;
import dev.twikitorders.registry.SchemaRegistryException;
import dev.twikitorders.registry.serde.AvroSerdes;
import dev.twikitorders.registry.testing.ConfluentCompatibleTestServer;
import dev.twikitorders.registry.testing.TestRecords;
import dev.twikitorders.schemas.OrderEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST client against a real HTTP server speaking the Confluent API. */
class RestSchemaRegistryClientTest {
  private static final String SUBJECT = "order-events-value";
  private static final Schema V1 =
      SchemaBuilder.record("Thing").namespace("test").fields().requiredString("id").endRecord();
  private static final Schema V2 =
      SchemaBuilder.record("Thing")
          .namespace("test")
          .fields()
          .requiredString("id")
          .name("note")
          .type()
          .stringType()
          .stringDefault("")
          .endRecord();
  private static final Schema BREAKING =
      SchemaBuilder.record("Thing")
          .namespace("test")
          .fields()
          .requiredString("id")
          .requiredInt("size")
          .endRecord();

  private ConfluentCompatibleTestServer server;

  @BeforeEach
  void start() throws Exception {
    server = ConfluentCompatibleTestServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private RestSchemaRegistryClient client(String urls) {
    return RestSchemaRegistryClient.builder()
        .urls(urls)
        .maxRetries(2)
        .retryBackoff(Duration.ZERO, Duration.ZERO)
        .connectTimeout(Duration.ofSeconds(5))
        .readTimeout(Duration.ofSeconds(10))
        .build();
  }

  @Test
  void speaksTheConfluentApi() {
    try (RestSchemaRegistryClient client = client(server.url())) {
      client.setCompatibility(SUBJECT, CompatibilityLevel.BACKWARD);
      int id1 = client.register(SUBJECT, V1);
      int id2 = client.register(SUBJECT, V2);
      assertThat(id2).isNotEqualTo(id1);
      assertThat(client.register("other-value", V1))
          .as("same schema, same global id")
          .isEqualTo(id1);
      assertThat(client.versions(SUBJECT)).containsExactly(1, 2);
      RegisteredSchema latest = client.latestVersion(SUBJECT);
      assertThat(latest).isEqualTo(new RegisteredSchema(SUBJECT, id2, 2, V2));
      assertThat(client.latest(SUBJECT)).isEqualTo(V2);
      assertThat(client.subjects()).containsExactlyInAnyOrder(SUBJECT, "other-value");
      assertThat(client.isCompatible(SUBJECT, BREAKING)).isFalse();
      assertThat(client.isCompatible(SUBJECT, V2)).isTrue();
      assertThat(client.isCompatible("fresh-subject", BREAKING)).as("nothing to break").isTrue();
      client.setGlobalCompatibility(CompatibilityLevel.NONE);
      assertThat(server.registry().compatibility(null)).isEqualTo(CompatibilityLevel.NONE);
      assertThat(server.registry().compatibility(SUBJECT)).isEqualTo(CompatibilityLevel.BACKWARD);
    }
    assertThat(server.requests())
        .contains(
            "PUT /config/order-events-value",
            "POST /subjects/order-events-value/versions",
            "GET /subjects",
            "GET /subjects/order-events-value/versions",
            "GET /subjects/order-events-value/versions/latest",
            "POST /compatibility/subjects/order-events-value/versions/latest",
            "PUT /config");
    assertThat(server.lastHeaders())
        .containsEntry("content-type", "application/vnd.schemaregistry.v1+json");
  }

  @Test
  void getByIdAndLookupAreCachedForever() {
    int id = server.registry().register(SUBJECT, V1);
    try (RestSchemaRegistryClient client = client(server.url())) {
      assertThat(client.getById(id)).isEqualTo(V1);
      assertThat(client.getId(SUBJECT, V1)).isEqualTo(id);
      int after = server.requestCount();
      assertThat(client.getById(id)).isEqualTo(V1);
      assertThat(client.getId(SUBJECT, V1)).isEqualTo(id);
      assertThat(client.register(SUBJECT, V1)).isEqualTo(id);
      assertThat(server.requestCount()).as("no HTTP call for cached answers").isEqualTo(after);
      assertThat(server.requests())
          .containsExactly("GET /schemas/ids/" + id, "POST /subjects/" + SUBJECT);
    }
  }

  @Test
  void registryErrorsCarryErrorCodeMessageAndUrl() {
    try (RestSchemaRegistryClient client = client(server.url())) {
      assertThatThrownBy(() -> client.getById(4242))
          .isInstanceOfSatisfying(
              SchemaRegistryException.class,
              e -> {
                assertThat(e.httpStatus()).isEqualTo(404);
                assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
                assertThat(e.isNotFound()).isTrue();
                assertThat(e.isRetriable()).isFalse();
              })
          .hasMessage(
              "GET "
                  + server.url()
                  + "/schemas/ids/4242 -> HTTP 404, error_code 40403: Schema 4242 not found");

      client.register(SUBJECT, V1);
      assertThatThrownBy(() -> client.register(SUBJECT, BREAKING))
          .isInstanceOfSatisfying(
              SchemaRegistryException.class,
              e -> {
                assertThat(e.httpStatus()).isEqualTo(409);
                assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA);
              })
          .hasMessageContaining("incompatible");

      assertThatThrownBy(() -> client.getId(SUBJECT, V2))
          .isInstanceOfSatisfying(
              SchemaRegistryException.class,
              e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
      assertThatThrownBy(() -> client.versions("missing"))
          .isInstanceOfSatisfying(
              SchemaRegistryException.class,
              e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND));
      assertThat(server.requestCount()).as("4xx are not retried").isEqualTo(5);
    }
  }

  @Test
  void wrongBasePathIsNotMistakenForAnEmptySubject() throws Exception {
    try (ConfluentCompatibleTestServer ccompat =
            ConfluentCompatibleTestServer.start("/apis/ccompat/v7");
        RestSchemaRegistryClient wrong =
            client(ccompat.url().replace("/apis/ccompat/v7", "/apis"))) {
      assertThatThrownBy(() -> wrong.isCompatible(SUBJECT, V1))
          .isInstanceOfSatisfying(
              SchemaRegistryException.class, e -> assertThat(e.isNotFound()).isFalse());
    }
  }

  @Test
  void baseUrlMayCarryAPathLikeApicurioCcompat() throws Exception {
    try (ConfluentCompatibleTestServer ccompat =
            ConfluentCompatibleTestServer.start("/apis/ccompat/v7");
        RestSchemaRegistryClient client = client(ccompat.url() + "/")) {
      int id = client.register("a subject/with spaces", V1);
      assertThat(client.getById(id)).isEqualTo(V1);
      assertThat(ccompat.requests())
          .containsExactly("POST /subjects/a%20subject%2Fwith%20spaces/versions");
    }
  }

  @Test
  void failsOverToTheNextUrlWhenOneIsDown() throws Exception {
    String dead;
    try (ConfluentCompatibleTestServer gone = ConfluentCompatibleTestServer.start()) {
      dead = gone.url();
    }
    try (RestSchemaRegistryClient client = client(dead + "," + server.url())) {
      int id = client.register(SUBJECT, V1);
      assertThat(server.registry().getById(id)).isEqualTo(V1);
      client.versions(SUBJECT);
      assertThat(server.requests())
          .as("the working URL is preferred from then on")
          .containsExactly(
              "POST /subjects/" + SUBJECT + "/versions", "GET /subjects/" + SUBJECT + "/versions");
    }
  }

  @Test
  void failsOverOn5xxAndRetriesWithinBounds() throws Exception {
    try (ConfluentCompatibleTestServer unhealthy = ConfluentCompatibleTestServer.start();
        RestSchemaRegistryClient client = client(unhealthy.url() + "," + server.url())) {
      unhealthy.failNext(1, 503);
      client.register(SUBJECT, V1);
      assertThat(unhealthy.requestCount()).isEqualTo(1);
      assertThat(server.requestCount()).isEqualTo(1);
    }
    try (RestSchemaRegistryClient client = client(server.url())) {
      server.failNext(2, 500);
      assertThat(client.versions(SUBJECT)).containsExactly(1);
      server.failNext(3, 502);
      assertThatThrownBy(() -> client.subjects())
          .isInstanceOfSatisfying(
              SchemaRegistryException.class,
              e -> {
                assertThat(e.httpStatus()).isEqualTo(502);
                assertThat(e.isRetriable()).isTrue();
              })
          .hasMessageContaining("after 3 round(s) over 1 URL(s)");
    }
  }

  @Test
  void basicCredentialsAreSentButNeverShown() throws Exception {
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString("alice:s3cr3t-pw".getBytes(StandardCharsets.UTF_8));
    server.requireAuthorization(expected);
    String urlWithUserInfo = server.url().replace("http://", "http://alice:s3cr3t-pw@");
    try (RestSchemaRegistryClient fromUrl = client(urlWithUserInfo);
        RestSchemaRegistryClient wrong =
            RestSchemaRegistryClient.builder()
                .urls(server.url())
                .basicAuth("alice:wrong-pw")
                .maxRetries(0)
                .build()) {
      assertThat(fromUrl.register(SUBJECT, V1)).isPositive();
      assertThat(server.lastHeaders()).containsEntry("authorization", expected);
      assertThat(fromUrl.toString()).contains("alice").contains("****").doesNotContain("s3cr3t-pw");
      assertThat(fromUrl.baseUrls()).containsExactly(server.url());

      assertThatThrownBy(() -> wrong.register(SUBJECT, V1))
          .isInstanceOfSatisfying(
              SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(401))
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong-pw"));
      assertThat(wrong.toString()).doesNotContain("wrong-pw");
    }
    server.requireAuthorization(null);
    String deadWithSecret;
    try (ConfluentCompatibleTestServer gone = ConfluentCompatibleTestServer.start()) {
      deadWithSecret = gone.url().replace("http://", "http://alice:s3cr3t-pw@");
    }
    try (RestSchemaRegistryClient down = client(deadWithSecret)) {
      assertThatThrownBy(() -> down.subjects())
          .isInstanceOf(SchemaRegistryException.class)
          .satisfies(
              e -> {
                for (Throwable t = e; t != null; t = t.getCause()) {
                  assertThat(String.valueOf(t.getMessage())).doesNotContain("s3cr3t-pw");
                }
              });
    }
  }

  @Test
  void bearerTokenIsSentButNeverShown() {
    server.requireAuthorization("Bearer tok-123456");
    try (SchemaRegistryClient client =
        SchemaRegistryClients.create(
            Map.of(
                RegistryConfig.SCHEMA_REGISTRY_URL, server.url(),
                RegistryConfig.BEARER_AUTH_CREDENTIALS_SOURCE, "STATIC_TOKEN",
                RegistryConfig.BEARER_AUTH_TOKEN, "tok-123456"))) {
      assertThat(client.register(SUBJECT, V1)).isPositive();
      assertThat(client.toString()).doesNotContain("tok-123456");
    }
  }

  @Test
  void serdesWorkOverRest() {
    Map<String, Object> config =
        Map.of(
            RegistryConfig.SCHEMA_REGISTRY_URL,
            server.url(),
            RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE,
            "USER_INFO",
            RegistryConfig.BASIC_AUTH_USER_INFO,
            "bob:pw",
            RegistryConfig.RETRIES_WAIT_MS,
            0);
    try (Serde<OrderEvent> producer = AvroSerdes.specific(OrderEvent.class, config, false);
        Serde<OrderEvent> consumer = AvroSerdes.specific(OrderEvent.class, config, false)) {
      byte[] bytes = producer.serializer().serialize("order-events", TestRecords.orderEvent());
      assertThat(consumer.deserializer().deserialize("order-events", bytes))
          .isEqualTo(TestRecords.orderEvent());
      int calls = server.requestCount();
      for (int i = 0; i < 5; i++) {
        consumer
            .deserializer()
            .deserialize(
                "order-events",
                producer.serializer().serialize("order-events", TestRecords.orderEvent()));
      }
      assertThat(server.requestCount()).as("ids and schemas cached by the serdes").isEqualTo(calls);
      assertThat(server.lastHeaders()).containsKey("authorization");
    }
  }
}
