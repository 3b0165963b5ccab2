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

  /** The scheme. */
  AuthScheme scheme();

  /** No credentials at all. */
  record None() implements AuthSettings {
    @Override
    public AuthScheme scheme() {
      return AuthScheme.NONE;
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
    public AuthScheme scheme() {
      return AuthScheme.CLIENT_CREDENTIALS;
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
    public AuthScheme scheme() {
      return AuthScheme.REFRESH_TOKEN;
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
    public AuthScheme scheme() {
      return AuthScheme.API_KEY;
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

    /**
     * Parses header lines {@code Name: value} (one per line; blank lines and lines starting with
     * {@code #} ignored), as in a headers file.
     *
     * @param origin where the text came from, for errors (a file name or a setting)
     * @throws IllegalArgumentException naming the origin and line number, never a value
     */
    public static StaticHeaders parse(String text, String origin) {
      List<Credentials.Header> headers = new java.util.ArrayList<>();
      String[] lines = text.split("\\R");
      for (int i = 0; i < lines.length; i++) {
        String line = lines[i].strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int colon = line.indexOf(':');
        if (colon <= 0 || line.substring(colon + 1).isBlank()) {
          throw new IllegalArgumentException(
              origin + " line " + (i + 1) + ": expected 'Name: value'");
        }
        String name = line.substring(0, colon).strip();
        try {
          headers.add(new Credentials.Header(name, Secret.of(line.substring(colon + 1).strip())));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(origin + " line " + (i + 1) + ": " + e.getMessage());
        }
        for (int j = 0; j < headers.size() - 1; j++) {
          if (headers.get(j).name().equalsIgnoreCase(name)) {
            throw new IllegalArgumentException(
                origin + " line " + (i + 1) + ": header " + name + " given twice");
          }
        }
      }
      if (headers.isEmpty()) {
        throw new IllegalArgumentException(origin + " names no header ('Name: value' lines)");
      }
      return new StaticHeaders(headers);
    }

    @Override
    public AuthScheme scheme() {
      return AuthScheme.STATIC_HEADERS;
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
