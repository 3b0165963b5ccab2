package dev.twikitorders.auth;

import java.time.Instant;

/**
 * What an {@link Authenticator} reports for metrics: one {@link #tokenRequest} per HTTP request to
 * a token endpoint, one {@link #tokenObtained} per access token handed out fresh. Values are
 * outcomes and instants only, never a token, secret or client id.
 *
 * <p>Outcomes of {@link #tokenRequest}: {@code success}, {@code rejected} (a 4xx: {@code
 * invalid_client}, {@code invalid_grant}, ...), {@code server_error} (408 or 5xx), {@code
 * rate_limited} (429), {@code timeout}, {@code io_error}, {@code invalid_response} (not a token
 * response, a redirect, an oversized body). {@link #metadataRequest} reports the discovery requests
 * (RFC 8414) with the same outcomes plus {@code not_found} (a 404: the RFC 8414 path is tried
 * first, the OpenID Connect one next), and {@link #storeFailure} a refresh token store that could
 * not be read, locked or written.
 *
 * <p>Thread-safety: implementations must be thread-safe and fast (called on I/O threads).
 */
public interface AuthEvents {

  /** Reports nothing. */
  AuthEvents NOOP = new AuthEvents() {};

  /** One HTTP request to the token endpoint ended with {@code outcome}. */
  default void tokenRequest(String outcome) {}

  /** One discovery (metadata) request ended with {@code outcome}. */
  default void metadataRequest(String outcome) {}

  /** A refresh token store operation failed (the step failed as {@code STORE_FAILED}). */
  default void storeFailure() {}

  /** An access token valid until {@code expiresAt} is now in use. */
  default void tokenObtained(Instant expiresAt) {}
}
