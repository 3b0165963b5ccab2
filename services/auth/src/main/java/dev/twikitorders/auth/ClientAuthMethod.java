package dev.twikitorders.auth;

/**
 * How the client authenticates to the token endpoint (RFC 6749 section 2.3.1).
 *
 * <p>Thread-safety: an enum, immutable.
 */
public enum ClientAuthMethod {
  /** HTTP Basic authentication with client id and secret (the default). */
  CLIENT_SECRET_BASIC,
  /** {@code client_id} and {@code client_secret} as form fields of the request body. */
  CLIENT_SECRET_POST
}
