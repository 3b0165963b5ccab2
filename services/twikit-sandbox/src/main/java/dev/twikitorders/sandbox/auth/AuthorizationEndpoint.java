package dev.twikitorders.sandbox.auth;

import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import dev.twikitorders.sandbox.counters.CounterRecorder;
import dev.twikitorders.sandbox.faults.FaultController;
import dev.twikitorders.sandbox.http.Replies;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /oauth2/authorize} (and {@code POST} with the same parameters as a form): the
 * authorization endpoint of the authorization code flow (RFC 6749 section 4.1) with PKCE required
 * (RFC 7636), parsed by Nimbus {@link AuthorizationRequest#parse(Map)}.
 *
 * <p>The client and redirect URI are checked first: an unknown {@code client_id} or a {@code
 * redirect_uri} the client may not use is a 400 JSON error, never a redirect. Every later problem
 * redirects to the redirect URI with {@code error} (and {@code state}): {@code invalid_request}
 * (missing or malformed {@code code_challenge}, a {@code code_challenge_method} not in {@link
 * dev.twikitorders.sandbox.faults.Faults#pkceMethods()}, malformed parameters), {@code
 * unsupported_response_type}, {@code unauthorized_client}, {@code invalid_scope}, {@code
 * access_denied} (Deny on the approval page).
 *
 * <p>Without the approval page the test user approves at once: 302 to {@code
 * <redirect_uri>?code=..&state=..}. With it, the request is answered with a small HTML page whose
 * Approve / Deny buttons post the same parameters plus {@code decision}.
 *
 * <p>Logs client ids, never codes. Thread-safe.
 */
public final class AuthorizationEndpoint implements Handler<HttpServerRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(AuthorizationEndpoint.class);

  /** RFC 7636 section 4.2: 43 to 128 unreserved characters. */
  private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

  private final ClientRegistry clients;
  private final GrantStore grants;
  private final FaultController faults;
  private final CounterRecorder counters;
  private final String testUser;
  private final boolean approvalPage;

  /**
   * @param testUser the user who approves ({@code sub} of the tokens)
   * @param approvalPage serve an Approve / Deny page instead of approving at once
   */
  public AuthorizationEndpoint(
      ClientRegistry clients,
      GrantStore grants,
      FaultController faults,
      CounterRecorder counters,
      String testUser,
      boolean approvalPage) {
    this.clients = clients;
    this.grants = grants;
    this.faults = faults;
    this.counters = counters;
    this.testUser = testUser;
    this.approvalPage = approvalPage;
  }

  @Override
  public void handle(HttpServerRequest req) {
    if (req.method() == HttpMethod.GET) {
      process(req, URLUtils.parseParameters(req.query()), false);
      return;
    }
    if (req.method() != HttpMethod.POST) {
      req.response().putHeader("allow", "GET, POST");
      Replies.oauthError(req.response(), 405, "invalid_request", "use GET or POST");
      return;
    }
    req.body()
        .onComplete(
            ar -> {
              if (ar.failed()) {
                if (!req.response().closed()) {
                  Replies.oauthError(req.response(), 400, "invalid_request", "unreadable body");
                }
                return;
              }
              String contentType = req.getHeader(HttpHeaders.CONTENT_TYPE);
              if (contentType == null
                  || !contentType
                      .toLowerCase(Locale.ROOT)
                      .startsWith("application/x-www-form-urlencoded")) {
                Replies.oauthError(
                    req.response(),
                    400,
                    "invalid_request",
                    "Content-Type must be application/x-www-form-urlencoded");
                return;
              }
              process(
                  req,
                  URLUtils.parseParameters(ar.result().toString(StandardCharsets.UTF_8)),
                  true);
            });
  }

  private void process(HttpServerRequest req, Map<String, List<String>> params, boolean post) {
    String clientId = single(params, "client_id");
    OAuthClient client = clients.find(clientId);
    if (client == null) {
      badRequest(req, clientId == null ? "missing or repeated client_id" : "unknown client_id");
      return;
    }
    String redirectParam = single(params, "redirect_uri");
    URI redirect = null;
    if (redirectParam != null) {
      try {
        redirect = new URI(redirectParam);
      } catch (URISyntaxException e) {
        badRequest(req, "redirect_uri is not a URI");
        return;
      }
    }
    if (redirect == null || !client.allowsRedirect(redirect)) {
      badRequest(
          req,
          redirect == null
              ? "missing or repeated redirect_uri"
              : "redirect_uri is not registered for this client");
      return;
    }
    String state = single(params, "state");
    AuthorizationRequest ar;
    try {
      ar = AuthorizationRequest.parse(params);
    } catch (ParseException e) {
      ErrorObject error =
          e.getErrorObject() != null
              ? e.getErrorObject()
              : OAuth2Error.INVALID_REQUEST.setDescription(e.getMessage());
      redirectError(req, redirect, state, error.getCode(), error.getDescription());
      return;
    }
    if (!ResponseType.CODE.equals(ar.getResponseType())) {
      redirectError(
          req,
          redirect,
          state,
          "unsupported_response_type",
          "only response_type=code is supported");
      return;
    }
    if (!client.grantTypes().contains("authorization_code")) {
      redirectError(
          req,
          redirect,
          state,
          "unauthorized_client",
          "this client is not registered for authorization_code");
      return;
    }
    if (ar.getCodeChallenge() == null) {
      redirectError(
          req, redirect, state, "invalid_request", "code_challenge is required (PKCE, RFC 7636)");
      return;
    }
    String challenge = ar.getCodeChallenge().getValue();
    String method =
        ar.getCodeChallengeMethod() == null ? "plain" : ar.getCodeChallengeMethod().getValue();
    List<String> supported = faults.current().pkceMethods();
    if (!supported.contains(method)) {
      redirectError(
          req,
          redirect,
          state,
          "invalid_request",
          "code_challenge_method " + method + " is not supported, supported: " + supported);
      return;
    }
    if (!CHALLENGE.matcher(challenge).matches()) {
      redirectError(
          req,
          redirect,
          state,
          "invalid_request",
          "code_challenge must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~");
      return;
    }
    Set<String> scopes = new LinkedHashSet<>();
    if (ar.getScope() == null || ar.getScope().isEmpty()) {
      scopes.addAll(client.scopes());
    } else {
      scopes.addAll(ar.getScope().toStringList());
      if (!client.scopes().containsAll(scopes)) {
        redirectError(
            req,
            redirect,
            state,
            "invalid_scope",
            "allowed scopes: " + String.join(" ", new TreeSet<>(client.scopes())));
        return;
      }
    }
    String decision = post ? single(params, "decision") : null;
    if ("deny".equals(decision)) {
      LOG.info("Authorization denied for client {}", clientId);
      redirectError(req, redirect, state, "access_denied", "the user denied the request");
      return;
    }
    if (approvalPage && !"approve".equals(decision)) {
      approvalPage(req, client, params, scopes);
      return;
    }
    String code =
        grants.issueCode(
            new GrantStore.CodeGrant(clientId, redirect, challenge, method, scopes, testUser));
    counters.authorization();
    LOG.info("Authorization code issued to client {} for user {}", clientId, testUser);
    Map<String, String> out = new LinkedHashMap<>();
    out.put("code", code);
    out.put("state", state);
    redirect(req, redirect, out);
  }

  /** The parameter's single value; {@code null} when absent, empty or repeated. */
  private static String single(Map<String, List<String>> params, String name) {
    List<String> v = params.get(name);
    return v == null || v.size() != 1 || v.get(0).isEmpty() ? null : v.get(0);
  }

  private static void badRequest(HttpServerRequest req, String description) {
    LOG.info("Authorization request refused: {}", description);
    Replies.oauthError(req.response(), 400, "invalid_request", description);
  }

  private static void redirectError(
      HttpServerRequest req, URI redirect, String state, String error, String description) {
    LOG.info("Authorization request answered with error {}", error);
    Map<String, String> out = new LinkedHashMap<>();
    out.put("error", error);
    out.put("error_description", description);
    out.put("state", state);
    redirect(req, redirect, out);
  }

  /** 302 to {@code base} with the non-null {@code params} added to its query. */
  private static void redirect(HttpServerRequest req, URI base, Map<String, String> params) {
    StringBuilder location = new StringBuilder(base.toString());
    char separator = base.getRawQuery() == null ? '?' : '&';
    for (Map.Entry<String, String> e : params.entrySet()) {
      if (e.getValue() != null) {
        location.append(separator).append(e.getKey()).append('=').append(encode(e.getValue()));
        separator = '&';
      }
    }
    Replies.noStore(req.response())
        .setStatusCode(302)
        .putHeader(HttpHeaders.LOCATION, location.toString())
        .end();
  }

  /** RFC 3986 query encoding (space as {@code %20}, so form and URI decoders agree). */
  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private void approvalPage(
      HttpServerRequest req,
      OAuthClient client,
      Map<String, List<String>> params,
      Set<String> scopes) {
    StringBuilder html = new StringBuilder(1024);
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Twikit sandbox: authorize</title></head><body>\n")
        .append("<h1>Authorize ")
        .append(escape(client.name() != null ? client.name() : client.clientId()))
        .append("?</h1>\n<p>Client <code>")
        .append(escape(client.clientId()))
        .append("</code> asks to act for <b>")
        .append(escape(testUser))
        .append("</b> with scopes: <code>")
        .append(escape(String.join(" ", scopes)))
        .append("</code></p>\n<form method=\"post\" action=\"")
        .append(ServerUrls.AUTHORIZE_PATH)
        .append("\">\n");
    params.forEach(
        (name, values) -> {
          if (!name.equals("decision")) {
            for (String v : values) {
              html.append("<input type=\"hidden\" name=\"")
                  .append(escape(name))
                  .append("\" value=\"")
                  .append(escape(v))
                  .append("\">\n");
            }
          }
        });
    html.append("<button type=\"submit\" name=\"decision\" value=\"approve\">Approve</button>\n")
        .append("<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>\n")
        .append("</form></body></html>\n");
    Replies.noStore(req.response())
        .setStatusCode(200)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
        .putHeader("x-frame-options", "DENY")
        .end(html.toString());
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
