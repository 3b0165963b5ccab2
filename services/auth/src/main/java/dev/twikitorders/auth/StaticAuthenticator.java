package dev.twikitorders.auth;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Credentials that never change: an API key as bearer token, static headers, or none. A 401 is
 * final: there is nothing to renew.
 *
 * <p>Thread-safety: immutable apart from the closed flag.
 */
final class StaticAuthenticator implements Authenticator {
  private final Credentials credentials;
  private final String description;
  private volatile boolean closed;

  StaticAuthenticator(Credentials credentials, String description) {
    this.credentials = credentials;
    this.description = description;
  }

  static StaticAuthenticator apiKey(AuthSettings.ApiKey s) {
    return new StaticAuthenticator(Credentials.bearer(s.key(), null), "API key (bearer)");
  }

  static StaticAuthenticator headers(AuthSettings.StaticHeaders s) {
    return new StaticAuthenticator(
        Credentials.of(s.headers()),
        "static headers "
            + s.headers().stream().map(Credentials.Header::name).collect(Collectors.joining(", ")));
  }

  static StaticAuthenticator none() {
    return new StaticAuthenticator(Credentials.of(List.of()), "no credentials");
  }

  @Override
  public CompletableFuture<Credentials> credentials() {
    return closed ? CompletableFuture.failedFuture(closedError()) : done(credentials);
  }

  @Override
  public CompletableFuture<Credentials> renewAfterRejection(Credentials rejected) {
    if (closed) {
      return CompletableFuture.failedFuture(closedError());
    }
    return CompletableFuture.failedFuture(
        new AuthException(
            AuthException.Kind.CREDENTIALS_REJECTED,
            401,
            null,
            null,
            "the server refused the " + description + "; check the configured values",
            null));
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() {
    closed = true;
  }

  private AuthException closedError() {
    return new AuthException(
        AuthException.Kind.CLOSED, 0, null, null, description + ": closed", null);
  }

  private static CompletableFuture<Credentials> done(Credentials c) {
    return CompletableFuture.completedFuture(c);
  }

  @Override
  public String toString() {
    return "StaticAuthenticator[" + description + "]";
  }
}
