package dev.twikitorders.registry.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.twikitorders.registry.RegistryConfig;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.SchemaRegistryClients;
import dev.twikitorders.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The response size limit against a tiny loopback HTTP server standing in for a misbehaving
 * registry (or a proxy in front of one) that answers with huge bodies, with and without {@code
 * Content-Length}.
 */
class ResponseSizeLimitTest {
  private static final int LIMIT = 1024;

  /** Far more than the loopback socket buffers hold: a writer gets this far only if read. */
  private static final long ENDLESS = 64L * 1024 * 1024;

  private interface Responder {
    void respond(HttpExchange exchange) throws IOException, InterruptedException;
  }

  private final AtomicInteger requests = new AtomicInteger();
  private final CountDownLatch releaseWithheld = new CountDownLatch(1);
  private final CountDownLatch endlessDone = new CountDownLatch(1);
  private final AtomicBoolean endlessWroteEverything = new AtomicBoolean();
  private ExecutorService executor;
  private HttpServer server;
  private volatile Responder responder;

  @BeforeEach
  void start() throws IOException {
    executor = Executors.newCachedThreadPool();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange
                .getResponseHeaders()
                .set("Content-Type", "application/vnd.schemaregistry.v1+json");
            responder.respond(exchange);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    releaseWithheld.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private RestSchemaRegistryClient client(int maxRetries) {
    return RestSchemaRegistryClient.builder()
        .urls(url())
        .maxRetries(maxRetries)
        .retryBackoff(Duration.ZERO, Duration.ZERO)
        .maxResponseBytes(LIMIT)
        .build();
  }

  /** A JSON array of one subject, padded with spaces to exactly {@code size} bytes. */
  private static byte[] subjectsBody(int size) {
    byte[] body = new byte[size];
    Arrays.fill(body, (byte) ' ');
    byte[] json = "[\"s\"]".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(json, 0, body, 0, json.length);
    return body;
  }

  private static Responder fixedLength(int status, byte[] body) {
    return ex -> {
      ex.sendResponseHeaders(status, body.length);
      ex.getResponseBody().write(body);
    };
  }

  private static Responder chunked(int status, byte[] body) {
    return ex -> {
      ex.sendResponseHeaders(status, 0);
      OutputStream out = ex.getResponseBody();
      for (int i = 0; i < body.length; i += 100) {
        out.write(body, i, Math.min(100, body.length - i));
        out.flush();
      }
    };
  }

  /** Chunked spaces until the client hangs up, or {@link #ENDLESS} bytes. */
  private Responder endless(int status) {
    return ex -> {
      try {
        ex.sendResponseHeaders(status, 0);
        OutputStream out = ex.getResponseBody();
        byte[] chunk = new byte[8192];
        Arrays.fill(chunk, (byte) ' ');
        out.write('[');
        for (long written = 0; written < ENDLESS; written += chunk.length) {
          out.write(chunk);
          out.flush();
        }
        endlessWroteEverything.set(true);
      } catch (IOException clientHungUp) {
        // expected: the client stopped reading at the limit and closed the connection
      } finally {
        endlessDone.countDown();
      }
    };
  }

  private void assertTooLarge(Throwable thrown, int status) {
    assertThat(thrown).isInstanceOf(SchemaRegistryException.class);
    SchemaRegistryException e = (SchemaRegistryException) thrown;
    assertThat(e.httpStatus()).isEqualTo(status);
    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.RESPONSE_TOO_LARGE);
    assertThat(e.isRetriable()).isFalse();
    assertThat(e.isNotFound()).isFalse();
    assertThat(e.getMessage())
        .contains("GET " + url() + "/subjects")
        .contains("response too large")
        .contains("limit of " + LIMIT + " bytes (schema.registry.max.response.bytes)");
  }

  @Test
  void bodiesUpToTheLimitAreRead() {
    try (RestSchemaRegistryClient client = client(0)) {
      responder = fixedLength(200, subjectsBody(LIMIT));
      assertThat(client.subjects()).containsExactly("s");
      responder = chunked(200, subjectsBody(LIMIT));
      assertThat(client.subjects()).containsExactly("s");
    }
  }

  @Test
  void aDeclaredContentLengthOverTheLimitFailsBeforeTheBodyIsRead() {
    // Declares more than the limit, sends a few bytes and then withholds the rest until the test
    // ends: a client that read the body before checking would fail with an I/O error instead.
    responder =
        ex -> {
          ex.sendResponseHeaders(200, LIMIT + 1);
          ex.getResponseBody().write(subjectsBody(10));
          ex.getResponseBody().flush();
          releaseWithheld.await(30, TimeUnit.SECONDS);
        };
    try (RestSchemaRegistryClient client = client(0)) {
      Throwable thrown = failureOf(client::subjects);
      assertTooLarge(thrown, 200);
      assertThat(thrown).hasMessageContaining("Content-Length " + (LIMIT + 1));
    }
  }

  @Test
  void aChunkedBodyOverTheLimitFailsWhileReadingAndTheConnectionIsDropped() {
    responder = endless(200);
    try (RestSchemaRegistryClient client = client(0)) {
      Throwable thrown = failureOf(client::subjects);
      assertTooLarge(thrown, 200);
      assertThat(thrown).hasMessageContaining("the body exceeds");
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> endlessDone.getCount() == 0);
    assertThat(endlessWroteEverything).as("the client stopped reading at the limit").isFalse();
  }

  @Test
  void aFixedLengthBodyJustOverTheLimitFails() {
    responder = fixedLength(200, subjectsBody(LIMIT + 1));
    try (RestSchemaRegistryClient client = client(0)) {
      assertTooLarge(failureOf(client::subjects), 200);
    }
  }

  @Test
  void anOversizedErrorBodyKeepsItsStatusAndIsNotRetried() {
    responder = chunked(503, subjectsBody(LIMIT * 3));
    try (RestSchemaRegistryClient client = client(2)) {
      assertTooLarge(failureOf(client::subjects), 503);
    }
    assertThat(requests).as("no retry, no failover").hasValue(1);
  }

  @Test
  void theLimitIsReadFromTheSerdeConfigAndDefaultsToFourMebibytes() {
    responder = fixedLength(200, subjectsBody(LIMIT + 1));
    try (SchemaRegistryClient client =
        SchemaRegistryClients.create(
            Map.of(
                RegistryConfig.SCHEMA_REGISTRY_URL,
                url(),
                RegistryConfig.MAX_RESPONSE_BYTES,
                String.valueOf(LIMIT),
                RegistryConfig.MAX_RETRIES,
                "0"))) {
      assertTooLarge(failureOf(client::subjects), 200);
    }
    try (SchemaRegistryClient client =
        SchemaRegistryClients.create(Map.of(RegistryConfig.SCHEMA_REGISTRY_URL, url()))) {
      assertThat(client.subjects()).containsExactly("s");
      responder = endless(200);
      assertThatThrownBy(client::subjects)
          .isInstanceOf(SchemaRegistryException.class)
          .hasMessageContaining("limit of 4194304 bytes");
    }
  }

  @Test
  void anInvalidLimitIsAConfigErrorNamingTheSetting() {
    for (String bad : new String[] {"0", "-1", "lots", "2147483648"}) {
      assertThatThrownBy(
              () ->
                  SchemaRegistryClients.create(
                      Map.of(
                          RegistryConfig.SCHEMA_REGISTRY_URL,
                          url(),
                          RegistryConfig.MAX_RESPONSE_BYTES,
                          bad)))
          .as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("schema.registry.max.response.bytes");
    }
  }

  private static Throwable failureOf(Runnable call) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call::run);
    assertThat(thrown).as("the call failed").isNotNull();
    return thrown;
  }
}
