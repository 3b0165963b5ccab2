package dev.twikitorders.localstack;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up failures, which need no real registry. */
class EmbeddedSchemaRegistryTest {
  @TempDir Path dir;

  @Test
  void aMissingJarIsExplained() {
    Path missing = dir.resolve("schema-registry-server.jar");

    assertThatThrownBy(() -> EmbeddedSchemaRegistry.builder().jar(missing).start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("./mvnw -pl services/schema-registry-server package");
  }

  @Test
  void aProcessThatExitsEarlyFailsWithTheTailOfItsLog() throws IOException {
    Path notAJar = Files.writeString(dir.resolve("broken.jar"), "this is not a zip file");

    // the child `java -jar broken.jar` exits at once with an "Invalid or corrupt jarfile" message
    assertThatThrownBy(() -> EmbeddedSchemaRegistry.builder().jar(notAJar).start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited with code")
        .hasMessageContaining("broken.jar");
  }
}
