package dev.twikitorders.auth.oauth;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.twikitorders.auth.AuthEvents;
import dev.twikitorders.auth.AuthException;
import dev.twikitorders.auth.AuthException.Kind;
import dev.twikitorders.auth.ClientAuthMethod;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.Tokens;
import dev.twikitorders.auth.http.AuthHttp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An interactive login with the authorization code grant (RFC 6749 section 4.1) and PKCE (RFC
 * 7636), for native apps (RFC 8252): a small HTTP server on {@code 127.0.0.1} receives the
 * redirect, the user opens {@link #authorizationUrl()} in a browser, and {@link #result()}
 * completes with the {@link Tokens} once the code has been exchanged.
 *
 * <ul>
 *   <li>PKCE method: {@code S256} when the server lists it in {@code
 *       code_challenge_methods_supported}; {@code plain} only when it lists {@code plain} and not
 *       {@code S256}; a server listing neither is refused ({@link IllegalArgumentException} from
 *       {@link #start}).
 *   <li>The redirect is checked: its {@code state} must be the one of this login (compared in
 *       constant time), else the login fails ({@link Kind#INVALID_RESPONSE}, code {@code
 *       state_mismatch}) and the browser gets an error page; an {@code error=} redirect (e.g.
 *       {@code access_denied}) fails with that code ({@link Kind#CREDENTIALS_REJECTED}); otherwise
 *       the code is exchanged with the verifier at the token endpoint ({@code client_secret_basic}
 *       or {@code client_secret_post} for a confidential client, {@code client_id} only for a
 *       public one) and a refusal ({@code invalid_grant}: wrong verifier, code reused or expired)
 *       fails as {@link Kind#CREDENTIALS_REJECTED}.
 *   <li>Only the first redirect counts; later ones get a page saying the login has finished.
 *   <li>The browser gets its page before {@link #result()} completes, so the caller may {@link
 *       #close()} the login as soon as it does (unless the code exchange outlasts the page's 30 s
 *       wait: then the browser gets a "finishing" page first).
 * </ul>
 *
 * <p>Thread-safety: thread-safe. The server runs on one daemon thread until {@link #close()}.
 */
public final class PkceLogin implements AutoCloseable {

  /** The path the redirect URI gets by default. */
  public static final String DEFAULT_REDIRECT_PATH = "/callback";

  /**
   * What to log in with.
   *
   * @param clientSecret null for a public client (auth method {@code none})
   * @param method how a confidential client authenticates; ignored for a public one
   * @param scope space-separated scopes, or null for the server's default
   * @param serverPkceMethods the server's {@code code_challenge_methods_supported}
   * @param redirectPort the loopback port to listen on, 0 for any free one
   * @param redirectPath the redirect URI's path, null for {@value #DEFAULT_REDIRECT_PATH}
   */
  public record Request(
      URI authorizationEndpoint,
      URI tokenEndpoint,
      String clientId,
      Secret clientSecret,
      ClientAuthMethod method,
      String scope,
      List<String> serverPkceMethods,
      int redirectPort,
      String redirectPath) {
    public Request {
      Objects.requireNonNull(authorizationEndpoint, "authorizationEndpoint");
      Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
      if (clientId == null || clientId.isBlank()) {
        throw new IllegalArgumentException("clientId is required");
      }
      method = method == null ? ClientAuthMethod.CLIENT_SECRET_BASIC : method;
      scope = scope == null || scope.isBlank() ? null : scope.strip();
      serverPkceMethods = serverPkceMethods == null ? List.of() : List.copyOf(serverPkceMethods);
      if (redirectPort < 0 || redirectPort > 65535) {
        throw new IllegalArgumentException("redirectPort must be 0..65535, was " + redirectPort);
      }
      redirectPath =
          redirectPath == null || redirectPath.isBlank() ? DEFAULT_REDIRECT_PATH : redirectPath;
      if (!redirectPath.startsWith("/")) {
        throw new IllegalArgumentException("redirectPath must start with '/': " + redirectPath);
      }
    }

    @Override
    public String toString() {
      return "Request[authorizationEndpoint="
          + authorizationEndpoint
          + ", tokenEndpoint="
          + tokenEndpoint
          + ", clientId="
          + clientId
          + ", clientSecret="
          + (clientSecret == null ? "none" : "****")
          + ", method="
          + method
          + ", scope="
          + scope
          + ", serverPkceMethods="
          + serverPkceMethods
          + ", redirectPort="
          + redirectPort
          + ", redirectPath="
          + redirectPath
          + "]";
    }
  }

  private static final long PAGE_WAIT_SECONDS = 30;

  private final Request request;
  private final AuthHttp http;
  private final HttpServer server;
  private final ExecutorService serverThread;
  private final CodeVerifier verifier = new CodeVerifier();
  private final State state = new State();
  private final CodeChallengeMethod pkceMethod;
  private final URI redirectUri;
  private final URI authorizationUrl;
  private final CompletableFuture<Tokens> result = new CompletableFuture<>();
  private final Object callbackLock = new Object();
  private boolean callbackSeen; // guarded by callbackLock

  private PkceLogin(Request request, AuthHttp http) throws IOException {
    this.request = request;
    this.http = http;
    this.pkceMethod = pkceMethod(request.serverPkceMethods());
    this.server =
        HttpServer.create(
            new InetSocketAddress(
                InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), request.redirectPort()),
            0);
    this.serverThread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "pkce-login-redirect");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(serverThread);
    server.createContext(request.redirectPath(), this::handle);
    server.createContext("/", PkceLogin::notFound);
    this.redirectUri =
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + request.redirectPath());
    AuthorizationRequest.Builder b =
        new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID(request.clientId()))
            .endpointURI(request.authorizationEndpoint())
            .redirectionURI(redirectUri)
            .state(state)
            .codeChallenge(verifier, pkceMethod);
    if (request.scope() != null) {
      b.scope(Scope.parse(request.scope()));
    }
    this.authorizationUrl = b.build().toURI();
    server.start();
  }

  /**
   * Starts listening for the redirect.
   *
   * @throws IllegalArgumentException when the server supports neither S256 nor plain PKCE
   * @throws AuthException UNAVAILABLE when the loopback port cannot be bound (names the port)
   */
  public static PkceLogin start(Request request, AuthHttp http) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(http, "http");
    pkceMethod(request.serverPkceMethods()); // refuse before binding
    try {
      return new PkceLogin(request, http);
    } catch (IOException e) {
      throw new AuthException(
          Kind.UNAVAILABLE,
          0,
          null,
          null,
          "cannot listen for the login redirect on 127.0.0.1:"
              + request.redirectPort()
              + ": "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"),
          e);
    }
  }

  /** S256 if listed, else plain if listed, else refused. */
  static CodeChallengeMethod pkceMethod(List<String> serverMethods) {
    if (serverMethods.contains(CodeChallengeMethod.S256.getValue())) {
      return CodeChallengeMethod.S256;
    }
    if (serverMethods.contains(CodeChallengeMethod.PLAIN.getValue())) {
      return CodeChallengeMethod.PLAIN;
    }
    throw new IllegalArgumentException(
        "the authorization server supports neither S256 nor plain PKCE (its"
            + " code_challenge_methods_supported is "
            + serverMethods
            + "); a login without PKCE is refused");
  }

  /** The URL to open in a browser. */
  public URI authorizationUrl() {
    return authorizationUrl;
  }

  /** Where the server redirects to: {@code http://127.0.0.1:<port><path>}. */
  public URI redirectUri() {
    return redirectUri;
  }

  /** The PKCE method in use ({@code S256} or {@code plain}). */
  public String pkceMethod() {
    return pkceMethod.getValue();
  }

  /** Completes with the tokens, or with an {@link AuthException} saying why the login failed. */
  public CompletableFuture<Tokens> result() {
    return result;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equalsIgnoreCase(exchange.getRequestMethod())) {
        page(exchange, 405, "Method not allowed", "The login redirect is a GET request.");
        return;
      }
      synchronized (callbackLock) {
        if (callbackSeen) {
          page(
              exchange,
              409,
              "Login finished",
              "This login has already finished. You can close this window.");
          return;
        }
        callbackSeen = true;
      }
      Map<String, String> params = query(exchange.getRequestURI().getRawQuery());
      String gotState = params.get("state");
      if (gotState == null
          || !MessageDigest.isEqual(
              gotState.getBytes(StandardCharsets.UTF_8),
              state.getValue().getBytes(StandardCharsets.UTF_8))) {
        failAfterPage(
            exchange,
            new AuthException(
                Kind.INVALID_RESPONSE,
                0,
                "state_mismatch",
                null,
                "the login redirect carried "
                    + (gotState == null ? "no state" : "another state")
                    + " than this login's authorization request (a forged or stale redirect?);"
                    + " the login is abandoned, start it again",
                null),
            "The answer does not belong to this login (state mismatch). Start the login again.");
        return;
      }
      String error = params.get("error");
      if (error != null) {
        error = error.matches("[A-Za-z0-9_.\\-]{1,64}") ? error : "invalid_error_code";
        String description = OAuthHttp.safeDescription(params.get("error_description"), List.of());
        failAfterPage(
            exchange,
            new AuthException(
                Kind.CREDENTIALS_REJECTED,
                0,
                error,
                null,
                "the authorization server refused the login: "
                    + error
                    + (description == null ? "" : " (" + description + ")")
                    + " [client id '"
                    + request.clientId()
                    + "', authorization endpoint "
                    + request.authorizationEndpoint()
                    + "]",
                null),
            "The authorization server refused the login: " + error + ".");
        return;
      }
      String code = params.get("code");
      if (code == null || code.isBlank()) {
        failAfterPage(
            exchange,
            new AuthException(
                Kind.INVALID_RESPONSE,
                0,
                null,
                null,
                "the login redirect carried neither code nor error",
                null),
            "The redirect carried no authorization code.");
        return;
      }
      CompletableFuture<Tokens> exchanged = exchangeCode(code);
      try {
        exchanged.get(PAGE_WAIT_SECONDS, TimeUnit.SECONDS);
        page(exchange, 200, "Logged in", "The login is complete. You can close this window.");
      } catch (TimeoutException e) {
        page(exchange, 202, "Finishing", "The login is being finished; see the terminal.");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (java.util.concurrent.ExecutionException e) {
        page(
            exchange,
            400,
            "Login failed",
            "The authorization code could not be exchanged for tokens; see the terminal.");
      } finally {
        // the result completes once the browser has its page (see failAfterPage); a page still
        // waiting for the exchange (202) leaves the result to the exchange
        exchanged.whenComplete(
            (tokens, e) -> {
              if (e != null) {
                result.completeExceptionally(
                    AuthException.find(e) != null ? AuthException.find(e) : e);
              } else {
                result.complete(tokens);
              }
            });
      }
    }
  }

  /**
   * Sends the browser the "Login failed" page, then fails the login: whoever waits for {@link
   * #result()} may stop this server as soon as it completes, and a page sent after that reaches the
   * browser as a reset connection.
   */
  private void failAfterPage(HttpExchange exchange, AuthException e, String text)
      throws IOException {
    try {
      page(exchange, 400, "Login failed", text);
    } finally {
      fail(e);
    }
  }

  private CompletableFuture<Tokens> exchangeCode(String code) {
    AuthorizationCodeGrant grant =
        new AuthorizationCodeGrant(new AuthorizationCode(code), redirectUri, verifier);
    ClientAuthentication auth =
        ClientAuth.of(request.clientId(), request.clientSecret(), request.method());
    TokenRequest tokenRequest =
        auth != null
            ? new TokenRequest(request.tokenEndpoint(), auth, grant, null)
            : new TokenRequest(
                request.tokenEndpoint(), new ClientID(request.clientId()), grant, null);
    List<Secret> secrets = new ArrayList<>();
    secrets.add(Secret.of(verifier.getValue()));
    secrets.add(Secret.of(code));
    if (request.clientSecret() != null) {
      secrets.add(request.clientSecret());
    }
    String context =
        "client id '" + request.clientId() + "', token endpoint " + request.tokenEndpoint();
    return OAuthHttp.token(
            http,
            tokenRequest,
            Clock.systemUTC(),
            "the token endpoint refused the authorization code",
            secrets,
            AuthEvents.NOOP::tokenRequest)
        .handle(
            (issued, error) -> {
              if (error != null) {
                throw StepException.of(error).toAuthException(context, null);
              }
              return new Tokens(
                  issued.accessToken(),
                  issued.refreshToken(),
                  issued.expiresAt(),
                  issued.scope() != null ? issued.scope() : request.scope());
            });
  }

  private void fail(AuthException e) {
    result.completeExceptionally(e);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> params = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        params.putIfAbsent(
            URLDecoder.decode(k, StandardCharsets.UTF_8),
            URLDecoder.decode(v, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException badEscape) {
        // ignore a malformed pair
      }
    }
    return params;
  }

  private static void notFound(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.sendResponseHeaders(404, -1);
    }
  }

  private static void page(HttpExchange exchange, int status, String title, String text)
      throws IOException {
    String html =
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>"
            + escape(title)
            + "</title></head><body><h1>"
            + escape(title)
            + "</h1><p>"
            + escape(text)
            + "</p></body></html>";
    byte[] body = html.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Stops listening; a login still waiting fails with {@link Kind#CLOSED}. */
  @Override
  public void close() {
    result.completeExceptionally(
        new AuthException(
            Kind.CLOSED, 0, null, null, "the login was closed before it completed", null));
    server.stop(0);
    serverThread.shutdownNow();
  }

  @Override
  public String toString() {
    return "PkceLogin[clientId="
        + request.clientId()
        + ", redirectUri="
        + redirectUri
        + ", pkce="
        + pkceMethod.getValue()
        + "]";
  }
}
