package dev.twikitorders.auth.store;

import dev.twikitorders.auth.Secret;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * What a {@link RefreshTokenStore} holds: the current refresh token, the access token obtained with
 * it and when that expires (both null when unknown), the token endpoint and client id the tokens
 * belong to, the granted scope (null: unknown) and when the store was last written.
 *
 * <p>{@link #toString()} shows neither token. Thread-safety: immutable.
 */
public record StoredTokens(
    Secret refreshToken,
    Secret accessToken,
    Instant accessTokenExpiresAt,
    URI tokenEndpoint,
    String clientId,
    String scope,
    Instant updatedAt) {

  public StoredTokens {
    Objects.requireNonNull(refreshToken, "refreshToken");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if (accessToken == null) {
      accessTokenExpiresAt = null;
    }
    scope = scope == null || scope.isBlank() ? null : scope.strip();
  }

  /** Whether the stored access token can still be used after {@code instant}. */
  public boolean accessTokenValidAfter(Instant instant) {
    return accessToken != null
        && accessTokenExpiresAt != null
        && accessTokenExpiresAt.isAfter(instant);
  }

  @Override
  public String toString() {
    return "StoredTokens[refreshToken=****, accessToken="
        + (accessToken == null ? "none" : "****")
        + ", accessTokenExpiresAt="
        + accessTokenExpiresAt
        + ", tokenEndpoint="
        + tokenEndpoint
        + ", clientId="
        + clientId
        + ", scope="
        + scope
        + ", updatedAt="
        + updatedAt
        + "]";
  }
}
