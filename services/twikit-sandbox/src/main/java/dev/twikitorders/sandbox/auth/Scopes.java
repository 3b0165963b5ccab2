package dev.twikitorders.sandbox.auth;

import java.util.Set;

/** The OAuth 2.0 scopes of the Twikit API (RFC 6749 section 3.3). */
public final class Scopes {
  /** Reads configurations (all GETs under {@code /configurations}). */
  public static final String READ = "configurations/configurations.read";

  /** Updates configurations (POSTs under {@code /configurations}). */
  public static final String WRITE = "configurations/configurations.write";

  /** Both scopes: the default set a sandbox client may ask for. */
  public static final Set<String> ALL = Set.of(READ, WRITE);

  private Scopes() {}
}
