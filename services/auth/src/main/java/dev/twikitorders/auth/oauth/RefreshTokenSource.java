package dev.twikitorders.auth.oauth;

import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import dev.twikitorders.auth.AuthEvents;
import dev.twikitorders.auth.AuthException.Kind;
import dev.twikitorders.auth.AuthSettings;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.Tokens;
import dev.twikitorders.auth.http.AuthHttp;
import dev.twikitorders.auth.store.RefreshTokenStore;
import dev.twikitorders.auth.store.StoredTokens;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The refresh token grant with rotation (RFC 6749 section 6): every step runs the {@link
 * RefreshTokenStore} refresh protocol, which either takes the access token another instance stored
 * or refreshes with the stored refresh token and stores the rotated one before the access token is
 * used. {@code invalid_grant} (the refresh token is used, revoked or expired) is {@link
 * Kind#LOGIN_REQUIRED}: an operator must run {@code auth login} again.
 *
 * <p>Thread-safety: one step at a time (guaranteed by {@link TokenManager}); {@code lastUsed} is
 * volatile for the completion threads.
 */
final class RefreshTokenSource implements TokenSource {

  /** A stored access token is taken only when it is valid at least this much longer. */
  static final Duration MIN_REMAINING = Duration.ofSeconds(10);

  private final String clientId;
  private final ClientAuthentication auth; // null for a public client
  private final Secret clientSecret;
  private final RefreshTokenStore store;
  private final AuthHttp http;
  private final AuthEvents events;
  private final Clock clock;
  private volatile Secret lastUsed; // the stored refresh token our current access token came with

  RefreshTokenSource(
      AuthSettings.RefreshToken settings,
      RefreshTokenStore store,
      AuthHttp http,
      AuthEvents events,
      Clock clock) {
    this.clientId = settings.clientId();
    this.clientSecret = settings.clientSecret();
    this.auth = ClientAuth.of(settings.clientId(), settings.clientSecret(), settings.method());
    this.store = store;
    this.http = http;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public CompletableFuture<Obtained> obtain(URI tokenEndpoint, Secret rejected) {
    Instant now = clock.instant();
    var request =
        new RefreshTokenStore.RefreshRequest(clientId, lastUsed, rejected, now.plus(MIN_REMAINING));
    return store
        .refresh(request, stored -> refresh(tokenEndpoint, stored))
        .whenComplete(
            (r, e) -> {
              if (e != null
                  && StepException.unwrap(e) instanceof dev.twikitorders.auth.AuthException a
                  && a.kind() == Kind.STORE_FAILED) {
                events.storeFailure();
              }
            })
        .thenApply(
            r -> {
              StoredTokens t = r.tokens();
              lastUsed = t.refreshToken();
              return new Obtained(t.accessToken(), clock.instant(), t.accessTokenExpiresAt());
            });
  }

  private CompletableFuture<Tokens> refresh(URI tokenEndpoint, StoredTokens stored) {
    RefreshTokenGrant grant =
        new RefreshTokenGrant(new RefreshToken(stored.refreshToken().revealAsString()));
    TokenRequest request =
        auth != null
            ? new TokenRequest(tokenEndpoint, auth, grant, null)
            : new TokenRequest(tokenEndpoint, new ClientID(clientId), grant, null);
    List<Secret> secrets = new ArrayList<>();
    secrets.add(stored.refreshToken());
    if (clientSecret != null) {
      secrets.add(clientSecret);
    }
    return OAuthHttp.token(
            http,
            request,
            clock,
            "the token endpoint refused the refresh request",
            secrets,
            events::tokenRequest)
        .handle(
            (issued, error) -> {
              if (error != null) {
                StepException s = StepException.of(error);
                if ("invalid_grant".equals(s.code)) {
                  throw s.as(
                      Kind.LOGIN_REQUIRED,
                      "the token endpoint refused the stored refresh token (invalid_grant: used"
                          + " already, revoked or expired); run `auth login` again to store a new"
                          + " one in "
                          + store.location());
                }
                throw s;
              }
              return new Tokens(
                  issued.accessToken(), issued.refreshToken(), issued.expiresAt(), issued.scope());
            });
  }

  @Override
  public String grant() {
    return "refresh_token";
  }

  /** The store, for messages. */
  String storeLocation() {
    return store.location();
  }

  @Override
  public void close() {
    store.close();
  }
}
