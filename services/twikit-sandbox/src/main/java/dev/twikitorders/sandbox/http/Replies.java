package dev.twikitorders.sandbox.http;

import dev.twikitorders.sandbox.data.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes JSON replies with pre-encoded header names and values. Thread-safe (stateless apart from a
 * cache of immutable encoded error bodies).
 */
public final class Replies {
  /** {@code content-type}. */
  public static final CharSequence CONTENT_TYPE = HttpHeaders.createOptimized("content-type");

  /** {@code application/json; charset=utf-8}. */
  public static final CharSequence APPLICATION_JSON =
      HttpHeaders.createOptimized("application/json; charset=utf-8");

  /** {@code www-authenticate}. */
  public static final CharSequence WWW_AUTHENTICATE =
      HttpHeaders.createOptimized("www-authenticate");

  /** {@code retry-after}. */
  public static final CharSequence RETRY_AFTER = HttpHeaders.createOptimized("retry-after");

  /** {@code cache-control}. */
  public static final CharSequence CACHE_CONTROL = HttpHeaders.createOptimized("cache-control");

  /** {@code no-store}. */
  public static final CharSequence NO_STORE = HttpHeaders.createOptimized("no-store");

  private static final CharSequence PRAGMA = HttpHeaders.createOptimized("pragma");
  private static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");

  private static final ConcurrentHashMap<String, byte[]> ERRORS = new ConcurrentHashMap<>();

  private Replies() {}

  /**
   * Sends {@code body} as JSON with {@code status}; does nothing when the client already went away
   * (a delayed reply to a closed connection is normal under injected latency).
   */
  public static void json(HttpServerResponse response, int status, byte[] body) {
    if (response.closed() || response.ended()) {
      return;
    }
    response.setStatusCode(status);
    response.headers().set(CONTENT_TYPE, APPLICATION_JSON);
    response.end(Buffer.buffer(body));
  }

  /** The API's error body {@code {"error":code,"message":message}}, cached by content. */
  public static byte[] error(String code, String message) {
    return ERRORS.computeIfAbsent(
        code + '\n' + message,
        k -> {
          var node = Json.object();
          node.put("error", code);
          node.put("message", message);
          return Json.bytes(node);
        });
  }

  /**
   * An OAuth error body {@code
   * {"error":code,"error_description":description,"message":description}} (RFC 6749 section 5.2,
   * RFC 6750 section 3; {@code message} as in the API's other errors), cached by content: only for
   * fixed descriptions.
   */
  public static byte[] oauthError(String code, String description) {
    return ERRORS.computeIfAbsent(
        "oauth\n" + code + '\n' + description,
        k -> {
          var node = Json.object();
          node.put("error", code);
          node.put("error_description", description);
          node.put("message", description);
          return Json.bytes(node);
        });
  }

  /**
   * Sends an OAuth error {@code {"error":code,"error_description":description}} with {@code
   * Cache-Control: no-store} and {@code Pragma: no-cache}. The description must not carry secrets.
   */
  public static void oauthError(
      HttpServerResponse response, int status, String code, String description) {
    var node = Json.object();
    node.put("error", code);
    if (description != null) {
      node.put("error_description", description);
    }
    noStore(response);
    json(response, status, Json.bytes(node));
  }

  /** Sets {@code Cache-Control: no-store} and {@code Pragma: no-cache} (RFC 6749 section 5.1). */
  public static HttpServerResponse noStore(HttpServerResponse response) {
    if (!response.headWritten()) {
      response.putHeader(CACHE_CONTROL, NO_STORE).putHeader(PRAGMA, NO_CACHE);
    }
    return response;
  }

  /** An error body that is not cached (for messages that carry request data). */
  public static byte[] errorUncached(String code, String message) {
    var node = Json.object();
    node.put("error", code);
    node.put("message", message);
    return Json.bytes(node);
  }
}
