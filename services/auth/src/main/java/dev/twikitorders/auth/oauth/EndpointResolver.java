package dev.twikitorders.auth.oauth;

import dev.twikitorders.auth.AuthEvents;
import dev.twikitorders.auth.TokenEndpoint;
import dev.twikitorders.auth.http.AuthHttp;
import java.net.URI;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * The token endpoint of a {@link TokenManager}: the configured URL, or the {@code token_endpoint}
 * of the issuer's metadata ({@link Discovery}), fetched lazily by the first step that needs it and
 * kept from then on. A failed discovery is not kept: the next step tries again.
 *
 * <p>Thread-safety: thread-safe; concurrent resolutions (which the single-flight manager avoids)
 * would both fetch and both be right.
 */
final class EndpointResolver {

  private final TokenEndpoint endpoint;
  private final AuthHttp http;
  private final AuthEvents events;
  private final Clock clock;
  private volatile URI resolved;

  EndpointResolver(TokenEndpoint endpoint, AuthHttp http, AuthEvents events, Clock clock) {
    this.endpoint = endpoint;
    this.http = http;
    this.events = events;
    this.clock = clock;
    this.resolved = endpoint.tokenUrl().orElse(null);
  }

  /** The token endpoint; fails with a {@link StepException} when discovery fails. */
  CompletableFuture<URI> resolve() {
    URI known = resolved;
    if (known != null) {
      return CompletableFuture.completedFuture(known);
    }
    URI issuer = endpoint.issuer().orElseThrow();
    return Discovery.resolveStep(issuer, http, events, clock)
        .thenApply(
            metadata -> {
              URI token = metadata.getTokenEndpointURI();
              resolved = token;
              return token;
            });
  }

  /** The token URL when known, else the issuer to discover it from. */
  String describe() {
    URI known = resolved;
    return known != null
        ? known.toString()
        : "(to be discovered from issuer " + endpoint.issuer().orElseThrow() + ")";
  }
}
