package dev.twikitorders.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

class LocalStackIT {

  /** Stands in for a service such as the Twikit sandbox: records how it was closed. */
  static final class FakeService implements AutoCloseable {
    final AtomicBoolean closed = new AtomicBoolean();
    volatile BooleanSupplier registryAliveProbe = () -> false;
    volatile boolean registryAliveAtClose;

    @Override
    public void close() {
      registryAliveAtClose = registryAliveProbe.getAsBoolean();
      closed.set(true);
    }
  }

  @Test
  void startsBrokerRegistryAndExtraServicesAndClosesThemInReverseOrder() throws Exception {
    FakeService fake = new FakeService();
    ProcessHandle registryProcess;
    Path kafkaLogs;
    Path registryLog;
    try (LocalStack stack =
        LocalStack.builder()
            .topics(2, "order-events", "order-events.dlq")
            .service(FakeService.class, () -> fake)
            .start()) {
      assertThat(stack.service(FakeService.class)).isSameAs(fake);
      try (Admin admin = stack.kafka().admin()) {
        assertThat(admin.listTopics().names().get()).contains("order-events", "order-events.dlq");
      }
      try (HttpClient http = HttpClient.newHttpClient()) {
        HttpResponse<String> subjects =
            http.send(
                HttpRequest.newBuilder(URI.create(stack.schemaRegistryUrl() + "/subjects")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(subjects.statusCode()).isEqualTo(200);
      }
      registryProcess = stack.schemaRegistry().process();
      kafkaLogs = stack.kafka().baseDirectory();
      registryLog = stack.schemaRegistry().logFile();
      assertThat(kafkaLogs).isDirectory();
      assertThat(registryLog).isRegularFile();
      fake.registryAliveProbe = registryProcess::isAlive;
    }

    assertThat(fake.closed).isTrue();
    assertThat(fake.registryAliveAtClose).as("extra services close before the registry").isTrue();
    assertThat(registryProcess.isAlive()).isFalse();
    assertThat(kafkaLogs).doesNotExist();
    assertThat(registryLog).doesNotExist();
  }

  @Test
  void whenOneComponentFailsTheOthersAreClosed() {
    FakeService healthy = new FakeService();

    assertThatThrownBy(
            () ->
                LocalStack.builder()
                    .withoutSchemaRegistry()
                    .service(FakeService.class, () -> healthy)
                    .service(
                        AutoCloseable.class,
                        () -> {
                          throw new IllegalStateException("sandbox could not bind its port");
                        })
                    .start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("AutoCloseable failed")
        .hasRootCauseMessage("sandbox could not bind its port");
    assertThat(healthy.closed).isTrue();
  }
}
