package dev.twikitorders.auth.oauth;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import dev.twikitorders.auth.AuthEvents;
import dev.twikitorders.auth.AuthSettings;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.http.AuthHttp;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The client credentials grant (RFC 6749 section 4.4): every step is one token request with the
 * client's id and secret ({@code client_secret_basic} or {@code client_secret_post}). There is no
 * refresh token (section 4.4.3): a new token is simply requested.
 *
 * <p>Thread-safety: immutable.
 */
final class ClientCredentialsSource implements TokenSource {

  private final ClientAuthentication auth;
  private final Scope scope;
  private final Secret secret;
  private final AuthHttp http;
  private final AuthEvents events;
  private final Clock clock;

  ClientCredentialsSource(
      AuthSettings.ClientCredentials settings, AuthHttp http, AuthEvents events, Clock clock) {
    this.auth = ClientAuth.of(settings.clientId(), settings.clientSecret(), settings.method());
    this.scope = settings.scope() == null ? null : Scope.parse(settings.scope());
    this.secret = settings.clientSecret();
    this.http = http;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public CompletableFuture<Obtained> obtain(URI tokenEndpoint, Secret rejected) {
    TokenRequest request =
        new TokenRequest(tokenEndpoint, auth, new ClientCredentialsGrant(), scope);
    return OAuthHttp.token(
            http,
            request,
            clock,
            "the token endpoint rejected the client credentials",
            List.of(secret),
            events::tokenRequest)
        .thenApply(i -> new Obtained(i.accessToken(), i.obtainedAt(), i.expiresAt()));
  }

  @Override
  public String grant() {
    return "client_credentials";
  }

  @Override
  public void close() {
    // nothing held
  }
}
