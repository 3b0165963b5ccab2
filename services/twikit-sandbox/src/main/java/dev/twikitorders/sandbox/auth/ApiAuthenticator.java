package dev.twikitorders.sandbox.auth;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Set;

/**
 * Decides who an API request is, from any of: static headers (every configured header present with
 * its exact value), {@code Authorization: Bearer <API key>}, or {@code Authorization: Bearer <JWT>}
 * from the token endpoint (verified by {@link TokenService}; tokens of a revoked refresh token
 * family are refused, see {@link GrantStore}). API keys and static headers get every scope.
 *
 * <p>Secrets are compared in constant time and never logged or put in a {@link Refused}
 * description. Thread-safe: immutable apart from the thread-safe collaborators.
 */
public final class ApiAuthenticator {

  /** The outcome of {@link #authenticate(HttpServerRequest)}. */
  public sealed interface Result permits Granted, Refused {}

  /**
   * The request may use {@code scopes}.
   *
   * @param tokenId the JWT's {@code jti}, or {@code null} for an API key or static headers
   */
  public record Granted(String tokenId, Set<String> scopes) implements Result {}

  /** The request is unauthenticated; {@code description} names the reason, never a credential. */
  public record Refused(String description) implements Result {}

  private static final Refused MISSING = new Refused("missing bearer access token");
  private static final Refused INVALID =
      new Refused("access token is malformed, badly signed or expired");
  private static final Refused REVOKED = new Refused("access token was revoked");

  private final TokenService tokens;
  private final GrantStore grants;
  private final byte[] apiKey;
  private final String[] headerNames;
  private final byte[][] headerValues;
  private final Granted all;

  /**
   * @param apiKey the accepted API key, or {@code null}
   * @param staticHeaders headers that together authorise a request (empty = not accepted)
   * @param allScopes the scopes API keys and static headers get
   */
  public ApiAuthenticator(
      TokenService tokens,
      GrantStore grants,
      String apiKey,
      Map<String, String> staticHeaders,
      Set<String> allScopes) {
    this.tokens = tokens;
    this.grants = grants;
    this.apiKey = apiKey == null ? null : apiKey.getBytes(StandardCharsets.UTF_8);
    this.headerNames = staticHeaders.keySet().toArray(String[]::new);
    this.headerValues = new byte[headerNames.length][];
    for (int i = 0; i < headerNames.length; i++) {
      headerValues[i] = staticHeaders.get(headerNames[i]).getBytes(StandardCharsets.UTF_8);
    }
    this.all = new Granted(null, Set.copyOf(allScopes));
  }

  /** Authenticates one request. */
  public Result authenticate(HttpServerRequest req) {
    if (headerNames.length > 0 && staticHeadersMatch(req)) {
      return all;
    }
    String header = req.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return MISSING;
    }
    String token = header.substring(7).trim();
    if (apiKey != null && MessageDigest.isEqual(apiKey, token.getBytes(StandardCharsets.UTF_8))) {
      return all;
    }
    TokenService.Verified v = tokens.verify(token);
    if (v == null) {
      return INVALID;
    }
    if (grants.isRevoked(v.family())) {
      return REVOKED;
    }
    return new Granted(v.jti(), v.scopes());
  }

  private boolean staticHeadersMatch(HttpServerRequest req) {
    boolean ok = true;
    for (int i = 0; i < headerNames.length; i++) {
      String v = req.getHeader(headerNames[i]);
      // compare every header (no early exit on a wrong value)
      ok &= v != null && MessageDigest.isEqual(headerValues[i], v.getBytes(StandardCharsets.UTF_8));
    }
    return ok;
  }

  @Override
  public String toString() {
    return "ApiAuthenticator[apiKey="
        + (apiKey == null ? "none" : "****")
        + ", staticHeaders="
        + java.util.Arrays.toString(headerNames)
        + "]";
  }
}
