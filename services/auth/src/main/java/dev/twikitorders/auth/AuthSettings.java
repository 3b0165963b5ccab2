package dev.twikitorders.auth;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Which scheme an HTTP client authenticates with, and its inputs. Secrets are {@link Secret}s, read
 * by the caller from files or the environment; {@code toString()} never shows them.
 *
 * <p>Thread-safety: immutable.
 */
public sealed interface AuthSettings {

  /** The scheme's name as used in settings ({@code client_credentials}, ...). */
  String scheme();

  /** No credentials at all. */
  record None() implements AuthSettings {
    @Override
    public String scheme() {
      return "none";
    }
  }

  /**
   * OAuth 2.0 client credentials grant (RFC 6749 section 4.4).
   *
   * @param scope space-separated scopes to request, or null for none
   */
  record ClientCredentials(
      TokenEndpoint endpoint,
      String clientId,
      Secret clientSecret,
      ClientAuthMethod method,
      String scope)
      implements AuthSettings {
    public ClientCredentials {
      Objects.requireNonNull(endpoint, "endpoint");
      requireText(clientId, "clientId");
      Objects.requireNonNull(clientSecret, "clientSecret");
      Objects.requireNonNull(method, "method");
      scope = scope == null || scope.isBlank() ? null : scope.strip();
    }

    @Override
    public String scheme() {
      return "client_credentials";
    }

    @Override
    public String toString() {
      return "ClientCredentials[endpoint="
          + endpoint
          + ", clientId="
          + clientId
          + ", clientSecret=****, method="
          + method
          + ", scope="
          + scope
          + "]";
    }
  }

  /**
   * OAuth 2.0 refresh token grant (RFC 6749 section 6) with rotation: the refresh token lives in
   * {@code store} (written by {@code auth login}); every refresh stores the new refresh token
   * durably before the new access token is used.
   *
   * @param clientSecret null for a public client (PKCE only)
   * @param store the refresh token file; its lock file beside it serializes refreshes across
   *     processes
   */
  record RefreshToken(
      TokenEndpoint endpoint,
      String clientId,
      Secret clientSecret,
      ClientAuthMethod method,
      Path store)
      implements AuthSettings {
    public RefreshToken {
      Objects.requireNonNull(endpoint, "endpoint");
      requireText(clientId, "clientId");
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(store, "store");
    }

    @Override
    public String scheme() {
      return "refresh_token";
    }

    @Override
    public String toString() {
      return "RefreshToken[endpoint="
          + endpoint
          + ", clientId="
          + clientId
          + ", clientSecret="
          + (clientSecret == null ? "none" : "****")
          + ", method="
          + method
          + ", store="
          + store
          + "]";
    }
  }

  /** A static API key sent as {@code Authorization: Bearer <key>} (Twenty API keys). */
  record ApiKey(Secret key) implements AuthSettings {
    public ApiKey {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public String scheme() {
      return "api_key";
    }

    @Override
    public String toString() {
      return "ApiKey[key=****]";
    }
  }

  /** Named headers with secret values on every request (Tweakwise: TWN-InstanceKey, ...). */
  record StaticHeaders(List<Credentials.Header> headers) implements AuthSettings {
    public StaticHeaders {
      headers = List.copyOf(headers);
      if (headers.isEmpty()) {
        throw new IllegalArgumentException("at least one header is needed");
      }
    }

    @Override
    public String scheme() {
      return "static_headers";
    }

    @Override
    public String toString() {
      return "StaticHeaders" + headers;
    }
  }

  private static void requireText(String s, String name) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
  }
}
