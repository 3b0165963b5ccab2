package dev.twikitorders.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** File helpers of this package. */
final class Files2 {
  private Files2() {}

  /**
   * Deletes {@code dir} and everything below it; a failure is added to {@code failures} rather than
   * thrown.
   */
  static void deleteRecursively(Path dir, Throwable failures) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.deleteIfExists(path);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (UncheckedIOException e) {
      if (!(e.getCause() instanceof NoSuchFileException)) {
        failures.addSuppressed(e.getCause());
      }
    } catch (IOException e) {
      failures.addSuppressed(e);
    }
  }
}
