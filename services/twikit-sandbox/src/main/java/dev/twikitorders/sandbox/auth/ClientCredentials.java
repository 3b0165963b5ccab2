package dev.twikitorders.sandbox.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Set;

/**
 * The one client the token endpoint accepts, and the scopes it may ask for. {@link #toString()}
 * masks the secret. Immutable and thread-safe.
 */
public final class ClientCredentials {
  private final String clientId;
  private final String clientSecret;
  private final Set<String> allowedScopes;

  public ClientCredentials(String clientId, String clientSecret, Set<String> allowedScopes) {
    this.clientId = Objects.requireNonNull(clientId, "clientId");
    this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
    this.allowedScopes = Set.copyOf(allowedScopes);
  }

  public String clientId() {
    return clientId;
  }

  public Set<String> allowedScopes() {
    return allowedScopes;
  }

  /** Constant-time comparison of both id and secret. */
  public boolean matches(String id, String secret) {
    boolean idOk =
        MessageDigest.isEqual(
            clientId.getBytes(StandardCharsets.UTF_8),
            String.valueOf(id).getBytes(StandardCharsets.UTF_8));
    boolean secretOk =
        MessageDigest.isEqual(
            clientSecret.getBytes(StandardCharsets.UTF_8),
            String.valueOf(secret).getBytes(StandardCharsets.UTF_8));
    return idOk & secretOk;
  }

  @Override
  public String toString() {
    return "ClientCredentials[clientId="
        + clientId
        + ", clientSecret=****, allowedScopes="
        + allowedScopes
        + "]";
  }
}
