package dev.twikitorders.auth.oauth;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import dev.twikitorders.auth.AuthEvents;
import dev.twikitorders.auth.AuthException;
import dev.twikitorders.auth.AuthException.Kind;
import dev.twikitorders.auth.http.AuthHttp;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Finds an authorization server's endpoints from its issuer identifier (RFC 8414): {@code GET
 * <issuer host>/.well-known/oauth-authorization-server<issuer path>}, and when that answers 404
 * {@code GET <issuer>/.well-known/openid-configuration} (OpenID Connect Discovery 1.0). The
 * document is parsed with Nimbus ({@link AuthorizationServerMetadata}) and must
 *
 * <ul>
 *   <li>name the configured issuer ({@code issuer}, RFC 8414 section 3.3; a trailing slash on
 *       either side is ignored), and
 *   <li>have a {@code token_endpoint}.
 * </ul>
 *
 * Failures complete the future with an {@link AuthException}: {@link Kind#INVALID_RESPONSE} for a
 * document that is missing, not JSON, lacks {@code token_endpoint} or names another issuer (the
 * message names the field and the URL), a redirect, or an oversized body; {@link Kind#UNAVAILABLE},
 * {@link Kind#RATE_LIMITED} or {@link Kind#TIMEOUT} when the server is down, busy or silent.
 *
 * <p>Thread-safety: stateless, thread-safe.
 */
public final class Discovery {

  static final String OAUTH_WELL_KNOWN = "/.well-known/oauth-authorization-server";
  static final String OPENID_WELL_KNOWN = "/.well-known/openid-configuration";

  /** The outcome of a metadata request answered 404. */
  static final String NOT_FOUND = "not_found";

  private Discovery() {}

  /** The metadata of {@code issuer}, fetched through {@code http}. */
  public static CompletableFuture<AuthorizationServerMetadata> resolve(URI issuer, AuthHttp http) {
    return resolveStep(issuer, http, AuthEvents.NOOP, Clock.systemUTC())
        .handle(
            (metadata, error) -> {
              if (error != null) {
                throw StepException.of(error).toAuthException("issuer " + issuer, null);
              }
              return metadata;
            });
  }

  /** The RFC 8414 metadata URL of {@code issuer}: the well-known path goes before its path. */
  public static URI oauthMetadataUrl(URI issuer) {
    checkIssuer(issuer);
    String path = trimSlash(issuer.getRawPath());
    return withPath(issuer, OAUTH_WELL_KNOWN + path);
  }

  /**
   * The OpenID Connect Discovery URL of {@code issuer}: the well-known path goes after its path.
   */
  public static URI openidMetadataUrl(URI issuer) {
    checkIssuer(issuer);
    String path = trimSlash(issuer.getRawPath());
    return withPath(issuer, path + OPENID_WELL_KNOWN);
  }

  /** Like {@link #resolve} but failing with {@link StepException}s and reporting outcomes. */
  static CompletableFuture<AuthorizationServerMetadata> resolveStep(
      URI issuer, AuthHttp http, AuthEvents events, Clock clock) {
    URI oauthUrl;
    URI openidUrl;
    try {
      oauthUrl = oauthMetadataUrl(issuer);
      openidUrl = openidMetadataUrl(issuer);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(
          new StepException(
              Kind.INVALID_RESPONSE, 0, null, null, "bad issuer", e.getMessage(), null));
    }
    return fetch(oauthUrl, http, events, clock)
        .thenCompose(
            response -> {
              if (response.getStatusCode() == 404) {
                events.metadataRequest(NOT_FOUND);
                return fetch(openidUrl, http, events, clock)
                    .thenApply(
                        second -> {
                          if (second.getStatusCode() == 404) {
                            events.metadataRequest(NOT_FOUND);
                            throw invalid(
                                "HTTP 404",
                                "no authorization server metadata: "
                                    + oauthUrl
                                    + " and "
                                    + openidUrl
                                    + " answered 404; is the issuer right?",
                                404);
                          }
                          return parse(second, openidUrl, issuer, events);
                        });
              }
              return CompletableFuture.completedFuture(parse(response, oauthUrl, issuer, events));
            });
  }

  private static CompletableFuture<HTTPResponse> fetch(
      URI url, AuthHttp http, AuthEvents events, Clock clock) {
    HTTPRequest request = new HTTPRequest(HTTPRequest.Method.GET, url);
    request.setAccept("application/json");
    return OAuthHttp.send(
        http, request, "metadata endpoint " + url, clock, events::metadataRequest);
  }

  private static AuthorizationServerMetadata parse(
      HTTPResponse response, URI url, URI issuer, AuthEvents events) {
    int status = response.getStatusCode();
    if (status / 100 != 2) {
      events.metadataRequest(OAuthHttp.INVALID_RESPONSE);
      throw invalid("HTTP " + status, url + " answered HTTP " + status, status);
    }
    AuthorizationServerMetadata metadata;
    try {
      String body = response.getBody();
      metadata = AuthorizationServerMetadata.parse(body == null ? "" : body);
    } catch (ParseException e) {
      events.metadataRequest(OAuthHttp.INVALID_RESPONSE);
      String why = e.getMessage() == null ? "" : e.getMessage();
      throw invalid(
          "invalid metadata",
          url
              + " is no valid authorization server metadata: "
              + (why.length() > 200 ? why.substring(0, 200) + "..." : why),
          status);
    }
    String named = metadata.getIssuer() == null ? null : metadata.getIssuer().getValue();
    if (named == null || !trimSlash(named).equals(trimSlash(issuer.toString()))) {
      events.metadataRequest(OAuthHttp.INVALID_RESPONSE);
      throw invalid(
          "issuer mismatch",
          "the metadata at "
              + url
              + " has issuer '"
              + named
              + "', not the configured issuer '"
              + issuer
              + "' (RFC 8414 section 3.3: they must be identical)",
          status);
    }
    URI token = metadata.getTokenEndpointURI();
    if (token == null) {
      events.metadataRequest(OAuthHttp.INVALID_RESPONSE);
      throw invalid(
          "no token_endpoint", "the metadata at " + url + " has no token_endpoint", status);
    }
    String scheme = token.getScheme() == null ? "" : token.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http") || token.getHost() == null) {
      events.metadataRequest(OAuthHttp.INVALID_RESPONSE);
      throw invalid(
          "bad token_endpoint",
          "the metadata at " + url + " has a token_endpoint that is no absolute http(s) URL",
          status);
    }
    events.metadataRequest(OAuthHttp.SUCCESS);
    return metadata;
  }

  private static StepException invalid(String what, String detail, int status) {
    return new StepException(Kind.INVALID_RESPONSE, status, null, null, what, detail, null);
  }

  private static void checkIssuer(URI issuer) {
    String scheme = issuer.getScheme() == null ? "" : issuer.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http") || issuer.getHost() == null) {
      throw new IllegalArgumentException("issuer must be an absolute http(s) URL: " + issuer);
    }
    if (issuer.getRawQuery() != null || issuer.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "issuer must have no query or fragment (RFC 8414 section 2): " + issuer);
    }
  }

  private static URI withPath(URI base, String rawPath) {
    try {
      return new URI(base.getScheme() + "://" + base.getRawAuthority() + rawPath);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot build a metadata URL from issuer " + base, e);
    }
  }

  private static String trimSlash(String s) {
    if (s == null) {
      return "";
    }
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
