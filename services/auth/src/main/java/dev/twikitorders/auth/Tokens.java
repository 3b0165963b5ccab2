package dev.twikitorders.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * The tokens of one successful token response: the access token, the refresh token (null when the
 * server issued none), when the access token expires (from {@code expires_in}, 5 minutes when
 * absent) and the granted scope (null when the server did not say).
 *
 * <p>{@link #toString()} shows neither token. Thread-safety: immutable.
 */
public record Tokens(
    Secret accessToken, Secret refreshToken, Instant accessTokenExpiresAt, String scope) {

  public Tokens {
    Objects.requireNonNull(accessToken, "accessToken");
    Objects.requireNonNull(accessTokenExpiresAt, "accessTokenExpiresAt");
    scope = scope == null || scope.isBlank() ? null : scope.strip();
  }

  @Override
  public String toString() {
    return "Tokens[accessToken=****, refreshToken="
        + (refreshToken == null ? "none" : "****")
        + ", accessTokenExpiresAt="
        + accessTokenExpiresAt
        + ", scope="
        + scope
        + "]";
  }
}
