package dev.twikitorders.twikit;

import dev.twikitorders.twikit.internal.DefaultTwikitClient;

/**
 * Entry point: creates {@link TwikitApi} instances.
 *
 * <pre>{@code
 * try (TwikitApi twikit = TwikitClient.create(TwikitClientConfig.builder()
 *     .apiUrl("https://api.example.com")
 *     .tokenUrl("https://idp.example.com/oauth2/token")
 *     .clientId("order-pipeline")
 *     .clientSecret(Secret.of(System.getenv("TWIKIT_CLIENT_SECRET")))
 *     .build())) {
 *   Compatibility c = twikit.compatibility(id).join();
 * }
 * }</pre>
 *
 * <p>Thread-safety: stateless and thread-safe.
 */
public final class TwikitClient {

  private TwikitClient() {}

  /**
   * Creates a client and starts its I/O threads. No network traffic happens until the first call:
   * the first access token is fetched lazily.
   *
   * @throws dev.twikitorders.auth.tls.TlsMaterialException when the configured TLS material ({@link
   *     TwikitClientConfig#tls()}) cannot be used; the message names the file and the problem
   */
  public static TwikitApi create(TwikitClientConfig config) {
    return new DefaultTwikitClient(config);
  }
}
