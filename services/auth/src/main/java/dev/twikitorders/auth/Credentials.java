package dev.twikitorders.auth;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one request carries to authenticate: header names with secret values (e.g. {@code
 * Authorization: Bearer ...}, or {@code TWN-InstanceKey} and {@code TWN-Authentication}).
 *
 * <p>Identity matters: {@link Authenticator#renewAfterRejection} compares the instance a request
 * carried with the current one. {@link #toString()} shows header names only.
 *
 * <p>Thread-safety: immutable.
 */
public final class Credentials {

  /** One header; its value is secret. */
  public record Header(String name, Secret value) {
    public Header {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (name.isBlank() || !name.chars().allMatch(Credentials::isTokenChar)) {
        throw new IllegalArgumentException("not a valid HTTP header name: '" + name + "'");
      }
    }

    @Override
    public String toString() {
      return name + ": ****";
    }
  }

  private final List<Header> headers;
  private final Instant expiresAt;

  private Credentials(List<Header> headers, Instant expiresAt) {
    this.headers = List.copyOf(headers);
    this.expiresAt = expiresAt;
  }

  /** Credentials that never expire (API key, static headers). */
  public static Credentials of(List<Header> headers) {
    return new Credentials(headers, null);
  }

  /** {@code Authorization: Bearer <token>}, valid until {@code expiresAt} (null: unknown). */
  public static Credentials bearer(Secret token, Instant expiresAt) {
    return new Credentials(
        List.of(new Header("Authorization", Secret.of("Bearer " + token.revealAsString()))),
        expiresAt);
  }

  /** The headers to set, in order. */
  public List<Header> headers() {
    return headers;
  }

  /** When an access token expires; empty for credentials that do not expire. */
  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(expiresAt);
  }

  @Override
  public String toString() {
    return "Credentials" + headers + (expiresAt == null ? "" : "[expiresAt=" + expiresAt + "]");
  }

  private static boolean isTokenChar(int c) {
    // RFC 9110 section 5.6.2 tchar
    return c > 32 && c < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
  }
}
