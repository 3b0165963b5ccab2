package dev.twikitorders.sandbox.auth;

import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The clients of the authorization server: the preconfigured one and those registered at run time
 * (RFC 7591). Registered clients live as long as the sandbox.
 *
 * <p>Thread-safe.
 */
public final class ClientRegistry {
  /** The grants of the preconfigured client. */
  public static final Set<String> ALL_GRANTS =
      Set.of("client_credentials", "authorization_code", "refresh_token");

  private static final SecureRandom RANDOM = new SecureRandom();

  private final OAuthClient preconfigured;
  private final ConcurrentHashMap<String, OAuthClient> registered = new ConcurrentHashMap<>();

  /** A registry with one preconfigured confidential client allowed every grant. */
  public ClientRegistry(String clientId, String clientSecret, Set<String> scopes) {
    this.preconfigured =
        new OAuthClient(
            clientId,
            Objects.requireNonNull(clientSecret, "clientSecret"),
            OAuthClient.SECRET_BASIC,
            List.of(),
            ALL_GRANTS,
            scopes,
            null,
            0,
            true);
  }

  /** The preconfigured client. */
  public OAuthClient preconfigured() {
    return preconfigured;
  }

  /** The client with this id, or {@code null}. */
  public OAuthClient find(String clientId) {
    if (clientId == null) {
      return null;
    }
    return preconfigured.clientId().equals(clientId) ? preconfigured : registered.get(clientId);
  }

  /**
   * Registers a client under a fresh random id, with a fresh random secret unless {@code
   * authMethod} is {@code none}.
   */
  public OAuthClient register(
      String authMethod,
      Collection<URI> redirectUris,
      Set<String> grantTypes,
      Set<String> scopes,
      String name,
      long issuedAtSeconds) {
    String secret = OAuthClient.NONE.equals(authMethod) ? null : random(32);
    while (true) {
      OAuthClient client =
          new OAuthClient(
              "client-" + random(12),
              secret,
              authMethod,
              List.copyOf(redirectUris),
              grantTypes,
              scopes,
              name,
              issuedAtSeconds,
              false);
      if (!client.clientId().equals(preconfigured.clientId())
          && registered.putIfAbsent(client.clientId(), client) == null) {
        return client;
      }
    }
  }

  /** The registered clients (not the preconfigured one). */
  public Collection<OAuthClient> registered() {
    return List.copyOf(registered.values());
  }

  /** {@code bytes} random bytes, base64url without padding. */
  static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
