package dev.twikitorders.twikit.internal.auth;

import java.time.Instant;

/**
 * A cached bearer access token (RFC 6750) with its timing. {@link #toString()} never shows the
 * value. Compared by identity: a renewal always yields a new instance.
 *
 * <p>Thread-safety: immutable and thread-safe.
 */
public final class CachedToken {

  private final String value;
  private final Instant obtainedAt;
  private final Instant renewAt;
  private final Instant expiresAt;

  public CachedToken(String value, Instant obtainedAt, Instant renewAt, Instant expiresAt) {
    this.value = value;
    this.obtainedAt = obtainedAt;
    this.renewAt = renewAt;
    this.expiresAt = expiresAt;
  }

  /** The bearer value: put it only into the Authorization header. */
  public String value() {
    return value;
  }

  public Instant obtainedAt() {
    return obtainedAt;
  }

  /** From this instant the token is renewed in the background while still used. */
  public Instant renewAt() {
    return renewAt;
  }

  /** From this instant the token is no longer used (its expiry minus a small safety margin). */
  public Instant expiresAt() {
    return expiresAt;
  }

  @Override
  public String toString() {
    return "CachedToken[value=****, obtainedAt="
        + obtainedAt
        + ", renewAt="
        + renewAt
        + ", expiresAt="
        + expiresAt
        + "]";
  }
}
