package dev.twikitorders.sandbox.auth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A client the authorization server knows: the preconfigured one ({@code --client-id}) or one
 * registered by RFC 7591 dynamic registration. {@link #toString()} masks the secret.
 *
 * <p>Immutable and thread-safe.
 *
 * @param clientId the client id
 * @param secret the client secret; {@code null} for a public client (auth method {@code none})
 * @param authMethod {@code client_secret_basic}, {@code client_secret_post} or {@code none}; a
 *     confidential client may use either secret method at the token endpoint
 * @param redirectUris the registered redirect URIs (empty for the preconfigured client)
 * @param grantTypes the grant types it may use ({@code client_credentials}, {@code
 *     authorization_code}, {@code refresh_token})
 * @param scopes the scopes it may get
 * @param name the {@code client_name}, or {@code null}
 * @param issuedAtSeconds when it was registered (epoch seconds)
 * @param anyLoopbackRedirect when true (the preconfigured client), any loopback http(s) URI is an
 *     allowed redirect URI
 */
public record OAuthClient(
    String clientId,
    String secret,
    String authMethod,
    List<URI> redirectUris,
    Set<String> grantTypes,
    Set<String> scopes,
    String name,
    long issuedAtSeconds,
    boolean anyLoopbackRedirect) {

  /** {@code client_secret_basic}. */
  public static final String SECRET_BASIC = "client_secret_basic";

  /** {@code client_secret_post}. */
  public static final String SECRET_POST = "client_secret_post";

  /** {@code none}: a public client. */
  public static final String NONE = "none";

  /** Copies and checks. */
  public OAuthClient {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(authMethod, "authMethod");
    if ((secret == null) != NONE.equals(authMethod)) {
      throw new IllegalArgumentException(
          "a client has a secret exactly when its auth method is not none");
    }
    redirectUris = List.copyOf(redirectUris);
    grantTypes = Set.copyOf(grantTypes);
    scopes = Set.copyOf(scopes);
  }

  /** Whether it is a public client (no secret). */
  public boolean isPublic() {
    return secret == null;
  }

  /** Constant-time comparison with the secret; false for a public client. */
  public boolean secretMatches(String presented) {
    if (secret == null || presented == null) {
      return false;
    }
    return MessageDigest.isEqual(
        secret.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Whether {@code uri} is an allowed redirect URI: for the preconfigured client any loopback
   * http(s) URI without fragment; else a registered URI, equal but for the port when the host is a
   * loopback address (RFC 8252 section 7.3).
   */
  public boolean allowsRedirect(URI uri) {
    if (uri == null || !uri.isAbsolute() || uri.getRawFragment() != null) {
      return false;
    }
    if (anyLoopbackRedirect) {
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https")) && isLoopback(uri.getHost());
    }
    for (URI registered : redirectUris) {
      if (sameRedirect(registered, uri)) {
        return true;
      }
    }
    return false;
  }

  private static boolean sameRedirect(URI registered, URI presented) {
    if (registered.isOpaque() || presented.isOpaque()) {
      return registered.equals(presented);
    }
    if (!registered.getScheme().equalsIgnoreCase(presented.getScheme())
        || !Objects.equals(lower(registered.getHost()), lower(presented.getHost()))
        || !Objects.equals(registered.getRawPath(), presented.getRawPath())
        || !Objects.equals(registered.getRawQuery(), presented.getRawQuery())
        || !Objects.equals(registered.getRawUserInfo(), presented.getRawUserInfo())) {
      return false;
    }
    return isLoopback(registered.getHost()) || registered.getPort() == presented.getPort();
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  /** {@code 127.0.0.1}, {@code [::1]} or {@code localhost} (RFC 8252 section 7.3). */
  public static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("127.0.0.1") || h.equals("[::1]") || h.equals("::1") || h.equals("localhost");
  }

  @Override
  public String toString() {
    return "OAuthClient[clientId="
        + clientId
        + ", secret="
        + (secret == null ? "none" : "****")
        + ", authMethod="
        + authMethod
        + ", redirectUris="
        + redirectUris
        + ", grantTypes="
        + new TreeSet<>(grantTypes)
        + ", scopes="
        + new TreeSet<>(scopes)
        + ", name="
        + name
        + "]";
  }
}
