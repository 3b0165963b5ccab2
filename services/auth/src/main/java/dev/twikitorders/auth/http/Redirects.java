package dev.twikitorders.auth.http;

import java.net.URI;

/**
 * How a redirect that is not followed is reported, by every HTTP client of the project (token,
 * discovery and registration requests here, the API calls of the Twikit client).
 *
 * <p>Thread-safety: stateless.
 */
public final class Redirects {
  private Redirects() {}

  /**
   * Names the status and the Location's host only: the path and query of a redirect may carry
   * anything (a session id, the original URL).
   *
   * @param location the Location header, or null
   */
  public static String describe(int status, String location) {
    String where;
    if (location == null || location.isBlank()) {
      where = "without a Location";
    } else {
      String host;
      try {
        host = URI.create(location.trim()).getHost();
      } catch (IllegalArgumentException e) {
        host = null;
      }
      where =
          host == null
              ? "to a Location without a host (relative or unparsable)"
              : "to host '" + host + "'";
    }
    return "unexpected redirect HTTP "
        + status
        + " "
        + where
        + ", not followed: a proxy or the configured URL is wrong";
  }
}
