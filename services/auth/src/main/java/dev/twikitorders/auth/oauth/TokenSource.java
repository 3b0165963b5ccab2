package dev.twikitorders.auth.oauth;

import dev.twikitorders.auth.Secret;
import java.net.URI;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * One grant's way to an access token, for {@link TokenManager}: one call of {@link #obtain} is one
 * step (at most one token request), never retried inside.
 *
 * <p>Thread-safety: {@link TokenManager} calls {@link #obtain} for one step at a time;
 * implementations must tolerate completion on any thread.
 */
interface TokenSource extends AutoCloseable {

  /** An access token valid from {@code obtainedAt} until {@code expiresAt}. */
  record Obtained(Secret accessToken, Instant obtainedAt, Instant expiresAt) {
    @Override
    public String toString() {
      return "Obtained[accessToken=****, obtainedAt="
          + obtainedAt
          + ", expiresAt="
          + expiresAt
          + "]";
    }
  }

  /**
   * Obtains an access token from {@code tokenEndpoint}; fails with a {@link StepException} or an
   * {@link dev.twikitorders.auth.AuthException}.
   *
   * @param rejected the access token the API just refused, or null for a renewal ahead of expiry
   */
  CompletableFuture<Obtained> obtain(URI tokenEndpoint, Secret rejected);

  /** The grant's name for messages, e.g. {@code client_credentials}. */
  String grant();

  /** Releases what the source holds (a store). */
  @Override
  void close();
}
