package dev.twikitorders.auth.http;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import java.io.ByteArrayOutputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLContext;

/**
 * An {@link AuthHttp} on the JDK's {@link HttpClient}, for the CLI commands and for clients that
 * have no HTTP client of their own. Redirects are never followed (a 3xx is returned as it is); each
 * request has the response timeout (a {@link SocketTimeoutException} when it passes); a body over
 * {@code maxResponseBytes} fails with {@link AuthHttp.ResponseTooLargeException} without being read
 * into memory whole. Nothing is logged here; the JDK's own client log ({@code
 * -Djdk.httpclient.HttpClient.log}) prints headers and must stay off where tokens flow.
 *
 * <p>Thread-safety: thread-safe; {@link #close()} closes the client.
 */
public final class JdkAuthHttp implements AuthHttp, AutoCloseable {

  /** Headers the JDK client sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  private final HttpClient client;
  private final Duration responseTimeout;
  private final long maxResponseBytes;

  /**
   * @param sslContext trust (and client certificate) for https, null for the JVM default
   * @param connectTimeout TCP and TLS connect timeout
   * @param responseTimeout longest wait for a complete response
   * @param maxResponseBytes largest body accepted
   */
  public JdkAuthHttp(
      SSLContext sslContext,
      Duration connectTimeout,
      Duration responseTimeout,
      long maxResponseBytes) {
    positive(connectTimeout, "connectTimeout");
    positive(responseTimeout, "responseTimeout");
    if (maxResponseBytes < 1) {
      throw new IllegalArgumentException("maxResponseBytes must be >= 1, was " + maxResponseBytes);
    }
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(connectTimeout)
            .version(HttpClient.Version.HTTP_1_1);
    if (sslContext != null) {
      b.sslContext(sslContext);
    }
    this.client = b.build();
    this.responseTimeout = responseTimeout;
    this.maxResponseBytes = maxResponseBytes;
  }

  @Override
  public CompletableFuture<HTTPResponse> send(HTTPRequest request) {
    HttpRequest jdk;
    try {
      jdk = toJdk(request);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return client
        .sendAsync(jdk, info -> new BoundedBody(info.statusCode(), info, maxResponseBytes))
        .handle(
            (response, error) -> {
              if (error != null) {
                Throwable t = error.getCause() != null ? error.getCause() : error;
                if (t instanceof HttpTimeoutException timeout) {
                  SocketTimeoutException s = new SocketTimeoutException(timeout.getMessage());
                  s.initCause(timeout);
                  throw new java.util.concurrent.CompletionException(s);
                }
                throw error instanceof java.util.concurrent.CompletionException c
                    ? c
                    : new java.util.concurrent.CompletionException(error);
              }
              return toNimbus(response);
            });
  }

  private HttpRequest toJdk(HTTPRequest request) {
    URI uri = request.getURI();
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(responseTimeout);
    for (Map.Entry<String, List<String>> h : request.getHeaderMap().entrySet()) {
      if (RESTRICTED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        continue;
      }
      for (String v : h.getValue()) {
        b.header(h.getKey(), v);
      }
    }
    String body = request.getBody();
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
    return b.method(request.getMethod().name(), publisher).build();
  }

  private static HTTPResponse toNimbus(HttpResponse<byte[]> response) {
    HTTPResponse r = new HTTPResponse(response.statusCode());
    for (Map.Entry<String, List<String>> h : response.headers().map().entrySet()) {
      if (h.getKey().startsWith(":")) {
        continue; // HTTP/2 pseudo headers
      }
      r.setHeader(canonical(h.getKey()), h.getValue().toArray(String[]::new));
    }
    r.setBody(new String(response.body(), StandardCharsets.UTF_8));
    return r;
  }

  /** {@code content-type} as {@code Content-Type}: Nimbus looks some headers up by exact name. */
  private static String canonical(String name) {
    StringBuilder sb = new StringBuilder(name.length());
    boolean upper = true;
    for (char c : name.toCharArray()) {
      sb.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
      upper = c == '-';
    }
    return sb.toString();
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }

  @Override
  public void close() {
    client.close();
  }

  /** Reads at most {@code limit} bytes; refuses a larger Content-Length before reading. */
  private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int status;
    private final long limit;
    private final long contentLength;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    BoundedBody(int status, HttpResponse.ResponseInfo info, long limit) {
      this.status = status;
      this.limit = limit;
      this.contentLength = info.headers().firstValueAsLong("Content-Length").orElse(-1);
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      this.subscription = s;
      if (contentLength > limit) {
        s.cancel();
        result.completeExceptionally(new ResponseTooLargeException(status, limit));
        return;
      }
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer b : items) {
        if (out.size() + (long) b.remaining() > limit) {
          subscription.cancel();
          result.completeExceptionally(new ResponseTooLargeException(status, limit));
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        out.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(out.toByteArray());
    }
  }

  @Override
  public String toString() {
    return "JdkAuthHttp[responseTimeout="
        + responseTimeout
        + ", maxResponseBytes="
        + maxResponseBytes
        + "]";
  }
}
