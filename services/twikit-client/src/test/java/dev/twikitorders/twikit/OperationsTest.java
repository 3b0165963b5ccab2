package dev.twikitorders.twikit;

import static dev.twikitorders.twikit.SandboxSupport.config;
import static dev.twikitorders.twikit.SandboxSupport.incompatibleId;
import static dev.twikitorders.twikit.SandboxSupport.knownId;
import static dev.twikitorders.twikit.SandboxSupport.unknownId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.sandbox.api.Operation;
import dev.twikitorders.twikit.model.BatchUpdateResult;
import dev.twikitorders.twikit.model.Compatibility;
import dev.twikitorders.twikit.model.Configuration;
import dev.twikitorders.twikit.model.ConfigurationUpdate;
import dev.twikitorders.twikit.model.Filtered;
import dev.twikitorders.twikit.model.Parameters;
import dev.twikitorders.twikit.model.Summary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every operation against the real sandbox, over HTTP/1.1 and HTTP/2 (h2c). */
class OperationsTest {

  private static TwikitSandbox sb;

  @BeforeAll
  static void startSandbox() {
    sb = SandboxSupport.start();
  }

  @AfterAll
  static void stopSandbox() {
    sb.close();
  }

  @BeforeEach
  void reset() {
    sb.reset();
  }

  @ParameterizedTest
  @EnumSource(
      value = HttpProtocol.class,
      names = {"HTTP_1_1", "HTTP_2"})
  void everyOperationWorks(HttpProtocol protocol) {
    try (TwikitApi api = TwikitClient.create(config(sb).httpProtocol(protocol).build())) {
      String id = knownId();

      assertThat(api.status().join().isOk()).isTrue();

      Configuration c = api.configuration(id).join();
      assertThat(c.uuid()).isEqualTo(id);
      assertThat(c.productTitle()).isNotBlank();

      Compatibility ok = api.compatibility(id).join();
      assertThat(ok.isCompatible()).isTrue();
      Compatibility old = api.compatibility(incompatibleId()).join();
      assertThat(old.isCompatible()).isFalse();
      assertThat(old.reasons()).isNotEmpty();

      Summary s = api.summary(id).join();
      assertThat(s.uuid()).isEqualTo(id);
      assertThat(s.parameters()).isNotEmpty();

      Parameters p = api.parameters(id).join();
      assertThat(p.parameters()).isNotEmpty();

      Filtered f = api.filtered(id).join();
      assertThat(f.uuid()).isEqualTo(id);
      assertThat(f.parameters()).isNotEmpty();

      Configuration updated =
          api.update(id, new ConfigurationUpdate(null, "order-1", Map.of("lineId", "1"))).join();
      assertThat(updated.externalId()).isEqualTo("order-1");
      assertThat(api.configuration(id).join().externalId()).isEqualTo("order-1");

      String other = knownId();
      String missing = unknownId();
      BatchUpdateResult batch =
          api.updateMany(
                  List.of(
                      ConfigurationUpdate.linkToOrder(id, "order-2"),
                      ConfigurationUpdate.linkToOrder(other, "order-2"),
                      ConfigurationUpdate.linkToOrder(missing, "order-2")))
              .join();
      assertThat(batch.updated()).containsExactlyInAnyOrder(id, other);
      assertThat(batch.notFound()).containsExactly(missing);

      assertThat(sb.counters().tokensIssued()).isEqualTo(1);
      assertThat(sb.counters().requests(Operation.UPDATE_MANY)).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = HttpProtocol.class,
      names = {"HTTP_1_1", "HTTP_2"})
  void unknownConfigurationIsNotFoundWithoutRetries(HttpProtocol protocol) {
    try (TwikitApi api = TwikitClient.create(config(sb).httpProtocol(protocol).build())) {
      String missing = unknownId();
      Throwable t = catchThrowable(() -> api.summary(missing).join());
      TwikitException e = TwikitException.unwrap(t).orElseThrow();
      assertThat(e.kind()).isEqualTo(TwikitException.Kind.NOT_FOUND);
      assertThat(e.isTransient()).isFalse();
      assertThat(e.operation()).isEqualTo(TwikitOperation.SUMMARY);
      assertThat(e.configurationId()).isEqualTo(missing);
      assertThat(e.httpStatus()).isEqualTo(404);
      assertThat(e.attempts()).isEqualTo(1);
      assertThat(sb.counters().requests(Operation.SUMMARY)).isEqualTo(1);
      // the future itself completes with the exception, unwrapped
      assertThat(api.summary(missing).handle((v, x) -> x).join())
          .isInstanceOf(TwikitException.class);
    }
  }
}
