package dev.twikitorders.sandbox.auth;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.net.URI;

/**
 * The authorization server's URLs: the issuer (the sandbox's base URL, {@code http(s)://host:port},
 * no trailing slash) and the endpoints under it.
 *
 * <p>The base is known once the server is bound ({@link #bind(URI)}). When the sandbox listens on
 * every interface ({@code 0.0.0.0} or {@code ::}), or before it is bound, the base comes from the
 * request instead (its scheme and {@code Host}), so discovery in a container gives the address the
 * client used.
 *
 * <p>Thread-safe: the bound base is a volatile field written once at start.
 */
public final class ServerUrls {
  /** The token endpoint's path. */
  public static final String TOKEN_PATH = "/oauth2/token";

  /** The authorization endpoint's path. */
  public static final String AUTHORIZE_PATH = "/oauth2/authorize";

  /** The registration endpoint's path. */
  public static final String REGISTER_PATH = "/oauth2/register";

  /** RFC 8414 section 3: the metadata path of an issuer without a path. */
  public static final String OAUTH_METADATA_PATH = "/.well-known/oauth-authorization-server";

  /** OpenID Connect Discovery 1.0 section 4. */
  public static final String OPENID_METADATA_PATH = "/.well-known/openid-configuration";

  private final boolean wildcard;
  private final boolean tls;
  private volatile URI bound;

  /**
   * @param host the interface the sandbox binds
   * @param tls whether it serves HTTPS
   */
  public ServerUrls(String host, boolean tls) {
    this.wildcard = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    this.tls = tls;
  }

  /** Sets the base URL once the server is bound. */
  public void bind(URI base) {
    this.bound = base;
  }

  /** The issuer (base URL) as seen by this request. */
  public URI issuer(HttpServerRequest req) {
    URI b = bound;
    if (b != null && !wildcard) {
      return b;
    }
    HostAndPort authority = req.authority();
    if (authority == null) {
      return b != null ? b : URI.create((tls ? "https" : "http") + "://127.0.0.1");
    }
    String host = authority.host();
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return URI.create(
        (tls ? "https" : "http")
            + "://"
            + host
            + (authority.port() > 0 ? ":" + authority.port() : ""));
  }

  /** {@code issuer + path}. */
  public URI endpoint(HttpServerRequest req, String path) {
    return URI.create(issuer(req) + path);
  }
}
