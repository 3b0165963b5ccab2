package dev.twikitorders.auth.http;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Sends the auth layer's own requests (token, discovery, registration) through the caller's HTTP
 * client, so they share its TLS settings, timeouts and size limit. Nimbus builds and parses the
 * messages; this only moves them.
 *
 * <p>Contract: never follows redirects (a 3xx is returned as a response); completes with the
 * response whatever its status, or exceptionally with an {@link IOException} (a {@link
 * java.net.SocketTimeoutException} or {@link java.util.concurrent.TimeoutException} when no answer
 * came in time, a {@link ResponseTooLargeException} when the body is over the limit).
 * Implementations must never log the {@code Authorization} header or the body of a request.
 *
 * <p>Thread-safety: implementations are thread-safe and non-blocking.
 */
public interface AuthHttp {

  /** Sends {@code request}. */
  CompletableFuture<HTTPResponse> send(HTTPRequest request);

  /** The response body was larger than the client accepts; it was not read into memory. */
  final class ResponseTooLargeException extends IOException {
    private final int status;

    public ResponseTooLargeException(int status, long limit) {
      super("HTTP " + status + " response body larger than " + limit + " bytes");
      this.status = status;
    }

    /** The status of the oversized response. */
    public int status() {
      return status;
    }
  }
}
