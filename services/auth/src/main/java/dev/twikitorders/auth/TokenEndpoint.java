package dev.twikitorders.auth;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an OAuth 2.0 token endpoint is: configured, or found from the issuer's metadata (RFC 8414:
 * {@code <issuer>/.well-known/oauth-authorization-server}, falling back to {@code
 * /.well-known/openid-configuration}).
 *
 * <p>Thread-safety: immutable.
 */
public final class TokenEndpoint {
  private final URI tokenUrl;
  private final URI issuer;

  private TokenEndpoint(URI tokenUrl, URI issuer) {
    this.tokenUrl = tokenUrl;
    this.issuer = issuer;
  }

  /** A configured token endpoint. */
  public static TokenEndpoint at(URI tokenUrl) {
    return new TokenEndpoint(Objects.requireNonNull(tokenUrl, "tokenUrl"), null);
  }

  /** The token endpoint named by the metadata of {@code issuer}. */
  public static TokenEndpoint discover(URI issuer) {
    return new TokenEndpoint(null, Objects.requireNonNull(issuer, "issuer"));
  }

  /** The configured token URL, empty when discovered. */
  public Optional<URI> tokenUrl() {
    return Optional.ofNullable(tokenUrl);
  }

  /** The issuer to discover from, empty when the token URL is configured. */
  public Optional<URI> issuer() {
    return Optional.ofNullable(issuer);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenEndpoint t
        && Objects.equals(tokenUrl, t.tokenUrl)
        && Objects.equals(issuer, t.issuer);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tokenUrl, issuer);
  }

  @Override
  public String toString() {
    return tokenUrl != null ? tokenUrl.toString() : "discovered from issuer " + issuer;
  }
}
