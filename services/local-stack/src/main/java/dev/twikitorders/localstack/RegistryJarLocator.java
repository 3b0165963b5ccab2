package dev.twikitorders.localstack;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the schema registry uber-jar built by {@code services/schema-registry-server}.
 *
 * <p>Order: an explicit path; else system property {@value #JAR_PROPERTY}; else environment
 * variable {@value #JAR_ENV}; else well-known locations: {@code lib/schema-registry-server.jar}
 * beside the jar this class runs from (or the jar's own directory when it already sits in {@code
 * lib/}), then {@code services/schema-registry-server/target/schema-registry-server.jar} under the
 * working directory and each of its parents. A path given explicitly or through the
 * property/variable must exist: there is no silent fallback from a wrong setting.
 */
final class RegistryJarLocator {
  static final String JAR_PROPERTY = "twikit.registry.jar";
  static final String JAR_ENV = "EMBEDDED_REGISTRY_JAR";
  static final String FILE_NAME = "schema-registry-server.jar";
  static final Path BUILD_OUTPUT =
      Path.of("services", "schema-registry-server", "target", FILE_NAME);

  /** What the search depends on, so it can be tested without touching the real environment. */
  record Inputs(
      String systemProperty, String environmentVariable, Path codeSource, Path workingDirectory) {
    static Inputs current() {
      return new Inputs(
          System.getProperty(JAR_PROPERTY),
          System.getenv(JAR_ENV),
          codeSourceOf(RegistryJarLocator.class),
          Path.of("").toAbsolutePath());
    }
  }

  private RegistryJarLocator() {}

  /**
   * Locates the jar from the current system properties, environment, code source and working
   * directory.
   */
  static Path locate() {
    return locate(Inputs.current());
  }

  static Path locate(Inputs inputs) {
    Optional<Path> configured = configured(inputs);
    if (configured.isPresent()) {
      Path jar = configured.get();
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(
            "Schema registry jar "
                + jar
                + " (from -D"
                + JAR_PROPERTY
                + " or "
                + JAR_ENV
                + ") does not exist. "
                + HOW_TO_BUILD);
      }
      return jar;
    }
    List<Path> candidates = wellKnownLocations(inputs);
    return candidates.stream()
        .filter(Files::isRegularFile)
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "Schema registry jar "
                        + FILE_NAME
                        + " not found (looked at "
                        + candidates
                        + "). "
                        + HOW_TO_BUILD));
  }

  static final String HOW_TO_BUILD =
      "Build it with './mvnw -pl services/schema-registry-server package' from the"
          + " project root, point -D"
          + JAR_PROPERTY
          + " or "
          + JAR_ENV
          + " at it, or set SCHEMA_REGISTRY_URL to use"
          + " a registry that is already running.";

  static Optional<Path> configured(Inputs inputs) {
    if (notBlank(inputs.systemProperty())) {
      return Optional.of(Path.of(inputs.systemProperty().strip()));
    }
    if (notBlank(inputs.environmentVariable())) {
      return Optional.of(Path.of(inputs.environmentVariable().strip()));
    }
    return Optional.empty();
  }

  static List<Path> wellKnownLocations(Inputs inputs) {
    List<Path> candidates = new ArrayList<>();
    Path codeSource = inputs.codeSource();
    if (codeSource != null
        && codeSource.getFileName() != null
        && codeSource.getFileName().toString().endsWith(".jar")) {
      Path dir = codeSource.toAbsolutePath().getParent();
      if (dir != null) {
        candidates.add(dir.resolve("lib").resolve(FILE_NAME));
        candidates.add(dir.resolve(FILE_NAME));
      }
    }
    for (Path dir = inputs.workingDirectory().toAbsolutePath();
        dir != null;
        dir = dir.getParent()) {
      candidates.add(dir.resolve(BUILD_OUTPUT));
    }
    return candidates;
  }

  private static Path codeSourceOf(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return null;
    }
    try {
      return Path.of(source.getLocation().toURI());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null; // not a file location (e.g. nested in another archive): only the other locations
      // apply
    }
  }

  private static boolean notBlank(String value) {
    return value != null && !value.isBlank();
  }
}
