package dev.twikitorders.sandbox.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues and verifies the sandbox's access tokens: JWTs (RFC 7519) signed with HS256 (RFC 7518
 * section 3.2) under a 256-bit key generated at start, so tokens of one sandbox run are worthless
 * to any other. Claims: {@code iss}, {@code sub} (the client id, or the user for tokens of the
 * authorization code flow), {@code client_id}, {@code aud}, {@code iat}, {@code exp}, {@code jti},
 * {@code scope} (space separated, RFC 8693 section 4.2), and {@code fam} (the refresh token family,
 * only in tokens of the authorization code and refresh token grants; see {@link GrantStore}).
 *
 * <p>Verified tokens are cached by their exact string, so the API verifies each token's signature
 * once; expiry is checked on every use. {@link #revokeAll()} replaces the key: every token issued
 * before is refused from then on. Thread-safe.
 */
public final class TokenService {
  /** The {@code iss} of every token. */
  public static final String ISSUER = "twikit-sandbox";

  /** The {@code aud} of every token. */
  public static final String AUDIENCE = "twikit-api";

  private static final int CACHE_LIMIT = 50_000;

  /** The claim naming a token's refresh token family. */
  public static final String FAMILY_CLAIM = "fam";

  /**
   * A verified token.
   *
   * @param family the refresh token family, or {@code null} (client credentials, minted)
   */
  public record Verified(String jti, long expiresAtMillis, Set<String> scopes, String family) {}

  /** The signing key of one epoch. */
  private record Keys(
      MACSigner signer, MACVerifier verifier, ConcurrentHashMap<String, Verified> cache) {}

  /** An issued token. */
  public record Issued(String token, String jti, long expiresInSeconds, Set<String> scopes) {
    @Override
    public String toString() {
      return "Issued[jti=" + jti + ", expiresIn=" + expiresInSeconds + ", scopes=" + scopes + "]";
    }
  }

  private final Clock clock;
  private volatile Keys keys;

  /** Generates a fresh signing key. */
  public TokenService(Clock clock) {
    this.clock = clock;
    this.keys = newKeys();
  }

  private static Keys newKeys() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    try {
      return new Keys(new MACSigner(key), new MACVerifier(key), new ConcurrentHashMap<>());
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot create the HS256 key", e);
    }
  }

  /** Replaces the signing key: every token issued so far is refused from now on. */
  public void revokeAll() {
    keys = newKeys();
  }

  /**
   * Issues a client token ({@code sub} = client id, no family). A zero {@code ttl} gives a token
   * that is already expired ({@code exp = iat}), which tests use to exercise expiry without
   * waiting.
   */
  public Issued issue(String clientId, Set<String> scopes, Duration ttl) {
    return issue(clientId, clientId, scopes, ttl, null);
  }

  /**
   * Issues a token for {@code subject} (a user or the client itself) in a refresh token family
   * ({@code null} = none).
   */
  public Issued issue(
      String subject, String clientId, Set<String> scopes, Duration ttl, String family) {
    long nowSeconds = clock.millis() / 1000;
    long ttlSeconds = Math.max(0, ttl.toSeconds());
    String jti = UUID.randomUUID().toString();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .subject(subject)
            .audience(AUDIENCE)
            .issueTime(new Date(nowSeconds * 1000))
            .expirationTime(new Date((nowSeconds + ttlSeconds) * 1000))
            .jwtID(jti)
            .claim("scope", String.join(" ", new java.util.TreeSet<>(scopes)))
            .claim("client_id", clientId);
    if (family != null) {
      claims.claim(FAMILY_CLAIM, family);
    }
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
            claims.build());
    try {
      jwt.sign(keys.signer());
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
    return new Issued(jwt.serialize(), jti, ttlSeconds, Set.copyOf(scopes));
  }

  /**
   * Verifies signature, issuer, audience and expiry.
   *
   * @return the verified token, or {@code null} when it is malformed, badly signed or expired
   */
  public Verified verify(String token) {
    Keys k = keys;
    ConcurrentHashMap<String, Verified> cache = k.cache();
    Verified v = cache.get(token);
    if (v == null) {
      v = verifyUncached(token, k.verifier());
      if (v == null) {
        return null;
      }
      if (cache.size() >= CACHE_LIMIT) {
        cache.clear();
      }
      cache.put(token, v);
    }
    return clock.millis() < v.expiresAtMillis ? v : null;
  }

  private static Verified verifyUncached(String token, MACVerifier verifier) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
        return null;
      }
      JWTClaimsSet c = jwt.getJWTClaimsSet();
      List<String> aud = c.getAudience();
      if (!ISSUER.equals(c.getIssuer())
          || aud == null
          || !aud.contains(AUDIENCE)
          || c.getExpirationTime() == null
          || c.getJWTID() == null) {
        return null;
      }
      String scope = c.getStringClaim("scope");
      Set<String> scopes =
          scope == null || scope.isBlank()
              ? Set.of()
              : Set.copyOf(java.util.Arrays.asList(scope.trim().split(" +")));
      return new Verified(
          c.getJWTID(), c.getExpirationTime().getTime(), scopes, c.getStringClaim(FAMILY_CLAIM));
    } catch (ParseException | JOSEException | IllegalArgumentException e) {
      return null;
    }
  }
}
