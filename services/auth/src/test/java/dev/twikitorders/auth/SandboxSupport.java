package dev.twikitorders.auth;

import dev.twikitorders.auth.http.JdkAuthHttp;
import dev.twikitorders.sandbox.SandboxConfig;
import dev.twikitorders.sandbox.TwikitSandbox;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;

/** Starts sandboxes for the auth tests. */
public final class SandboxSupport {

  public static final String CLIENT_ID = "demo";
  public static final String CLIENT_SECRET = "demo-secret-5be1a2";

  private SandboxSupport() {}

  public static TwikitSandbox start() {
    return start(b -> b);
  }

  public static TwikitSandbox start(UnaryOperator<SandboxConfig.Builder> more) {
    return TwikitSandbox.start(
        more.apply(
                SandboxConfig.builder()
                    .port(0)
                    .clientId(CLIENT_ID)
                    .clientSecret(CLIENT_SECRET)
                    .latency(Duration.ZERO)
                    .tokenTtl(Duration.ofHours(1)))
            .build());
  }

  public static JdkAuthHttp http(SSLContext tls) {
    return new JdkAuthHttp(tls, Duration.ofSeconds(2), Duration.ofSeconds(10), 1_000_000);
  }

  /** An API URL that needs credentials: the summary of a configuration the sandbox knows. */
  public static URI protectedUrl(TwikitSandbox sb) {
    String id = UUID.randomUUID().toString();
    id = id.startsWith("0") || id.startsWith("d") ? "1" + id.substring(1) : id;
    return URI.create(sb.apiUrl() + "/configurations/" + id + "/summary");
  }
}
