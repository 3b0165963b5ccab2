package dev.twikitorders.enricher.app;

import org.slf4j.Logger;

/** Closing what a job or the pipeline opened, in order, without one failure skipping the rest. */
final class Closeables {
  private Closeables() {}

  /** Closes {@code c} (null is fine); a failure is logged on {@code log} and swallowed. */
  static void closeQuietly(AutoCloseable c, Logger log) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      log.warn("Error while closing {}: {}", c.getClass().getSimpleName(), e.toString());
    }
  }
}
