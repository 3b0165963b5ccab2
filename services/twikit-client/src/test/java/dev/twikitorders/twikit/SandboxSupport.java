package dev.twikitorders.twikit;

import dev.twikitorders.auth.Secret;
import dev.twikitorders.sandbox.SandboxConfig;
import dev.twikitorders.sandbox.TwikitSandbox;
import java.time.Duration;
import java.util.UUID;

/** Starts sandboxes and builds client configs against them. */
public final class SandboxSupport {

  public static final String CLIENT_ID = "demo";
  public static final String CLIENT_SECRET = "demo-secret-7f3a9c";

  private SandboxSupport() {}

  public static TwikitSandbox start() {
    return TwikitSandbox.start(
        SandboxConfig.builder()
            .port(0)
            .clientId(CLIENT_ID)
            .clientSecret(CLIENT_SECRET)
            .latency(Duration.ZERO)
            .tokenTtl(Duration.ofHours(1))
            .build());
  }

  /** A config with short timeouts and fast backoff, so failure tests stay quick. */
  public static TwikitClientConfig.Builder config(TwikitSandbox sb) {
    return TwikitClientConfig.builder()
        .apiUrl(sb.apiUrl())
        .tokenUrl(sb.tokenUrl())
        .clientId(CLIENT_ID)
        .clientSecret(Secret.of(CLIENT_SECRET))
        .connectTimeout(Duration.ofSeconds(2))
        .responseTimeout(Duration.ofSeconds(5))
        .retryPolicy(RetryPolicy.DEFAULT.withBackoff(Duration.ofMillis(5), Duration.ofMillis(50)));
  }

  /**
   * A configuration id the sandbox knows (any canonical UUID not starting with 00000000 or dead).
   */
  public static String knownId() {
    String id = UUID.randomUUID().toString();
    return id.startsWith("0") || id.startsWith("d") ? "1" + id.substring(1) : id;
  }

  /** An id the sandbox answers 404 for. */
  public static String unknownId() {
    return "00000000" + UUID.randomUUID().toString().substring(8);
  }

  /** An id the sandbox reports as incompatible. */
  public static String incompatibleId() {
    return "dead" + UUID.randomUUID().toString().substring(4);
  }
}
