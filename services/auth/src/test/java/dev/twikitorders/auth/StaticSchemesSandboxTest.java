package dev.twikitorders.auth;

import static dev.twikitorders.auth.Tests.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.auth.http.JdkAuthHttp;
import dev.twikitorders.sandbox.TwikitSandbox;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The static schemes built by {@link Authenticators} against a sandbox that accepts an API key and
 * static headers: the right values pass, wrong ones get a 401 that no renewal can fix.
 */
class StaticSchemesSandboxTest {

  private static final String API_KEY = "twenty-key-6d0c1f";
  private static final String INSTANCE_KEY = "instance-key-41aa";
  private static final String AUTHENTICATION = "auth-value-93bd";

  private static TwikitSandbox sb;
  private static ScheduledExecutorService scheduler;
  private static JdkAuthHttp http;

  @BeforeAll
  static void start() {
    sb =
        SandboxSupport.start(
            b ->
                b.apiKey(API_KEY)
                    .staticHeader("TWN-InstanceKey", INSTANCE_KEY)
                    .staticHeader("TWN-Authentication", AUTHENTICATION));
    scheduler = Tests.scheduler();
    http = SandboxSupport.https();
  }

  @AfterAll
  static void stop() {
    http.close();
    scheduler.shutdownNow();
    sb.close();
  }

  private static Authenticator create(AuthSettings settings) {
    return Authenticators.create(settings, http, scheduler, AuthEvents.NOOP, Clock.systemUTC());
  }

  private static AuthSettings.StaticHeaders headers(String instanceKey, String authentication) {
    return new AuthSettings.StaticHeaders(
        List.of(
            new Credentials.Header("TWN-InstanceKey", Secret.of(instanceKey)),
            new Credentials.Header("TWN-Authentication", Secret.of(authentication))));
  }

  @Test
  void theRightApiKeyAndHeadersPassAndWrongOnesAreFinal() {
    URI url = SandboxSupport.protectedUrl(sb);
    try (Browser browser = SandboxSupport.browser();
        Authenticator key = create(new AuthSettings.ApiKey(Secret.of(API_KEY)));
        Authenticator wrongKey = create(new AuthSettings.ApiKey(Secret.of("not-the-key")));
        Authenticator hdrs = create(headers(INSTANCE_KEY, AUTHENTICATION));
        Authenticator wrongHdrs = create(headers(INSTANCE_KEY, "wrong-value"));
        Authenticator none = create(new AuthSettings.None())) {
      assertThat(browser.get(url, key.credentials().join())).isEqualTo(200);
      assertThat(browser.get(url, hdrs.credentials().join())).isEqualTo(200);
      for (Authenticator refused : List.of(wrongKey, wrongHdrs, none)) {
        Credentials c = refused.credentials().join();
        assertThat(browser.get(url, c)).isEqualTo(401);
        AuthException e = failure(refused.renewAfterRejection(c));
        assertThat(e.kind()).isEqualTo(AuthException.Kind.CREDENTIALS_REJECTED);
        assertThat(e.getMessage()).contains(refused.describe());
      }
      String shown = key.describe() + hdrs.describe() + key + hdrs + hdrs.credentials().join();
      assertThat(shown)
          .contains("TWN-InstanceKey", "TWN-Authentication")
          .doesNotContain(API_KEY, INSTANCE_KEY, AUTHENTICATION);
    }
  }
}
