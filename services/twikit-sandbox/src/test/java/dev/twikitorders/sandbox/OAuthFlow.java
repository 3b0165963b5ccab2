package dev.twikitorders.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** Test helper for the authorization server: registration, authorize, code and refresh grants. */
final class OAuthFlow {
  static final String REDIRECT = "http://127.0.0.1:47321/callback";

  /** A PKCE verifier and its challenge. */
  record Pkce(String verifier, String challenge, String method) {
    static Pkce s256() {
      CodeVerifier v = new CodeVerifier();
      return new Pkce(
          v.getValue(), CodeChallenge.compute(CodeChallengeMethod.S256, v).getValue(), "S256");
    }

    static Pkce plain() {
      CodeVerifier v = new CodeVerifier();
      return new Pkce(v.getValue(), v.getValue(), "plain");
    }
  }

  /** The tokens of a successful grant. */
  record Tokens(String accessToken, String refreshToken, JsonNode body) {}

  private final TwikitSandbox sb;
  private final SandboxHttp http;

  OAuthFlow(TwikitSandbox sb) {
    this.sb = sb;
    this.http = new SandboxHttp(sb);
  }

  /** {@code application/x-www-form-urlencoded} of name/value pairs (null values skipped). */
  static String form(String... pairs) {
    StringJoiner j = new StringJoiner("&");
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] != null) {
        j.add(enc(pairs[i]) + "=" + enc(pairs[i + 1]));
      }
    }
    return j.toString();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  HttpResponse<String> register(String json, String bearer) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(sb.registrationUrl())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return SandboxHttp.send(b.build());
  }

  /** Registers and returns the 201 body. */
  JsonNode registerOk(String json) {
    HttpResponse<String> r = register(json, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return SandboxHttp.json(r);
  }

  /** {@code GET /oauth2/authorize} with the pairs as query. */
  HttpResponse<String> authorize(String... pairs) {
    return SandboxHttp.send(
        HttpRequest.newBuilder(URI.create(sb.authorizationUrl() + "?" + form(pairs))).build());
  }

  /** {@code POST /oauth2/authorize} with the pairs as form. */
  HttpResponse<String> authorizePost(String... pairs) {
    return SandboxHttp.send(
        HttpRequest.newBuilder(sb.authorizationUrl())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form(pairs)))
            .build());
  }

  /** A code for {@code clientId} (asserts the 302 and the echoed state). */
  String code(String clientId, String redirect, Pkce pkce) {
    String state = "st-" + System.nanoTime();
    HttpResponse<String> r =
        authorize(
            "response_type",
            "code",
            "client_id",
            clientId,
            "redirect_uri",
            redirect,
            "state",
            state,
            "code_challenge",
            pkce.challenge(),
            "code_challenge_method",
            pkce.method());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
    Map<String, String> q = query(location(r));
    assertThat(q).containsEntry("state", state).containsKey("code");
    return q.get("code");
  }

  static URI location(HttpResponse<?> r) {
    return URI.create(r.headers().firstValue("location").orElseThrow());
  }

  /** The decoded query parameters of a URI. */
  static Map<String, String> query(URI uri) {
    Map<String, String> out = new LinkedHashMap<>();
    String q = uri.getRawQuery();
    if (q == null) {
      return out;
    }
    for (String pair : q.split("&")) {
      int eq = pair.indexOf('=');
      out.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  /** Exchanges a code; {@code secret} null = public client (client_id form field). */
  HttpResponse<String> exchange(
      String clientId, String secret, String code, String redirect, String verifier) {
    String form =
        form(
            "grant_type", "authorization_code",
            "code", code,
            "redirect_uri", redirect,
            "code_verifier", verifier,
            "client_id", secret == null ? clientId : null);
    return secret == null
        ? http.tokenRequest(form, null, null)
        : http.tokenRequest(form, clientId, secret);
  }

  Tokens exchangeOk(String clientId, String secret, String code, String redirect, String verifier) {
    return tokens(exchange(clientId, secret, code, redirect, verifier));
  }

  HttpResponse<String> refresh(String clientId, String secret, String refreshToken) {
    String form =
        form(
            "grant_type",
            "refresh_token",
            "refresh_token",
            refreshToken,
            "client_id",
            secret == null ? clientId : null);
    return secret == null
        ? http.tokenRequest(form, null, null)
        : http.tokenRequest(form, clientId, secret);
  }

  static Tokens tokens(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = SandboxHttp.json(r);
    return new Tokens(
        body.get("access_token").asText(),
        body.hasNonNull("refresh_token") ? body.get("refresh_token").asText() : null,
        body);
  }

  /** The OAuth {@code error} code of an error reply. */
  static String error(HttpResponse<String> r) {
    return SandboxHttp.json(r).get("error").asText();
  }
}
