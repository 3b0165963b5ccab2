package dev.twikitorders.twikit.model;

import java.time.Instant;

/**
 * The reply of {@code GET /status}. Missing fields are null.
 *
 * <p>Thread-safety: immutable and thread-safe.
 *
 * @param status {@code "ok"} when the API is healthy
 * @param version the API version
 * @param time the server time
 */
public record ApiStatus(String status, String version, Instant time) {

  /** Whether {@link #status()} is {@code ok} (case-insensitive). */
  public boolean isOk() {
    return "ok".equalsIgnoreCase(status);
  }
}
