package dev.twikitorders.sandbox.auth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.client.ClientMetadata;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationRequest;
import com.nimbusds.oauth2.sdk.client.RegistrationError;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import dev.twikitorders.sandbox.counters.CounterRecorder;
import dev.twikitorders.sandbox.data.Json;
import dev.twikitorders.sandbox.http.Replies;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /oauth2/register}: OAuth 2.0 dynamic client registration (RFC 7591), parsed by Nimbus
 * {@link ClientRegistrationRequest#parse}.
 *
 * <p>Defaults per RFC 7591 section 2: {@code grant_types [authorization_code]}, {@code
 * token_endpoint_auth_method client_secret_basic}; {@code scope} defaults to every sandbox scope.
 * 201 answers the client id, a fresh secret (none for {@code token_endpoint_auth_method none}),
 * {@code client_id_issued_at}, {@code client_secret_expires_at 0} and the registered metadata.
 * Errors (section 3.2.2): 400 {@code invalid_redirect_uri} (not absolute, a fragment, a prohibited
 * scheme, or http for a host that is not a loopback address), 400 {@code invalid_client_metadata}
 * (unsupported grant type, response type or auth method, {@code authorization_code} without
 * redirect URIs, {@code client_credentials} for a public client, an unknown scope, a body that is
 * not a JSON object). With a registration token configured, a request without {@code Authorization:
 * Bearer <that token>} is 401 {@code invalid_token}.
 *
 * <p>Logs the new client id, never its secret or the registration token. Thread-safe.
 */
public final class RegistrationEndpoint implements Handler<HttpServerRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(RegistrationEndpoint.class);
  private static final Set<String> GRANTS = ClientRegistry.ALL_GRANTS;
  private static final Set<String> AUTH_METHODS =
      Set.of(OAuthClient.SECRET_BASIC, OAuthClient.SECRET_POST, OAuthClient.NONE);

  private final ClientRegistry clients;
  private final Set<String> scopes;
  private final byte[] registrationToken;
  private final CounterRecorder counters;
  private final Clock clock;
  private final ServerUrls urls;

  /**
   * @param scopes the sandbox's scopes (what clients may register)
   * @param registrationToken the bearer token registration requires, or {@code null}
   */
  public RegistrationEndpoint(
      ClientRegistry clients,
      Set<String> scopes,
      String registrationToken,
      CounterRecorder counters,
      Clock clock,
      ServerUrls urls) {
    this.clients = clients;
    this.scopes = Set.copyOf(scopes);
    this.registrationToken =
        registrationToken == null ? null : registrationToken.getBytes(StandardCharsets.UTF_8);
    this.counters = counters;
    this.clock = clock;
    this.urls = urls;
  }

  @Override
  public void handle(HttpServerRequest req) {
    if (req.method() != HttpMethod.POST) {
      req.response().putHeader("allow", "POST");
      Replies.oauthError(req.response(), 405, "invalid_request", "use POST");
      return;
    }
    req.body()
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                handleBody(req, ar.result());
              } else if (!req.response().closed()) {
                Replies.oauthError(req.response(), 400, "invalid_request", "unreadable body");
              }
            });
  }

  private void handleBody(HttpServerRequest req, Buffer body) {
    HTTPRequest http =
        new HTTPRequest(HTTPRequest.Method.POST, urls.endpoint(req, ServerUrls.REGISTER_PATH));
    String contentType = req.getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType != null) {
      http.setHeader("Content-Type", contentType);
    }
    String authorization = req.getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization != null) {
      http.setAuthorization(authorization);
    }
    http.setBody(body.toString(StandardCharsets.UTF_8));
    if (!authorised(authorization)) {
      refuseToken(req);
      return;
    }
    ClientRegistrationRequest request;
    try {
      request = ClientRegistrationRequest.parse(http);
    } catch (ParseException e) {
      ErrorObject error = e.getErrorObject();
      if (error != null
          && RegistrationError.INVALID_REDIRECT_URI.getCode().equals(error.getCode())) {
        reject(req, 400, error.getCode(), error.getDescription());
      } else {
        reject(
            req,
            400,
            RegistrationError.INVALID_CLIENT_METADATA.getCode(),
            "invalid registration request: " + e.getMessage());
      }
      return;
    }
    ClientMetadata m = request.getClientMetadata();
    String problem;
    // redirect URIs first: their error code is the more specific one
    List<URI> redirects =
        m.getRedirectionURIs() == null ? List.of() : new ArrayList<>(m.getRedirectionURIs());
    for (URI uri : redirects) {
      problem = redirectProblem(uri);
      if (problem != null) {
        reject(req, 400, RegistrationError.INVALID_REDIRECT_URI.getCode(), problem);
        return;
      }
    }
    Set<String> grants = new LinkedHashSet<>();
    if (m.getGrantTypes() == null || m.getGrantTypes().isEmpty()) {
      grants.add(GrantType.AUTHORIZATION_CODE.getValue());
    } else {
      m.getGrantTypes().forEach(g -> grants.add(g.getValue()));
    }
    String authMethod =
        m.getTokenEndpointAuthMethod() == null
            ? OAuthClient.SECRET_BASIC
            : m.getTokenEndpointAuthMethod().getValue();
    Set<String> clientScopes =
        m.getScope() == null || m.getScope().isEmpty()
            ? scopes
            : new LinkedHashSet<>(m.getScope().toStringList());
    problem = metadataProblem(m, grants, authMethod, clientScopes, redirects);
    if (problem != null) {
      reject(req, 400, RegistrationError.INVALID_CLIENT_METADATA.getCode(), problem);
      return;
    }
    long now = clock.millis() / 1000;
    OAuthClient client =
        clients.register(authMethod, redirects, grants, clientScopes, m.getName(), now);
    counters.registration();
    LOG.info(
        "Registered client {} (auth {}, grants {})",
        client.clientId(),
        authMethod,
        new TreeSet<>(grants));
    ObjectNode reply = Json.object();
    reply.put("client_id", client.clientId());
    if (client.secret() != null) {
      reply.put("client_secret", client.secret());
    }
    reply.put("client_id_issued_at", now);
    reply.put("client_secret_expires_at", 0);
    if (!redirects.isEmpty()) {
      ArrayNode r = reply.putArray("redirect_uris");
      redirects.forEach(u -> r.add(u.toString()));
    }
    ArrayNode g = reply.putArray("grant_types");
    grants.forEach(g::add);
    if (grants.contains(GrantType.AUTHORIZATION_CODE.getValue())) {
      reply.putArray("response_types").add("code");
    }
    reply.put("token_endpoint_auth_method", authMethod);
    if (m.getName() != null) {
      reply.put("client_name", m.getName());
    }
    reply.put("scope", String.join(" ", clientScopes));
    Replies.noStore(req.response());
    Replies.json(req.response(), 201, Json.bytes(reply));
  }

  private boolean authorised(String authorization) {
    if (registrationToken == null) {
      return true;
    }
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return MessageDigest.isEqual(
        registrationToken, authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8));
  }

  /** Why a redirect URI cannot be registered, or {@code null}. */
  private static String redirectProblem(URI uri) {
    if (!uri.isAbsolute()) {
      return "redirect URI is not absolute: " + uri;
    }
    if (uri.getRawFragment() != null) {
      return "redirect URI has a fragment: " + uri;
    }
    if (uri.getScheme().equalsIgnoreCase("http") && !OAuthClient.isLoopback(uri.getHost())) {
      return "http redirect URI for a host that is not a loopback address (use https): " + uri;
    }
    return null;
  }

  /** Why the metadata cannot be registered, or {@code null}. */
  private String metadataProblem(
      ClientMetadata m,
      Set<String> grants,
      String authMethod,
      Set<String> clientScopes,
      List<URI> redirects) {
    for (String grant : grants) {
      if (!GRANTS.contains(grant)) {
        return "unsupported grant type " + grant + ", supported: " + new TreeSet<>(GRANTS);
      }
    }
    if (!AUTH_METHODS.contains(authMethod)) {
      return "unsupported token_endpoint_auth_method "
          + authMethod
          + ", supported: "
          + new TreeSet<>(AUTH_METHODS);
    }
    if (m.getResponseTypes() != null) {
      for (ResponseType rt : m.getResponseTypes()) {
        if (!rt.equals(ResponseType.CODE)) {
          return "unsupported response type " + rt + ", supported: code";
        }
      }
    }
    if (grants.contains(GrantType.AUTHORIZATION_CODE.getValue()) && redirects.isEmpty()) {
      return "authorization_code needs redirect_uris";
    }
    if (grants.contains(GrantType.CLIENT_CREDENTIALS.getValue())
        && OAuthClient.NONE.equals(authMethod)) {
      return "client_credentials needs a client secret (token_endpoint_auth_method none given)";
    }
    for (String scope : clientScopes) {
      if (!scopes.contains(scope)) {
        return "unknown scope " + scope + ", known: " + String.join(" ", new TreeSet<>(scopes));
      }
    }
    if (ClientAuthenticationMethod.NONE.getValue().equals(authMethod) && redirects.isEmpty()) {
      return "a public client (token_endpoint_auth_method none) needs redirect_uris";
    }
    return null;
  }

  private void refuseToken(HttpServerRequest req) {
    LOG.info("Client registration refused: missing or wrong registration token");
    req.response()
        .putHeader(
            Replies.WWW_AUTHENTICATE, "Bearer realm=\"twikit-sandbox\", error=\"invalid_token\"");
    Replies.oauthError(
        req.response(), 401, "invalid_token", "registration needs the registration access token");
  }

  private static void reject(HttpServerRequest req, int status, String code, String description) {
    LOG.info("Client registration rejected: {} {}", status, code);
    Replies.oauthError(req.response(), status, code, description);
  }
}
