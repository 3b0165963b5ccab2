package dev.twikitorders.twikit.internal;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import dev.twikitorders.auth.http.AuthHttp;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.message.BasicHeader;

/**
 * The auth layer's requests (token, discovery) through the client's own {@link Transport}: the same
 * connection pool, TLS settings, timeouts and deadline, the same size limit (a larger body fails
 * with {@link AuthHttp.ResponseTooLargeException}) and no redirects. The Authorization header of a
 * token request (client_secret_basic) is a {@link MaskedHeader}, so HttpClient's header log shows
 * {@code Basic ****} only.
 *
 * <p>Thread-safety: thread-safe.
 */
final class TransportAuthHttp implements AuthHttp {

  private final Transport transport;
  private final int maxResponseBytes;

  TransportAuthHttp(Transport transport, int maxResponseBytes) {
    this.transport = transport;
    this.maxResponseBytes = maxResponseBytes;
  }

  @Override
  public CompletableFuture<HTTPResponse> send(HTTPRequest request) {
    SimpleHttpRequest http =
        SimpleHttpRequest.create(
            Method.normalizedValueOf(request.getMethod().name()), request.getURI());
    String contentType = null;
    for (Map.Entry<String, List<String>> h : request.getHeaderMap().entrySet()) {
      for (String v : h.getValue()) {
        if (h.getKey().equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)) {
          contentType = v; // set with the body below
        } else if (h.getKey().equalsIgnoreCase(HttpHeaders.AUTHORIZATION)) {
          http.addHeader(new MaskedHeader(HttpHeaders.AUTHORIZATION, v));
        } else {
          http.addHeader(new BasicHeader(h.getKey(), v));
        }
      }
    }
    if (!http.containsHeader(HttpHeaders.ACCEPT)) {
      http.addHeader(HttpHeaders.ACCEPT, "application/json");
    }
    String body = request.getBody();
    if (body != null) {
      http.setBody(
          body.getBytes(StandardCharsets.UTF_8),
          contentType == null
              ? ContentType.APPLICATION_FORM_URLENCODED
              : ContentType.parse(contentType));
    }
    return transport
        .send(http)
        .handle(
            (response, error) -> {
              if (error != null) {
                Transport.ResponseTooLargeException tooLarge = Transport.tooLarge(error);
                if (tooLarge != null) {
                  throw new CompletionException(
                      new AuthHttp.ResponseTooLargeException(tooLarge.status(), maxResponseBytes));
                }
                throw error instanceof CompletionException c ? c : new CompletionException(error);
              }
              HTTPResponse nimbus = new HTTPResponse(response.getCode());
              for (Header h : response.getHeaders()) {
                nimbus.setHeader(h.getName(), h.getValue());
              }
              String text = response.getBodyText();
              nimbus.setBody(text == null ? "" : text);
              return nimbus;
            });
  }
}
