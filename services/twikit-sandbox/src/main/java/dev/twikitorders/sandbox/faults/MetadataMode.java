package dev.twikitorders.sandbox.faults;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which discovery documents the sandbox serves (the {@code metadata} field of the faults), to test
 * how clients discover the authorization server.
 *
 * <p>Immutable and thread-safe.
 */
public enum MetadataMode {
  /** Default: RFC 8414 {@code /.well-known/oauth-authorization-server} only. */
  OAUTH("oauth"),
  /** Only {@code /.well-known/openid-configuration} serves the document (RFC 8414 path: 404). */
  OPENID("openid"),
  /** Both paths answer 404. */
  NONE("none"),
  /** The RFC 8414 path serves the document without {@code token_endpoint}. */
  MISSING_TOKEN_ENDPOINT("missing-token-endpoint");

  private final String id;

  MetadataMode(String id) {
    this.id = id;
  }

  /** The name used in the admin JSON, e.g. {@code "missing-token-endpoint"}. */
  public String id() {
    return id;
  }

  /**
   * Parses an id (or the enum name, any case).
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static MetadataMode parse(String value) {
    for (MetadataMode m : values()) {
      if (m.id.equalsIgnoreCase(value) || m.name().equalsIgnoreCase(value)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown metadata mode '"
            + value
            + "', expected one of "
            + Arrays.stream(values()).map(MetadataMode::id).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return id.toLowerCase(Locale.ROOT);
  }
}
