package dev.twikitorders.ops;

import java.util.Objects;

/**
 * A health decision: up (HTTP 200) or not (503), and the short body saying why, for example {@code
 * RUNNING\n}. The body is sent as is to whoever can reach the port: it must hold no secret and no
 * error detail.
 *
 * <p>Immutable.
 *
 * @param up whether the probe passes
 * @param body the response body, one short line ending in a newline by convention; never null
 */
public record Verdict(boolean up, String body) {
  public Verdict {
    Objects.requireNonNull(body, "body");
  }

  /** A passing verdict with {@code body}. */
  public static Verdict up(String body) {
    return new Verdict(true, body);
  }

  /** A failing verdict with {@code body}. */
  public static Verdict down(String body) {
    return new Verdict(false, body);
  }

  /** The HTTP status: 200 when up, 503 otherwise. */
  public int status() {
    return up ? 200 : 503;
  }
}
