package dev.twikitorders.auth;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * Plays the user's browser in login tests: opens a URL and follows redirects itself (so a test can
 * stop after the authorization server's answer and look at it), like a browser would to the
 * loopback redirect URI. A real HTTP client, no fake.
 */
public final class Browser implements AutoCloseable {

  /** One page: its status, its Location (for redirects) and body. */
  public record Page(int status, URI location, String body) {}

  private final HttpClient client;

  public Browser() {
    this(null);
  }

  public Browser(SSLContext tls) {
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5));
    if (tls != null) {
      b.sslContext(tls);
    }
    client = b.build();
  }

  /** GETs {@code url} without following a redirect. */
  public Page open(URI url) {
    try {
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      URI location = r.headers().firstValue("Location").map(URI::create).orElse(null);
      return new Page(r.statusCode(), location, r.body());
    } catch (IOException e) {
      throw new IllegalStateException("cannot open " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** GETs {@code url} and follows redirects (at most 5); the last page. */
  public Page follow(URI url) {
    Page p = open(url);
    for (int i = 0; i < 5 && p.status() / 100 == 3 && p.location() != null; i++) {
      p = open(p.location());
    }
    return p;
  }

  /** A GET of an API path with the given headers; the status. */
  public int get(URI url, Credentials credentials) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET();
      for (Credentials.Header h : credentials.headers()) {
        b.header(h.name(), h.value().revealAsString());
      }
      return client.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new IllegalStateException("cannot open " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
