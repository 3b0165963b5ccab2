package dev.twikitorders.sandbox;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the tests that share one sandbox with the default configuration per test class, an HTTP
 * helper and a valid token. Test classes run one after another (no parallel execution), so the
 * static fields belong to the class running now.
 */
abstract class DefaultSandboxTest {
  static final String ID = "5f0c1a0e-8a3b-4c1e-9d2f-0a1b2c3d4e5f";
  static TwikitSandbox sb;
  static SandboxHttp http;
  static String token;

  @BeforeAll
  static void start() {
    sb = TwikitSandbox.start(SandboxConfig.builder().build());
    http = new SandboxHttp(sb);
    token = http.token();
  }

  @AfterAll
  static void stop() {
    sb.close();
  }
}
