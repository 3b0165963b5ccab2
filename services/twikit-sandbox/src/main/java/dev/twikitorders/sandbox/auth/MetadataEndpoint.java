package dev.twikitorders.sandbox.auth;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import dev.twikitorders.sandbox.data.Json;
import dev.twikitorders.sandbox.faults.FaultController;
import dev.twikitorders.sandbox.faults.MetadataMode;
import dev.twikitorders.sandbox.http.Replies;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code GET /.well-known/oauth-authorization-server} (RFC 8414) and {@code GET
 * /.well-known/openid-configuration}: the authorization server metadata, built with Nimbus {@link
 * AuthorizationServerMetadata}. Which path serves it (or none, or a document without {@code
 * token_endpoint}) follows {@link dev.twikitorders.sandbox.faults.Faults#metadata()}; {@code
 * code_challenge_methods_supported} follows {@link
 * dev.twikitorders.sandbox.faults.Faults#pkceMethods()}.
 *
 * <p>Thread-safe: builds the document per request from immutable settings and the current faults.
 */
public final class MetadataEndpoint implements Handler<HttpServerRequest> {
  private final ServerUrls urls;
  private final FaultController faults;
  private final List<String> scopes;

  /**
   * @param scopes the scopes advertised as {@code scopes_supported}
   */
  public MetadataEndpoint(ServerUrls urls, FaultController faults, Set<String> scopes) {
    this.urls = urls;
    this.faults = faults;
    this.scopes = List.copyOf(new TreeSet<>(scopes));
  }

  /** Whether {@code path} is one of the two metadata paths. */
  public static boolean handles(String path) {
    return path.equals(ServerUrls.OAUTH_METADATA_PATH)
        || path.equals(ServerUrls.OPENID_METADATA_PATH);
  }

  @Override
  public void handle(HttpServerRequest req) {
    if (req.method() != HttpMethod.GET) {
      req.response().putHeader("allow", "GET");
      Replies.json(req.response(), 405, Replies.error("method_not_allowed", "allowed: GET"));
      return;
    }
    MetadataMode mode = faults.current().metadata();
    boolean openidPath = req.path().equals(ServerUrls.OPENID_METADATA_PATH);
    boolean served =
        switch (mode) {
          case OAUTH, MISSING_TOKEN_ENDPOINT -> !openidPath;
          case OPENID -> openidPath;
          case NONE -> false;
        };
    if (!served) {
      Replies.json(
          req.response(),
          404,
          Replies.error("not_found", "no metadata at this path (metadata mode " + mode.id() + ")"));
      return;
    }
    Replies.json(
        req.response(),
        200,
        document(urls.issuer(req), mode != MetadataMode.MISSING_TOKEN_ENDPOINT));
  }

  /** The document as JSON bytes (re-encoded by Jackson: no escaped slashes). */
  private byte[] document(URI issuer, boolean withTokenEndpoint) {
    AuthorizationServerMetadata m = new AuthorizationServerMetadata(new Issuer(issuer));
    if (withTokenEndpoint) {
      m.setTokenEndpointURI(URI.create(issuer + ServerUrls.TOKEN_PATH));
    }
    m.setAuthorizationEndpointURI(URI.create(issuer + ServerUrls.AUTHORIZE_PATH));
    m.setRegistrationEndpointURI(URI.create(issuer + ServerUrls.REGISTER_PATH));
    m.setGrantTypes(
        List.of(
            GrantType.CLIENT_CREDENTIALS, GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN));
    m.setResponseTypes(List.of(ResponseType.CODE));
    m.setCodeChallengeMethods(
        faults.current().pkceMethods().stream().map(CodeChallengeMethod::parse).toList());
    m.setTokenEndpointAuthMethods(
        List.of(
            ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
            ClientAuthenticationMethod.CLIENT_SECRET_POST,
            ClientAuthenticationMethod.NONE));
    m.setScopes(new Scope(scopes.toArray(String[]::new)));
    // Nimbus' toString() is the JSON document
    return Json.bytes(Json.parse(m.toString()));
  }
}
