package dev.twikitorders.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twikitorders.sandbox.data.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

/** A small blocking HTTP/1.1 client for tests (JDK HttpClient). */
final class SandboxHttp {
  static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final TwikitSandbox sandbox;

  SandboxHttp(TwikitSandbox sandbox) {
    this.sandbox = sandbox;
  }

  /** A token with every allowed scope, from the real token endpoint. */
  String token() {
    HttpResponse<String> r = tokenRequest("grant_type=client_credentials", "demo", "demo-secret");
    if (r.statusCode() != 200) {
      throw new IllegalStateException("token request failed: " + r.statusCode() + " " + r.body());
    }
    return json(r).get("access_token").asText();
  }

  HttpResponse<String> tokenRequest(String form, String basicUser, String basicPassword) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(sandbox.tokenUrl())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form));
    if (basicUser != null) {
      b.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(
                      (basicUser + ":" + basicPassword).getBytes(StandardCharsets.UTF_8)));
    }
    return send(b.build());
  }

  HttpResponse<String> get(String path, String token) {
    return send(request(path, token).GET().build());
  }

  CompletableFuture<HttpResponse<String>> getAsync(String path, String token) {
    return CLIENT.sendAsync(
        request(path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String token, String json) {
    return send(
        request(path, token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  HttpResponse<String> admin(String method, String path, String json) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(sandbox.adminUrl().resolve(path))
            .header("Content-Type", "application/json");
    b.method(
        method,
        json == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json));
    return send(b.build());
  }

  HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(sandbox.apiUrl() + path)).timeout(Duration.ofSeconds(20));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(HttpResponse<String> r) {
    return Json.parse(r.body());
  }
}
