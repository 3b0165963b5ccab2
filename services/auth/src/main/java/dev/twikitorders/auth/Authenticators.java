package dev.twikitorders.auth;

import dev.twikitorders.auth.http.AuthHttp;
import dev.twikitorders.auth.oauth.TokenManager;
import dev.twikitorders.auth.store.FileRefreshTokenStore;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Builds the {@link Authenticator} of an {@link AuthSettings}:
 *
 * <table>
 *   <caption>Schemes</caption>
 *   <tr><th>settings</th><th>authenticator</th></tr>
 *   <tr><td>{@link AuthSettings.None}</td><td>no headers</td></tr>
 *   <tr><td>{@link AuthSettings.ApiKey}</td><td>{@code Authorization: Bearer <key>}; a 401 is
 *       final</td></tr>
 *   <tr><td>{@link AuthSettings.StaticHeaders}</td><td>the headers as given; a 401 is final</td></tr>
 *   <tr><td>{@link AuthSettings.ClientCredentials}</td><td>{@link TokenManager#clientCredentials}
 *       </td></tr>
 *   <tr><td>{@link AuthSettings.RefreshToken}</td><td>{@link TokenManager#refreshToken} with a
 *       {@link FileRefreshTokenStore} on {@link AuthSettings.RefreshToken#store()}</td></tr>
 * </table>
 *
 * No network or file I/O happens here: the first token (and the discovery of the token endpoint) is
 * fetched by the first {@link Authenticator#credentials()}.
 *
 * <p>Thread-safety: stateless, thread-safe.
 */
public final class Authenticators {

  private Authenticators() {}

  /**
   * The authenticator of {@code settings}.
   *
   * @param http sends token, discovery and registration requests (the client's own HTTP stack)
   * @param scheduler starts token steps; the caller keeps owning it
   * @param events metrics hooks, {@link AuthEvents#NOOP} for none
   * @param clock token expiry and Retry-After dates
   */
  public static Authenticator create(
      AuthSettings settings,
      AuthHttp http,
      ScheduledExecutorService scheduler,
      AuthEvents events,
      Clock clock) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(clock, "clock");
    return switch (settings) {
      case AuthSettings.None n -> StaticAuthenticator.none();
      case AuthSettings.ApiKey k -> StaticAuthenticator.apiKey(k);
      case AuthSettings.StaticHeaders h -> StaticAuthenticator.headers(h);
      case AuthSettings.ClientCredentials c ->
          TokenManager.clientCredentials(c, http, scheduler, events, clock);
      case AuthSettings.RefreshToken r ->
          TokenManager.refreshToken(
              r,
              new FileRefreshTokenStore(
                  r.store(), clock, FileRefreshTokenStore.DEFAULT_LOCK_TIMEOUT),
              http,
              scheduler,
              events,
              clock);
    };
  }
}
