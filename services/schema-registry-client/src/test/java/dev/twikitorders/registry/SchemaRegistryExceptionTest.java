package dev.twikitorders.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class SchemaRegistryExceptionTest {
  private static final SchemaRegistryException REFUSED =
      new SchemaRegistryException("refused", 409, SchemaRegistryException.INCOMPATIBLE_SCHEMA);

  @Test
  void findsItselfAndTheOutermostOneInTheCauseChain() {
    assertThat(SchemaRegistryException.find(REFUSED)).containsSame(REFUSED);
    SchemaRegistryException outer = new SchemaRegistryException("outer", 409, 409, REFUSED);
    RuntimeException wrapped =
        new RuntimeException("streams", new SerializationException("serde", outer));
    assertThat(SchemaRegistryException.find(wrapped)).containsSame(outer);
  }

  @Test
  void findsNothingWithoutOne() {
    assertThat(SchemaRegistryException.find(null)).isEmpty();
    assertThat(
            SchemaRegistryException.find(
                new SerializationException("bad record", new NullPointerException())))
        .isEmpty();
    RuntimeException suppressedOnly = new RuntimeException("x");
    suppressedOnly.addSuppressed(REFUSED);
    assertThat(SchemaRegistryException.find(suppressedOnly)).as("suppressed are ignored").isEmpty();
  }

  @Test
  void aCyclicCauseChainEndsTheSearch() {
    TimeoutException a = new TimeoutException("a");
    SerializationException b = new SerializationException("b", a);
    a.initCause(b);
    assertThat(SchemaRegistryException.find(b)).isEmpty();
  }

  @Test
  void anOversizedResponseIsNeverRetriable() {
    SchemaRegistryException tooLarge =
        new SchemaRegistryException("too large", 503, SchemaRegistryException.RESPONSE_TOO_LARGE);
    assertThat(tooLarge.isRetriable()).isFalse();
    assertThat(new SchemaRegistryException("down", 503, 50301).isRetriable()).isTrue();
  }
}
