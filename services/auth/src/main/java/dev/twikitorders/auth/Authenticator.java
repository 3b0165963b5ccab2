package dev.twikitorders.auth;

import java.util.concurrent.CompletableFuture;

/**
 * Puts credentials on the requests of one HTTP client, whatever the scheme: an OAuth 2.0 access
 * token (client credentials, refresh token with rotation), an API key as bearer token, or static
 * headers. Built by {@link Authenticators#create}.
 *
 * <p>Contract for HTTP clients: before each request, {@link #credentials()} and set every header of
 * the result; on a {@code 401} answer to a request that carried credentials {@code c}, call {@link
 * #renewAfterRejection(Credentials) renewAfterRejection(c)} once and retry with what it gives; a
 * second 401 is final. Failures complete the futures with an {@link AuthException} whose {@link
 * AuthException.Kind} says whether waiting helps.
 *
 * <p>Thread-safety: implementations are thread-safe and never block the caller; futures complete on
 * the caller's thread (cached credentials) or on an I/O or scheduler thread, never under a lock.
 */
public interface Authenticator extends AutoCloseable {

  /** The credentials for the next request. */
  CompletableFuture<Credentials> credentials();

  /**
   * The server answered 401 to a request that carried {@code rejected}: fresh credentials (shared
   * by concurrent callers that were rejected with the same ones), or a failed future of kind {@link
   * AuthException.Kind#CREDENTIALS_REJECTED} when the scheme has nothing to renew (API key, static
   * headers).
   */
  CompletableFuture<Credentials> renewAfterRejection(Credentials rejected);

  /**
   * One line for logs and errors: the scheme and whom it authenticates as (client id, header names,
   * token endpoint), never a secret.
   */
  String describe();

  /** Stops background work; later calls fail with {@link AuthException.Kind#CLOSED}. */
  @Override
  void close();
}
