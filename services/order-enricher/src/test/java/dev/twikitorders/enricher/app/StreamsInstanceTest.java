package dev.twikitorders.enricher.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.enricher.config.Settings;
import dev.twikitorders.settings.ConfigSources;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Instance slots: unique while held, the same one back once released. */
class StreamsInstanceTest {
  @TempDir Path base;
  @TempDir Path slots;

  @Test
  void concurrentInstancesGetDifferentSlotsAndARestartedOneGetsItsSlotBack() {
    StreamsInstance first = StreamsInstance.takeSlot(slots, base, "host-a");
    StreamsInstance second = StreamsInstance.takeSlot(slots, base, "host-a");

    assertThat(first.groupInstanceId()).isEqualTo("host-a-0");
    assertThat(first.stateDir()).isEqualTo(base.resolve("0").toString());
    assertThat(second.groupInstanceId()).isEqualTo("host-a-1");
    assertThat(second.stateDir()).isEqualTo(base.resolve("1").toString());
    assertThat(first.derived()).isTrue();

    first.close(); // as the OS does for a killed process
    StreamsInstance restarted = StreamsInstance.takeSlot(slots, base, "host-a");

    assertThat(restarted.groupInstanceId()).isEqualTo("host-a-0");
    assertThat(restarted.stateDir()).isEqualTo(first.stateDir());
    second.close();
    restarted.close();
  }

  @Test
  void instancesWithDifferentStateDirectoriesStillGetDifferentSlots(@TempDir Path other) {
    StreamsInstance first = StreamsInstance.takeSlot(slots, base, "host-a");
    StreamsInstance second = StreamsInstance.takeSlot(slots, other, "host-a");
    assertThat(second.groupInstanceId()).isNotEqualTo(first.groupInstanceId());
    assertThat(second.stateDir()).isEqualTo(other.resolve("1").toString());
    first.close();
    second.close();
  }

  @Test
  void anExplicitIdWinsAndTakesNoSlot() {
    ConfigSources sources = new ConfigSources(Settings.CATALOG);
    sources.set("kafka.group.instance.id", "enricher-7", "test");
    sources.set("state.dir", base.toString(), "test");
    EnricherConfig config = EnricherConfig.from(sources);

    try (StreamsInstance instance = StreamsInstance.of(config.kafka())) {
      assertThat(instance.groupInstanceId()).isEqualTo("enricher-7");
      assertThat(instance.stateDir()).isEqualTo(base.toString());
      assertThat(instance.derived()).isFalse();
    }
    assertThat(config.kafka().overrides()).doesNotContainKey("group.instance.id");
  }

  @Test
  void theHostNameIsReducedToLegalCharacters() {
    assertThat(StreamsInstance.hostName()).matches("[a-z0-9._-]{1,150}");
  }
}
