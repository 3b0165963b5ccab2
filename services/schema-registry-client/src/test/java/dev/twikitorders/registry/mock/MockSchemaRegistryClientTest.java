package dev.twikitorders.registry.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.registry.CompatibilityLevel;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.SchemaRegistryClients;
import dev.twikitorders.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MockSchemaRegistryClientTest {
  private static final Schema V1 =
      SchemaBuilder.record("T").fields().requiredString("a").endRecord();
  private static final Schema V2_DEFAULTED =
      SchemaBuilder.record("T")
          .fields()
          .requiredString("a")
          .name("b")
          .type()
          .intType()
          .intDefault(0)
          .endRecord();
  private static final Schema V2_REQUIRED =
      SchemaBuilder.record("T").fields().requiredString("a").requiredInt("b").endRecord();
  private static final Schema V3_DROPS_A =
      SchemaBuilder.record("T").fields().name("b").type().intType().intDefault(0).endRecord();

  @AfterEach
  void drop() {
    MockSchemaRegistryClient.drop("mock-test");
    MockSchemaRegistryClient.drop("mock-test-other");
  }

  @Test
  void scopesAreSharedWithinTheJvmUntilDropped() {
    SchemaRegistryClient a = SchemaRegistryClients.create("mock://mock-test");
    SchemaRegistryClient b = SchemaRegistryClients.create("mock://mock-test/");
    int id = a.register("s", V1);
    assertThat(b.getById(id)).isEqualTo(V1);
    assertThat(SchemaRegistryClients.create("mock://mock-test-other").subjects()).isEmpty();
    MockSchemaRegistryClient.drop("mock-test");
    assertThat(SchemaRegistryClients.create("mock://mock-test").subjects()).isEmpty();
  }

  @Test
  void backwardByDefaultWithConfluentSemantics() {
    MockSchemaRegistryClient r = MockSchemaRegistryClient.forScope("mock-test");
    int id1 = r.register("s", V1);
    assertThat(r.register("s", V1)).as("re-registering is idempotent").isEqualTo(id1);
    assertThat(r.register("t", V1)).as("ids are global").isEqualTo(id1);
    assertThat(r.isCompatible("s", V2_REQUIRED)).isFalse();
    assertThatThrownBy(() -> r.register("s", V2_REQUIRED))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(409);
              assertThat(e.errorCode()).isEqualTo(409);
            });
    int id2 = r.register("s", V2_DEFAULTED);
    assertThat(r.versions("s")).containsExactly(1, 2);
    assertThat(r.latestVersion("s").id()).isEqualTo(id2);
    assertThat(r.getId("s", V1)).isEqualTo(id1);
    assertThatThrownBy(() -> r.getById(999))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
    assertThatThrownBy(() -> r.latest("nope"))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
  }

  @Test
  void transitiveAndForwardLevels() {
    MockSchemaRegistryClient r = MockSchemaRegistryClient.forScope("mock-test");
    r.register("s", V1);
    r.register("s", V2_DEFAULTED);
    // V3 (drops a, defaults b) can read V1 and V2 data, but V2 cannot read V3 data (a has no
    // default)
    r.setCompatibility("s", CompatibilityLevel.FORWARD);
    assertThat(r.isCompatible("s", V3_DROPS_A))
        .as("V2 cannot read V3 data: a is missing")
        .isFalse();
    r.setCompatibility("s", CompatibilityLevel.BACKWARD_TRANSITIVE);
    assertThat(r.isCompatible("s", V3_DROPS_A)).isTrue();
    r.setCompatibility("s", CompatibilityLevel.NONE);
    assertThat(r.isCompatible("s", SchemaBuilder.record("Other").fields().endRecord())).isTrue();
    r.setGlobalCompatibility(CompatibilityLevel.FULL);
    assertThat(r.compatibility("s")).isEqualTo(CompatibilityLevel.NONE);
    assertThat(r.compatibility("fresh")).isEqualTo(CompatibilityLevel.FULL);
  }
}
