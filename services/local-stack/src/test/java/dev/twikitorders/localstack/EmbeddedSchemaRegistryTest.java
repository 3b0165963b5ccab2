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

  @Test
  void aMissingHttpsFileIsNamedBeforeAnythingStarts() throws IOException {
    Path jar = Files.writeString(dir.resolve("never-run.jar"), "not started");
    Path certificate = Files.writeString(dir.resolve("cert.pem"), "unused");
    Path ca = Files.writeString(dir.resolve("ca.pem"), "unused");
    Path missingKey = dir.resolve("missing-key.pem");

    assertThatThrownBy(
            () ->
                EmbeddedSchemaRegistry.builder()
                    .jar(jar)
                    .https(certificate, missingKey, ca)
                    .start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(missingKey.toString());
  }

  @Test
  void aCaFileWithoutCertificatesIsNamed() throws IOException {
    Path notPem = Files.writeString(dir.resolve("not-a-ca.pem"), "no certificate here");

    assertThatThrownBy(() -> EmbeddedSchemaRegistry.trusting(notPem))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(notPem.toString());
  }
}
