package dev.twikitorders.sandbox.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.PlainClientSecret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
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
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /oauth2/token}: the client credentials grant (RFC 6749 section 4.4).
 *
 * <p>Client authentication by HTTP Basic ({@code client_secret_basic}, RFC 6749 section 2.3.1) or
 * form fields ({@code client_secret_post}), parsed by Nimbus {@link TokenRequest#parse}. Errors
 * follow RFC 6749 section 5.2: 400 {@code invalid_request}, {@code unsupported_grant_type}, {@code
 * invalid_scope}; 401 {@code invalid_client} with {@code WWW-Authenticate: Basic}. A configured
 * outage answers 503 {@code temporarily_unavailable}. Replies carry {@code Cache-Control: no-store}
 * (section 5.1). Never logs secrets or tokens, only the token's {@code jti}.
 *
 * <p>Thread-safe; runs on the event loop (parsing and HS256 signing take microseconds).
 */
public final class TokenEndpoint implements Handler<HttpServerRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(TokenEndpoint.class);
  private static final CharSequence NO_STORE = HttpHeaders.createOptimized("no-store");
  private static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");
  private static final CharSequence PRAGMA = HttpHeaders.createOptimized("pragma");

  private final ClientCredentials client;
  private final TokenService tokens;
  private final FaultController faults;
  private final CounterRecorder counters;
  private final Supplier<Duration> configuredTtl;
  private final URI endpoint;

  /**
   * @param configuredTtl the token lifetime when the faults set none
   * @param endpoint this endpoint's URL (Nimbus needs one to build its request)
   */
  public TokenEndpoint(
      ClientCredentials client,
      TokenService tokens,
      FaultController faults,
      CounterRecorder counters,
      Supplier<Duration> configuredTtl,
      URI endpoint) {
    this.client = client;
    this.tokens = tokens;
    this.faults = faults;
    this.counters = counters;
    this.configuredTtl = configuredTtl;
    this.endpoint = endpoint;
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
    if (!GrantType.CLIENT_CREDENTIALS.getValue().equals(grant.get(0))) {
      reject(
          req,
          400,
          OAuth2Error.UNSUPPORTED_GRANT_TYPE.setDescription(
              "only client_credentials is supported"));
      return;
    }
    HTTPRequest httpRequest = new HTTPRequest(HTTPRequest.Method.POST, endpoint);
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
    ClientAuthentication auth = tokenRequest.getClientAuthentication();
    if (!(auth instanceof PlainClientSecret secret)
        || !client.matches(secret.getClientID().getValue(), secret.getClientSecret().getValue())) {
      reject(
          req,
          401,
          OAuth2Error.INVALID_CLIENT.setDescription(
              auth == null ? "client authentication required" : "unknown client or wrong secret"));
      return;
    }
    AuthorizationGrant g = tokenRequest.getAuthorizationGrant();
    if (!GrantType.CLIENT_CREDENTIALS.equals(g.getType())) {
      reject(
          req,
          400,
          OAuth2Error.UNSUPPORTED_GRANT_TYPE.setDescription(
              "only client_credentials is supported"));
      return;
    }
    Scope requested = tokenRequest.getScope();
    Set<String> scopes = new LinkedHashSet<>();
    if (requested == null || requested.isEmpty()) {
      scopes.addAll(client.allowedScopes());
    } else {
      scopes.addAll(requested.toStringList());
      if (!client.allowedScopes().containsAll(scopes)) {
        reject(
            req,
            400,
            OAuth2Error.INVALID_SCOPE.setDescription(
                "allowed scopes: "
                    + String.join(" ", new java.util.TreeSet<>(client.allowedScopes()))));
        return;
      }
    }
    TokenService.Issued issued =
        tokens.issue(client.clientId(), scopes, faults.tokenTtl(configuredTtl.get()));
    counters.tokenIssued();
    LOG.debug(
        "Issued token jti={} expiresIn={}s scopes={}",
        issued.jti(),
        issued.expiresInSeconds(),
        issued.scopes());
    ObjectNode reply = Json.object();
    reply.put("access_token", issued.token());
    reply.put("token_type", "Bearer");
    reply.put("expires_in", issued.expiresInSeconds());
    reply.put("scope", String.join(" ", new java.util.TreeSet<>(issued.scopes())));
    HttpServerResponse response = req.response();
    response.putHeader(HttpHeaders.CACHE_CONTROL, NO_STORE).putHeader(PRAGMA, NO_CACHE);
    Replies.json(response, 200, Json.bytes(reply));
  }

  private void reject(HttpServerRequest req, int status, ErrorObject error) {
    counters.tokenRejected();
    LOG.info("Token request rejected: {} {}", status, error.getCode());
    HttpServerResponse response = req.response();
    if (status == 401) {
      response.putHeader(Replies.WWW_AUTHENTICATE, "Basic realm=\"twikit-sandbox\"");
    }
    response.putHeader(HttpHeaders.CACHE_CONTROL, NO_STORE).putHeader(PRAGMA, NO_CACHE);
    ObjectNode body = Json.object();
    body.put("error", error.getCode());
    if (error.getDescription() != null) {
      body.put("error_description", error.getDescription());
    }
    Replies.json(response, status, Json.bytes(body));
  }
}
