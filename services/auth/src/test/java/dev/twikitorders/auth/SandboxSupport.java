package dev.twikitorders.auth;

import dev.twikitorders.auth.http.JdkAuthHttp;
import dev.twikitorders.sandbox.SandboxConfig;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.testpki.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;

/**
 * Starts sandboxes for the auth tests: over HTTPS (a server certificate from one {@link TestPki}
 * per test JVM), so every scheme is tested on the link it runs on in production; {@link #https()}
 * and {@link #browser()} trust that CA.
 */
public final class SandboxSupport {

  public static final String CLIENT_ID = "demo";
  public static final String CLIENT_SECRET = "demo-secret-5be1a2";

  private static TestPki pki;

  private SandboxSupport() {}

  /** The test JVM's PKI (created on first use in a temporary directory). */
  public static synchronized TestPki pki() {
    if (pki == null) {
      try {
        Path dir = Files.createTempDirectory("auth-test-pki");
        dir.toFile().deleteOnExit();
        pki = TestPki.create(dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return pki;
  }

  public static TwikitSandbox start() {
    return start(b -> b);
  }

  public static TwikitSandbox start(UnaryOperator<SandboxConfig.Builder> more) {
    TwikitSandbox sb =
        TwikitSandbox.start(
            more.apply(
                    SandboxConfig.builder()
                        .tls(pki().serverCertPem(), pki().serverKeyPem())
                        .port(0)
                        .clientId(CLIENT_ID)
                        .clientSecret(CLIENT_SECRET)
                        .latency(Duration.ZERO)
                        .tokenTtl(Duration.ofHours(1)))
                .build());
    if (!"https".equals(sb.apiUrl().getScheme())) {
      sb.close();
      throw new IllegalStateException("the auth tests run against the sandbox over HTTPS");
    }
    return sb;
  }

  /** A sender that trusts the sandbox's CA. */
  public static JdkAuthHttp https() {
    return http(pki().clientContext(false));
  }

  /** A browser that trusts the sandbox's CA. */
  public static Browser browser() {
    return new Browser(pki().clientContext(false));
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
