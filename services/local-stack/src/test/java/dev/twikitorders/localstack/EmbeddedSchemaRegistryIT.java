package dev.twikitorders.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The real registry in a child JVM, driven over plain HTTP like any Confluent client would. One
 * registry for the class (a JVM start costs seconds on two cores); the last test closes it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedSchemaRegistryIT {
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

  private static final String ORDER_V1 =
      """
            {"type":"record","name":"Order","namespace":"it","fields":[\
            {"name":"orderId","type":"string"}]}""";
  private static final String ORDER_V2_WITH_DEFAULT =
      """
            {"type":"record","name":"Order","namespace":"it","fields":[\
            {"name":"orderId","type":"string"},{"name":"currency","type":"string","default":"EUR"}]}""";
  private static final String ORDER_V2_WITHOUT_DEFAULT =
      """
            {"type":"record","name":"Order","namespace":"it","fields":[\
            {"name":"orderId","type":"string"},{"name":"shopId","type":"string"}]}""";

  private static EmbeddedSchemaRegistry registry;
  private static HttpClient http;

  @BeforeAll
  static void startRegistry() {
    // the jar comes from -Dtwikit.registry.jar, set by failsafe to the copy made at
    // pre-integration-test
    registry = EmbeddedSchemaRegistry.start();
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stopRegistry() {
    if (http != null) {
      http.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  @Order(1)
  void answersTheConfluentApiOnLoopback() throws Exception {
    assertThat(registry.url())
        .isEqualTo("http://127.0.0.1:" + registry.port() + "/apis/ccompat/v7");

    HttpResponse<String> subjects = get("/subjects");

    assertThat(subjects.statusCode()).isEqualTo(200);
    assertThat(subjects.body()).isEqualTo("[]");
  }

  @Test
  @Order(2)
  void reportsBackwardAsTheDefaultCompatibility() throws Exception {
    HttpResponse<String> config = get("/config");

    assertThat(config.statusCode()).isEqualTo(200);
    assertThat(config.body()).contains("\"compatibilityLevel\":\"BACKWARD\"");
  }

  @Test
  @Order(3)
  void registersAnAvroSchemaAndReturnsItById() throws Exception {
    HttpResponse<String> registered = register("orders-value", ORDER_V1);
    assertThat(registered.statusCode()).isEqualTo(200);
    int id = idOf(registered.body());

    HttpResponse<String> byId = get("/schemas/ids/" + id);

    assertThat(byId.statusCode()).isEqualTo(200);
    assertThat(byId.body()).contains(jsonString(ORDER_V1));
    assertThat(get("/subjects").body()).contains("\"orders-value\"");
    assertThat(get("/subjects/orders-value/versions").body()).isEqualTo("[1]");
    // registering the same schema again is idempotent: same id
    assertThat(idOf(register("orders-value", ORDER_V1).body())).isEqualTo(id);
  }

  @Test
  @Order(4)
  void acceptsABackwardCompatibleChangeAndRejectsAnIncompatibleOne() throws Exception {
    assertThat(register("evolving-value", ORDER_V1).statusCode()).isEqualTo(200);

    HttpResponse<String> compatible = register("evolving-value", ORDER_V2_WITH_DEFAULT);
    HttpResponse<String> incompatible = register("evolving-value", ORDER_V2_WITHOUT_DEFAULT);

    assertThat(compatible.statusCode()).isEqualTo(200);
    assertThat(incompatible.statusCode()).as(incompatible.body()).isEqualTo(409);
    assertThat(get("/subjects/evolving-value/versions").body()).isEqualTo("[1,2]");
  }

  @Test
  @Order(5)
  void closeStopsTheProcessAndFreesThePort() {
    ProcessHandle process = registry.process();
    int port = registry.port();
    assertThat(process.isAlive()).isTrue();

    registry.close();

    assertThat(process.isAlive()).isFalse();
    assertThat(ProcessHandle.of(process.pid()).filter(ProcessHandle::isAlive)).isEmpty();
    await().atMost(Duration.ofSeconds(10)).until(() -> canBind(port));
    registry.close(); // idempotent
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(registry.url() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> register(String subject, String schema)
      throws IOException, InterruptedException {
    String body = "{\"schemaType\":\"AVRO\",\"schema\":" + jsonString(schema) + "}";
    return http.send(
        HttpRequest.newBuilder(URI.create(registry.url() + "/subjects/" + subject + "/versions"))
            .header("Content-Type", CONTENT_TYPE)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int idOf(String body) {
    Matcher matcher = ID.matcher(body);
    assertThat(matcher.find()).as("an id in " + body).isTrue();
    return Integer.parseInt(matcher.group(1));
  }

  /**
   * The schema as a JSON string literal (the schemas here hold no backslashes or control
   * characters).
   */
  private static String jsonString(String schema) {
    return "\"" + schema.replace("\"", "\\\"") + "\"";
  }

  private static boolean canBind(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
