package dev.twikitorders.sandbox.auth;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The authorization server's grants: authorization codes (single use, {@link #CODE_TTL}) and
 * refresh tokens grouped in families (one family per login, RFC 9700 section 4.14.2).
 *
 * <p>Refresh tokens rotate: each successful use marks the presented token used and the caller
 * issues a new one in the same family. Presenting a used token again is reuse: the whole family is
 * revoked, which also makes every access token carrying its family id worthless (see {@link
 * #isRevoked(String)}). Presenting a used authorization code again revokes the family its first
 * exchange started.
 *
 * <p>Codes and refresh tokens are random (32 bytes, base64url). Expired entries are purged lazily.
 * Never logs or exposes a code or token.
 *
 * <p>Thread-safe: entries live in concurrent maps, "used" is an atomic flag, so exactly one of
 * concurrent exchanges of one code (or refreshes of one token) succeeds.
 */
public final class GrantStore {
  /** Lifetime of an authorization code. */
  public static final Duration CODE_TTL = Duration.ofSeconds(60);

  private static final int PURGE_ABOVE = 10_000;

  /** What an authorization code was issued for. */
  public record CodeGrant(
      String clientId,
      URI redirectUri,
      String codeChallenge,
      String codeChallengeMethod,
      Set<String> scopes,
      String subject) {}

  /** A refresh token's login: its family, client, user and scopes. */
  public record RefreshGrant(String family, String clientId, String subject, Set<String> scopes) {}

  /** The outcome of presenting a code or refresh token. */
  public enum Status {
    /** Valid and now used: issue tokens. */
    OK,
    /** Unknown or expired. */
    UNKNOWN,
    /** Issued to another client. */
    WRONG_CLIENT,
    /** Already used: reuse, the family is now revoked. */
    REUSED,
    /** Its family was revoked earlier. */
    REVOKED
  }

  /** The outcome and, when {@link Status#OK} (or wrong client), the grant. */
  public record Redeemed<G>(Status status, G grant) {}

  private static final class CodeEntry {
    final CodeGrant grant;
    final long expiresAt;
    final AtomicBoolean used = new AtomicBoolean();
    volatile String family;

    CodeEntry(CodeGrant grant, long expiresAt) {
      this.grant = grant;
      this.expiresAt = expiresAt;
    }
  }

  private record RefreshEntry(RefreshGrant grant, long expiresAt, AtomicBoolean used) {}

  private final Clock clock;
  private final Supplier<Duration> refreshTtl;
  private final ConcurrentHashMap<String, CodeEntry> codes = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, RefreshEntry> refreshTokens = new ConcurrentHashMap<>();
  private final Set<String> revokedFamilies = ConcurrentHashMap.newKeySet();
  // purge thresholds: doubled after a purge that left many live entries, so purging stays
  // amortised O(1) per issue (races only cause an extra or a late purge)
  private volatile int purgeCodesAbove = PURGE_ABOVE;
  private volatile int purgeRefreshAbove = PURGE_ABOVE;

  /**
   * @param refreshTtl the lifetime of refresh tokens issued from now on
   */
  public GrantStore(Clock clock, Supplier<Duration> refreshTtl) {
    this.clock = clock;
    this.refreshTtl = refreshTtl;
  }

  /** Issues a single-use authorization code. */
  public String issueCode(CodeGrant grant) {
    long now = clock.millis();
    if (codes.size() > purgeCodesAbove) {
      codes.values().removeIf(e -> e.expiresAt <= now);
      purgeCodesAbove = Math.max(PURGE_ABOVE, codes.size() * 2);
    }
    String code = ClientRegistry.random(32);
    codes.put(code, new CodeEntry(grant, now + CODE_TTL.toMillis()));
    return code;
  }

  /**
   * Redeems a code for {@code clientId}: {@link Status#OK} once; a second presentation is {@link
   * Status#REUSED} and revokes the family the first one started (see {@link #startedFamily}). A
   * code presented by another client is used up too.
   */
  public Redeemed<CodeGrant> redeemCode(String code, String clientId) {
    CodeEntry e = code == null ? null : codes.get(code);
    if (e == null || clock.millis() >= e.expiresAt) {
      return new Redeemed<>(Status.UNKNOWN, null);
    }
    if (!e.used.compareAndSet(false, true)) {
      String family = e.family;
      if (family != null) {
        revokedFamilies.add(family);
      }
      return new Redeemed<>(Status.REUSED, null);
    }
    if (!e.grant.clientId().equals(clientId)) {
      return new Redeemed<>(Status.WRONG_CLIENT, e.grant);
    }
    return new Redeemed<>(Status.OK, e.grant);
  }

  /** Notes the family the exchange of {@code code} started (revoked if the code is reused). */
  public void startedFamily(String code, String family) {
    CodeEntry e = codes.get(code);
    if (e != null) {
      e.family = family;
    }
  }

  /** A new family id (a login). */
  public String newFamily() {
    return UUID.randomUUID().toString();
  }

  /** Issues a refresh token in {@code grant}'s family, living the configured refresh lifetime. */
  public String issueRefreshToken(RefreshGrant grant) {
    long now = clock.millis();
    if (refreshTokens.size() > purgeRefreshAbove) {
      refreshTokens.values().removeIf(e -> e.expiresAt <= now);
      purgeRefreshAbove = Math.max(PURGE_ABOVE, refreshTokens.size() * 2);
    }
    String token = ClientRegistry.random(32);
    long ttl = Math.max(0, refreshTtl.get().toMillis());
    refreshTokens.put(token, new RefreshEntry(grant, now + ttl, new AtomicBoolean()));
    return token;
  }

  /**
   * Uses a refresh token: {@link Status#OK} once (the caller then issues its successor); a second
   * use is {@link Status#REUSED} and revokes the family; a token of a revoked family is {@link
   * Status#REVOKED}; unknown or expired ones are {@link Status#UNKNOWN}.
   */
  public Redeemed<RefreshGrant> useRefreshToken(String token, String clientId) {
    RefreshEntry e = token == null ? null : refreshTokens.get(token);
    if (e == null || clock.millis() >= e.expiresAt) {
      return new Redeemed<>(Status.UNKNOWN, null);
    }
    if (!e.grant.clientId().equals(clientId)) {
      return new Redeemed<>(Status.WRONG_CLIENT, e.grant);
    }
    if (!e.used.compareAndSet(false, true)) {
      revokedFamilies.add(e.grant.family());
      return new Redeemed<>(Status.REUSED, e.grant);
    }
    if (revokedFamilies.contains(e.grant.family())) {
      return new Redeemed<>(Status.REVOKED, e.grant);
    }
    return new Redeemed<>(Status.OK, e.grant);
  }

  /** Revokes a family: its refresh tokens and access tokens stop working. */
  public void revokeFamily(String family) {
    revokedFamilies.add(family);
  }

  /** Whether a family was revoked; {@code null} (a token of no family) is never revoked. */
  public boolean isRevoked(String family) {
    return family != null && revokedFamilies.contains(family);
  }

  /** Revokes every family and forgets every code and refresh token. */
  public void revokeAll() {
    refreshTokens.values().forEach(e -> revokedFamilies.add(e.grant.family()));
    codes
        .values()
        .forEach(
            e -> {
              String f = e.family;
              if (f != null) {
                revokedFamilies.add(f);
              }
            });
    refreshTokens.clear();
    codes.clear();
  }
}
