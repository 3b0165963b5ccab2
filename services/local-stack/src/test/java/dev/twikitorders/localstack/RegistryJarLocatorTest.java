package dev.twikitorders.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.localstack.RegistryJarLocator.Inputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryJarLocatorTest {
  @TempDir Path root;

  @Test
  void systemPropertyWinsOverEnvironmentAndWellKnownLocations() throws IOException {
    Path fromProperty = touch(root.resolve("a/registry.jar"));
    Path fromEnv = touch(root.resolve("b/registry.jar"));
    touch(root.resolve(RegistryJarLocator.BUILD_OUTPUT));

    assertThat(
            RegistryJarLocator.locate(
                new Inputs(fromProperty.toString(), fromEnv.toString(), null, root)))
        .isEqualTo(fromProperty);
    assertThat(RegistryJarLocator.locate(new Inputs(" ", fromEnv.toString(), null, root)))
        .isEqualTo(fromEnv);
  }

  @Test
  void aConfiguredPathThatDoesNotExistIsAnErrorNotAFallback() throws IOException {
    touch(root.resolve(RegistryJarLocator.BUILD_OUTPUT));
    Path missing = root.resolve("missing.jar");

    assertThatThrownBy(
            () -> RegistryJarLocator.locate(new Inputs(null, missing.toString(), null, root)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("./mvnw -pl services/schema-registry-server package");
  }

  @Test
  void findsLibBesideTheRunningJarBeforeTheBuildOutput() throws IOException {
    Path appJar = touch(root.resolve("dist/order-enricher.jar"));
    Path besideApp = touch(root.resolve("dist/lib/schema-registry-server.jar"));
    touch(root.resolve(RegistryJarLocator.BUILD_OUTPUT));

    assertThat(RegistryJarLocator.locate(new Inputs(null, null, appJar, root)))
        .isEqualTo(besideApp);
  }

  @Test
  void findsTheJarBesideALibraryJarThatAlreadySitsInLib() throws IOException {
    Path libraryJar = touch(root.resolve("dist/lib/local-stack.jar"));
    Path registry = touch(root.resolve("dist/lib/schema-registry-server.jar"));

    assertThat(
            RegistryJarLocator.locate(
                new Inputs(null, null, libraryJar, root.resolve("elsewhere"))))
        .isEqualTo(registry);
  }

  @Test
  void findsTheBuildOutputFromASubdirectoryOfTheProject() throws IOException {
    Path built = touch(root.resolve(RegistryJarLocator.BUILD_OUTPUT));
    Path moduleDir = Files.createDirectories(root.resolve("services/order-enricher"));
    Path classesDir = Files.createDirectories(moduleDir.resolve("target/classes"));

    assertThat(RegistryJarLocator.locate(new Inputs(null, null, classesDir, moduleDir)))
        .isEqualTo(built);
  }

  @Test
  void explainsHowToBuildItWhenNothingIsFound() {
    assertThatThrownBy(() -> RegistryJarLocator.locate(new Inputs(null, null, null, root)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("./mvnw -pl services/schema-registry-server package")
        .hasMessageContaining("SCHEMA_REGISTRY_URL")
        .hasMessageContaining(root.resolve(RegistryJarLocator.BUILD_OUTPUT).toString());
  }

  private static Path touch(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, "not really a jar");
  }
}
