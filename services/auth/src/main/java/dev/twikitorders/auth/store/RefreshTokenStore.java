package dev.twikitorders.auth.store;

import dev.twikitorders.auth.AuthException;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.Tokens;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps the refresh token (RFC 6749 section 6) of one login between runs and serializes refreshes
 * with rotation: every successful refresh returns a new refresh token and makes the presented one
 * used; presenting a used one again makes the server revoke the whole login (RFC 9700 section
 * 4.14). So the new refresh token must be stored durably before anything else happens, and several
 * instances sharing a store must never refresh concurrently.
 *
 * <p>The refresh protocol ({@link #refresh}):
 *
 * <ol>
 *   <li>take the store's exclusive lock (across processes and within this JVM);
 *   <li>re-read the store;
 *   <li>if the stored refresh token differs from the one this instance last used (or this instance
 *       used none yet), another instance has refreshed (or a login stored new tokens): use the
 *       stored access token if it is still valid long enough and is not the one the API just
 *       refused; otherwise, or when the stored refresh token is the one this instance last used,
 *       refresh with the stored refresh token;
 *   <li>write the new refresh token and access token durably <em>before</em> the access token is
 *       handed out;
 *   <li>release the lock.
 * </ol>
 *
 * Errors are {@link AuthException}s: {@link AuthException.Kind#LOGIN_REQUIRED} when the store holds
 * no refresh token (or the server refuses it: {@code invalid_grant}), {@link
 * AuthException.Kind#STORE_FAILED} when it cannot be read, locked or written; messages name the
 * store and never a token.
 *
 * <p>Thread-safety: implementations are thread-safe.
 */
public interface RefreshTokenStore extends AutoCloseable {

  /** Where the store is, for messages (a file path). */
  String location();

  /**
   * The stored tokens as they are now, read without the lock (for status displays). Blocks for file
   * I/O.
   *
   * @throws AuthException LOGIN_REQUIRED when nothing is stored, STORE_FAILED when unreadable
   */
  StoredTokens read();

  /**
   * Stores the tokens of a login ({@code auth login}) under the lock, durably, replacing what is
   * stored. Blocks for the lock and file I/O.
   *
   * @throws IllegalArgumentException when {@code tokens} has no refresh token
   * @throws AuthException STORE_FAILED when the store cannot be locked or written
   */
  void save(Tokens tokens, URI tokenEndpoint, String clientId);

  /**
   * Runs the refresh protocol (see the interface Javadoc). Never blocks the caller: locking and
   * file I/O run on the store's own thread.
   *
   * @param refresher sends the refresh request with the stored refresh token; called under the lock
   *     at most once
   */
  CompletableFuture<Refreshed> refresh(RefreshRequest request, Refresher refresher);

  /** Stops the store's thread; later refreshes fail with {@link AuthException.Kind#CLOSED}. */
  @Override
  void close();

  /**
   * The inputs of one {@link #refresh}.
   *
   * @param clientId the client the tokens must belong to; a store of another client is
   *     LOGIN_REQUIRED
   * @param lastUsedRefreshToken the stored refresh token this instance last used or obtained, null
   *     before its first refresh
   * @param rejectedAccessToken the access token the API just refused (never handed out again), or
   *     null
   * @param usableIfExpiresAfter a stored access token is used only when it expires after this
   *     instant
   */
  record RefreshRequest(
      String clientId,
      Secret lastUsedRefreshToken,
      Secret rejectedAccessToken,
      Instant usableIfExpiresAfter) {
    public RefreshRequest {
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(usableIfExpiresAfter, "usableIfExpiresAfter");
    }

    @Override
    public String toString() {
      return "RefreshRequest[clientId="
          + clientId
          + ", lastUsedRefreshToken="
          + (lastUsedRefreshToken == null ? "none" : "****")
          + ", rejectedAccessToken="
          + (rejectedAccessToken == null ? "none" : "****")
          + ", usableIfExpiresAfter="
          + usableIfExpiresAfter
          + "]";
    }
  }

  /** Sends one refresh request; called by {@link #refresh} under the lock. */
  @FunctionalInterface
  interface Refresher {
    /**
     * Refreshes with {@code stored.refreshToken()}. The result's refresh token is the rotated one
     * (null: the server did not rotate, the stored one stays).
     */
    CompletableFuture<Tokens> refresh(StoredTokens stored);
  }

  /**
   * The outcome of {@link #refresh}: what is stored now, and whether this call refreshed ({@code
   * false}: another instance had, and its access token is used).
   */
  record Refreshed(StoredTokens tokens, boolean refreshed) {}
}
