package dev.twikitorders.sandbox.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.PlainClientSecret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import dev.twikitorders.sandbox.counters.CounterRecorder;
import dev.twikitorders.sandbox.data.Json;
import dev.twikitorders.sandbox.faults.FaultController;
import dev.twikitorders.sandbox.http.Replies;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /oauth2/token}: the client credentials (RFC 6749 section 4.4), authorization code
 * (section 4.1.3, with PKCE verification per RFC 7636 section 4.6) and refresh token (section 6,
 * with rotation and reuse detection, see {@link GrantStore}) grants, parsed by Nimbus {@link
 * TokenRequest#parse}.
 *
 * <p>Client authentication: confidential clients by HTTP Basic ({@code client_secret_basic},
 * section 2.3.1) or form fields ({@code client_secret_post}), compared in constant time; public
 * clients (registered with auth method {@code none}) by the {@code client_id} form field alone.
 * Errors follow section 5.2: 400 {@code invalid_request}, {@code unsupported_grant_type}, {@code
 * unauthorized_client}, {@code invalid_grant} (unknown, expired, reused or mismatched code or
 * refresh token, wrong PKCE verifier, redirect URI mismatch), {@code invalid_scope}; 401 {@code
 * invalid_client} with {@code WWW-Authenticate: Basic}. A configured outage answers 503 {@code
 * temporarily_unavailable}. Replies carry {@code Cache-Control: no-store} (section 5.1).
 *
 * <p>Never logs secrets, codes or tokens: only a token's {@code jti}, family ids and client ids.
 *
 * <p>Thread-safe; runs on the event loop (parsing and HS256 signing take microseconds).
 */
public final class TokenEndpoint implements Handler<HttpServerRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(TokenEndpoint.class);
  private static final Set<String> GRANTS = ClientRegistry.ALL_GRANTS;

  private final ClientRegistry clients;
  private final GrantStore grants;
  private final TokenService tokens;
  private final FaultController faults;
  private final CounterRecorder counters;
  private final Supplier<Duration> configuredTtl;
  private final ServerUrls urls;

  /**
   * @param configuredTtl the access token lifetime when the faults set none
   * @param urls this server's URLs (Nimbus needs the endpoint's URL to build its request)
   */
  public TokenEndpoint(
      ClientRegistry clients,
      GrantStore grants,
      TokenService tokens,
      FaultController faults,
      CounterRecorder counters,
      Supplier<Duration> configuredTtl,
      ServerUrls urls) {
    this.clients = clients;
    this.grants = grants;
    this.tokens = tokens;
    this.faults = faults;
    this.counters = counters;
    this.configuredTtl = configuredTtl;
    this.urls = urls;
  }

  @Override
  public void handle(HttpServerRequest req) {
    if (req.method() != HttpMethod.POST) {
      req.response().putHeader("allow", "POST");
      reject(req, 405, OAuth2Error.INVALID_REQUEST.setDescription("use POST"));
      return;
    }
    req.body()
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                handleBody(req, ar.result());
              } else if (!req.response().closed()) {
                reject(req, 400, OAuth2Error.INVALID_REQUEST.setDescription("unreadable body"));
              }
            });
  }

  private void handleBody(HttpServerRequest req, Buffer body) {
    if (faults.current().tokenOutage()) {
      req.response()
          .putHeader(Replies.RETRY_AFTER, Long.toString(faults.current().retryAfter().toSeconds()));
      reject(
          req,
          503,
          OAuth2Error.TEMPORARILY_UNAVAILABLE.setDescription(
              "token endpoint outage injected by the sandbox"));
      return;
    }
    String contentType = req.getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      reject(
          req,
          400,
          OAuth2Error.INVALID_REQUEST.setDescription(
              "Content-Type must be application/x-www-form-urlencoded"));
      return;
    }
    String form = body.toString(StandardCharsets.UTF_8);
    // Checked before Nimbus: it would report other grants' missing fields as invalid_request.
    Map<String, List<String>> params = URLUtils.parseParameters(form);
    List<String> grant = params.get("grant_type");
    if (grant == null || grant.isEmpty() || grant.get(0).isBlank()) {
      reject(req, 400, OAuth2Error.INVALID_REQUEST.setDescription("missing grant_type"));
      return;
    }
    if (grant.size() > 1) {
      reject(req, 400, OAuth2Error.INVALID_REQUEST.setDescription("repeated grant_type"));
      return;
    }
    if (!GRANTS.contains(grant.get(0))) {
      reject(
          req,
          400,
          OAuth2Error.UNSUPPORTED_GRANT_TYPE.setDescription(
              "supported grant types: " + String.join(" ", new TreeSet<>(GRANTS))));
      return;
    }
    HTTPRequest httpRequest =
        new HTTPRequest(HTTPRequest.Method.POST, urls.endpoint(req, ServerUrls.TOKEN_PATH));
    httpRequest.setHeader("Content-Type", contentType);
    String authorization = req.getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization != null) {
      httpRequest.setAuthorization(authorization);
    }
    httpRequest.setBody(form);
    TokenRequest tokenRequest;
    try {
      tokenRequest = TokenRequest.parse(httpRequest);
    } catch (ParseException e) {
      ErrorObject error =
          e.getErrorObject() != null
              ? e.getErrorObject()
              : OAuth2Error.INVALID_REQUEST.setDescription(e.getMessage());
      reject(req, OAuth2Error.INVALID_CLIENT.getCode().equals(error.getCode()) ? 401 : 400, error);
      return;
    }
    OAuthClient client = authenticate(req, tokenRequest);
    if (client == null) {
      return;
    }
    AuthorizationGrant g = tokenRequest.getAuthorizationGrant();
    String type = g.getType().getValue();
    boolean allowed =
        client.grantTypes().contains(type)
            // a client of the code flow may refresh what it got
            || (g instanceof RefreshTokenGrant
                && client.grantTypes().contains(GrantType.AUTHORIZATION_CODE.getValue()));
    if (!allowed) {
      reject(
          req,
          400,
          OAuth2Error.UNAUTHORIZED_CLIENT.setDescription(
              "this client may not use the " + type + " grant"));
      return;
    }
    switch (g) {
      case AuthorizationCodeGrant code -> authorizationCode(req, client, code);
      case RefreshTokenGrant refresh -> refresh(req, client, refresh, tokenRequest.getScope());
      default -> clientCredentials(req, client, tokenRequest.getScope());
    }
  }

  /** The authenticated client, or {@code null} after answering 401 {@code invalid_client}. */
  private OAuthClient authenticate(HttpServerRequest req, TokenRequest tokenRequest) {
    ClientAuthentication auth = tokenRequest.getClientAuthentication();
    String clientId =
        auth != null
            ? auth.getClientID().getValue()
            : tokenRequest.getClientID() != null ? tokenRequest.getClientID().getValue() : null;
    OAuthClient client = clients.find(clientId);
    String problem;
    if (client == null) {
      problem =
          clientId == null ? "client authentication required" : "unknown client or wrong secret";
    } else if (client.isPublic()) {
      problem = auth == null ? null : "a public client authenticates by client_id alone";
    } else if (auth == null) {
      problem = "client authentication required";
    } else if (!(auth instanceof PlainClientSecret secret)
        || !client.secretMatches(secret.getClientSecret().getValue())) {
      problem = "unknown client or wrong secret";
    } else {
      problem = null;
    }
    if (problem != null) {
      reject(req, 401, OAuth2Error.INVALID_CLIENT.setDescription(problem));
      return null;
    }
    return client;
  }

  private void clientCredentials(HttpServerRequest req, OAuthClient client, Scope requested) {
    Set<String> scopes = scopes(req, requested, client.scopes());
    if (scopes == null) {
      return;
    }
    TokenService.Issued issued =
        tokens.issue(client.clientId(), scopes, faults.tokenTtl(configuredTtl.get()));
    counters.tokenIssued();
    LOG.debug(
        "Issued token jti={} to client {} expiresIn={}s scopes={}",
        issued.jti(),
        client.clientId(),
        issued.expiresInSeconds(),
        issued.scopes());
    reply(req, issued, null);
  }

  private void authorizationCode(
      HttpServerRequest req, OAuthClient client, AuthorizationCodeGrant g) {
    String code = g.getAuthorizationCode().getValue();
    GrantStore.Redeemed<GrantStore.CodeGrant> redeemed = grants.redeemCode(code, client.clientId());
    String problem =
        switch (redeemed.status()) {
          case OK -> null;
          case REUSED -> "authorization code was already used (its tokens are revoked)";
          case WRONG_CLIENT -> "authorization code was issued to another client";
          default -> "unknown or expired authorization code";
        };
    GrantStore.CodeGrant grant = redeemed.grant();
    if (problem == null) {
      URI redirect = g.getRedirectionURI();
      CodeVerifier verifier = g.getCodeVerifier();
      if (redirect == null || !redirect.toString().equals(grant.redirectUri().toString())) {
        problem = "redirect_uri differs from the authorization request's";
      } else if (verifier == null) {
        problem = "code_verifier missing (PKCE)";
      } else if (!pkceMatches(grant, verifier)) {
        problem = "code_verifier does not match the code_challenge (PKCE)";
      }
    }
    if (problem != null) {
      LOG.info("Authorization code of client {} refused: {}", client.clientId(), redeemed.status());
      reject(req, 400, OAuth2Error.INVALID_GRANT.setDescription(problem));
      return;
    }
    String family = grants.newFamily();
    grants.startedFamily(code, family);
    counters.codeExchange();
    issueWithRefresh(
        req,
        new GrantStore.RefreshGrant(family, client.clientId(), grant.subject(), grant.scopes()),
        grant.scopes());
  }

  private static boolean pkceMatches(GrantStore.CodeGrant grant, CodeVerifier verifier) {
    CodeChallenge expected =
        CodeChallenge.compute(CodeChallengeMethod.parse(grant.codeChallengeMethod()), verifier);
    return MessageDigest.isEqual(
        expected.getValue().getBytes(StandardCharsets.US_ASCII),
        grant.codeChallenge().getBytes(StandardCharsets.US_ASCII));
  }

  private void refresh(
      HttpServerRequest req, OAuthClient client, RefreshTokenGrant g, Scope requested) {
    GrantStore.Redeemed<GrantStore.RefreshGrant> used =
        grants.useRefreshToken(g.getRefreshToken().getValue(), client.clientId());
    GrantStore.RefreshGrant grant = used.grant();
    switch (used.status()) {
      case OK -> {}
      case REUSED -> {
        counters.refreshReuseDetected();
        LOG.warn(
            "Refresh token reuse by client {}: family {} revoked",
            client.clientId(),
            grant.family());
        reject(
            req,
            400,
            OAuth2Error.INVALID_GRANT.setDescription(
                "refresh token was already used; its family is revoked"));
        return;
      }
      case REVOKED -> {
        LOG.info("Refresh token of revoked family {} refused", grant.family());
        reject(req, 400, OAuth2Error.INVALID_GRANT.setDescription("refresh token was revoked"));
        return;
      }
      case WRONG_CLIENT -> {
        reject(
            req,
            400,
            OAuth2Error.INVALID_GRANT.setDescription("refresh token was issued to another client"));
        return;
      }
      default -> {
        reject(
            req, 400, OAuth2Error.INVALID_GRANT.setDescription("unknown or expired refresh token"));
        return;
      }
    }
    Set<String> scopes = scopes(req, requested, grant.scopes());
    if (scopes == null) {
      return;
    }
    counters.refresh();
    issueWithRefresh(req, grant, scopes);
  }

  /** An access token (family {@code grant.family()}) and a new refresh token for {@code grant}. */
  private void issueWithRefresh(
      HttpServerRequest req, GrantStore.RefreshGrant grant, Set<String> scopes) {
    TokenService.Issued issued =
        tokens.issue(
            grant.subject(),
            grant.clientId(),
            scopes,
            faults.tokenTtl(configuredTtl.get()),
            grant.family());
    String refreshToken = grants.issueRefreshToken(grant);
    counters.tokenIssued();
    LOG.debug(
        "Issued token jti={} family={} to client {} expiresIn={}s scopes={}",
        issued.jti(),
        grant.family(),
        grant.clientId(),
        issued.expiresInSeconds(),
        issued.scopes());
    reply(req, issued, refreshToken);
  }

  /** The granted scopes: {@code allowed} when none requested; {@code null} after invalid_scope. */
  private Set<String> scopes(HttpServerRequest req, Scope requested, Set<String> allowed) {
    Set<String> scopes = new LinkedHashSet<>();
    if (requested == null || requested.isEmpty()) {
      scopes.addAll(allowed);
      return scopes;
    }
    scopes.addAll(requested.toStringList());
    if (!allowed.containsAll(scopes)) {
      reject(
          req,
          400,
          OAuth2Error.INVALID_SCOPE.setDescription(
              "allowed scopes: " + String.join(" ", new TreeSet<>(allowed))));
      return null;
    }
    return scopes;
  }

  private static void reply(HttpServerRequest req, TokenService.Issued issued, String refresh) {
    ObjectNode reply = Json.object();
    reply.put("access_token", issued.token());
    reply.put("token_type", "Bearer");
    reply.put("expires_in", issued.expiresInSeconds());
    if (refresh != null) {
      reply.put("refresh_token", refresh);
    }
    reply.put("scope", String.join(" ", new TreeSet<>(issued.scopes())));
    HttpServerResponse response = Replies.noStore(req.response());
    Replies.json(response, 200, Json.bytes(reply));
  }

  private void reject(HttpServerRequest req, int status, ErrorObject error) {
    counters.tokenRejected();
    LOG.info("Token request rejected: {} {}", status, error.getCode());
    HttpServerResponse response = req.response();
    if (status == 401) {
      response.putHeader(Replies.WWW_AUTHENTICATE, "Basic realm=\"twikit-sandbox\"");
    }
    Replies.oauthError(response, status, error.getCode(), error.getDescription());
  }
}
