package dev.twikitorders.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import dev.twikitorders.registry.CompatibilityLevel;
import dev.twikitorders.registry.RegistryConfig;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.SchemaRegistryException;
import dev.twikitorders.registry.mock.MockSchemaRegistryClient;
import dev.twikitorders.registry.rest.RestSchemaRegistryClient;
import dev.twikitorders.registry.testing.ConfluentCompatibleTestServer;
import dev.twikitorders.registry.testing.TestRecords;
import dev.twikitorders.schemas.OrderEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whatever stops the serializer from getting a schema id leaves the registry's {@link
 * SchemaRegistryException} (status, error code) in the cause chain of what {@code serialize()}
 * throws; a record that cannot be encoded leaves none. The pipeline tells systemic failures from
 * bad records by exactly this.
 */
class SerializerFailureTest {
  private static final String TOPIC = "out";
  private static final String SUBJECT = TOPIC + "-value";
  private static final Schema V1 =
      SchemaBuilder.record("Thing").namespace("test").fields().requiredString("id").endRecord();
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

  private static RestSchemaRegistryClient client(String url, int maxResponseBytes) {
    return RestSchemaRegistryClient.builder()
        .urls(url)
        .maxRetries(0)
        .retryBackoff(Duration.ZERO, Duration.ZERO)
        .connectTimeout(Duration.ofSeconds(5))
        .maxResponseBytes(maxResponseBytes)
        .build();
  }

  private static RestSchemaRegistryClient client(String url) {
    return client(url, RegistryConfig.DEFAULT_MAX_RESPONSE_BYTES);
  }

  private static GenericRecord thing(Schema schema) {
    GenericRecord r = new GenericData.Record(schema);
    r.put("id", "t-1");
    if (schema.getField("size") != null) {
      r.put("size", 3);
    }
    return r;
  }

  /** What {@code serialize} throws; fails the test when it does not throw. */
  private static <T extends IndexedRecord> Throwable failureOf(
      SchemaRegistryClient client, boolean autoRegister, T record) {
    try (AvroSerializer<T> serializer = new AvroSerializer<>(client)) {
      serializer.configure(Map.of(RegistryConfig.AUTO_REGISTER_SCHEMAS, autoRegister), false);
      Throwable thrown = catchThrowable(() -> serializer.serialize(TOPIC, record));
      assertThat(thrown).as("serialize failed").isNotNull();
      return thrown;
    }
  }

  private static SchemaRegistryException registryFailureIn(Throwable thrown) {
    assertThat(SchemaRegistryException.find(thrown))
        .as("SchemaRegistryException in the cause chain of %s", thrown)
        .isPresent();
    return SchemaRegistryException.find(thrown).orElseThrow();
  }

  @Test
  void aRecordThatCannotBeEncodedCarriesNoRegistryFailure() {
    OrderEvent nullInNonNullField = TestRecords.orderEvent();
    nullInNonNullField.setEventId(null);
    MockSchemaRegistryClient registry = MockSchemaRegistryClient.unscoped();
    Throwable thrown = failureOf(registry, true, nullInNonNullField);
    assertThat(thrown).isInstanceOf(SerializationException.class);
    assertThat(SchemaRegistryException.find(thrown)).isEmpty();
  }

  @Test
  void aMissingSubjectWithoutAutoRegistrationIsARegistryRefusal() {
    try (RestSchemaRegistryClient client = client(server.url())) {
      Throwable thrown = failureOf(client, false, thing(V1));
      assertThat(thrown).isInstanceOf(SerializationException.class).hasMessageContaining(SUBJECT);
      SchemaRegistryException e = registryFailureIn(thrown);
      assertThat(e.httpStatus()).isEqualTo(404);
      assertThat(e.isNotFound()).isTrue();
    }
  }

  @Test
  void anIncompatibleSchemaIsARegistryRefusal() {
    server.registry().setCompatibility(SUBJECT, CompatibilityLevel.BACKWARD);
    server.registry().register(SUBJECT, V1);
    try (RestSchemaRegistryClient client = client(server.url())) {
      Throwable thrown = failureOf(client, true, thing(BREAKING));
      assertThat(thrown).isInstanceOf(SerializationException.class);
      SchemaRegistryException e = registryFailureIn(thrown);
      assertThat(e.httpStatus()).isEqualTo(409);
      assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA);
    }
  }

  @Test
  void a409WithAnotherErrorCodeIsAnIncompatibleSchemaToo() {
    // Apicurio's ccompat API sends error_code 0 with its 409; the test server sends 50001
    server.failNext(1, 409);
    try (RestSchemaRegistryClient client = client(server.url())) {
      Throwable thrown = failureOf(client, true, thing(V1));
      assertThat(thrown)
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("registering the schema failed");
      assertThat(registryFailureIn(thrown).httpStatus()).isEqualTo(409);
    }
  }

  @Test
  void missingCredentialsAreARegistryRefusal() {
    server.requireAuthorization("Basic c3I6c2VjcmV0");
    try (RestSchemaRegistryClient client = client(server.url())) {
      SchemaRegistryException e = registryFailureIn(failureOf(client, true, thing(V1)));
      assertThat(e.httpStatus()).isEqualTo(401);
      assertThat(e.errorCode()).isEqualTo(401);
      assertThat(e.isRetriable()).isFalse();
    }
  }

  @Test
  void aForbiddenAnswerIsARegistryRefusal() {
    server.failNext(1, 403);
    try (RestSchemaRegistryClient client = client(server.url())) {
      SchemaRegistryException e = registryFailureIn(failureOf(client, true, thing(V1)));
      assertThat(e.httpStatus()).isEqualTo(403);
      assertThat(e.errorCode()).as("the body's error_code").isEqualTo(50001);
    }
  }

  @Test
  void aServerErrorIsARegistryFailure() {
    server.failNext(1, 503);
    try (RestSchemaRegistryClient client = client(server.url())) {
      SchemaRegistryException e = registryFailureIn(failureOf(client, true, thing(V1)));
      assertThat(e.httpStatus()).isEqualTo(503);
      assertThat(e.isRetriable()).isTrue();
    }
  }

  @Test
  void anUnreachableRegistryIsARegistryFailure() {
    String url = server.url();
    server.close();
    try (RestSchemaRegistryClient client = client(url)) {
      SchemaRegistryException e = registryFailureIn(failureOf(client, true, thing(V1)));
      assertThat(e.httpStatus()).isEqualTo(SchemaRegistryException.NO_RESPONSE);
      assertThat(e.isRetriable()).isTrue();
    }
  }

  @Test
  void anOversizedReplyIsARegistryFailure() {
    // {"id":1} is 8 bytes
    try (RestSchemaRegistryClient client = client(server.url(), 5)) {
      SchemaRegistryException e = registryFailureIn(failureOf(client, true, thing(V1)));
      assertThat(e.httpStatus()).isEqualTo(200);
      assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.RESPONSE_TOO_LARGE);
    }
  }

  @Test
  void aBare404FromAWrongBaseUrlIsARegistryFailureNotAMissingSubject() throws Exception {
    try (ConfluentCompatibleTestServer ccompat = ConfluentCompatibleTestServer.start("/ccompat");
        RestSchemaRegistryClient client = client(ccompat.url().replace("/ccompat", ""))) {
      Throwable thrown = failureOf(client, false, thing(V1));
      assertThat(thrown).isInstanceOf(SchemaRegistryException.class);
      SchemaRegistryException e = registryFailureIn(thrown);
      assertThat(e.httpStatus()).isEqualTo(404);
      assertThat(e.isNotFound()).isFalse();
    }
  }

  @Test
  void aReplyThatIsNotJsonIsARegistryFailure() throws Exception {
    // e.g. a login page of a proxy in front of the registry
    HttpServer html =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    html.createContext(
        "/",
        ex -> {
          try (ex) {
            ex.getRequestBody().readAllBytes();
            byte[] body = "<html>sign in</html>".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
          }
        });
    html.start();
    try (RestSchemaRegistryClient client =
        client("http://127.0.0.1:" + html.getAddress().getPort())) {
      SchemaRegistryException e = registryFailureIn(failureOf(client, true, thing(V1)));
      assertThat(e.httpStatus()).isEqualTo(200);
      assertThat(e.getMessage()).contains("not JSON");
    } finally {
      html.stop(0);
    }
  }
}
