package dev.twikitorders.enricher.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.enricher.flow.GatedClientSupplier;
import dev.twikitorders.enricher.flow.InputGate;
import org.junit.jupiter.api.Test;

/** Kafka Streams' per-process transactional ids become per-instance ones. */
class StableTransactionalIdsTest {
  private final StableTransactionalIds ids =
      new StableTransactionalIds(
          "twikit-order-enricher", "host-a-0", new GatedClientSupplier(InputGate.open()));

  @Test
  void theProcessIdIsReplacedByTheInstanceIdAndTheThreadIndexKept() {
    assertThat(ids.stable("twikit-order-enricher-0f8fad5b-d9cb-469f-a165-70867728950e-1"))
        .isEqualTo("twikit-order-enricher-host-a-0-1");
    assertThat(ids.stable("twikit-order-enricher-7c9e6679-7425-40de-944b-e07fc1f90ae7-12"))
        .isEqualTo("twikit-order-enricher-host-a-0-12");
  }

  @Test
  void anUnexpectedShapeIsKept() {
    assertThat(ids.stable("other-app-0f8fad5b-d9cb-469f-a165-70867728950e-1"))
        .isEqualTo("other-app-0f8fad5b-d9cb-469f-a165-70867728950e-1");
    assertThat(ids.stable("twikit-order-enricher-1")).isEqualTo("twikit-order-enricher-1");
  }
}
