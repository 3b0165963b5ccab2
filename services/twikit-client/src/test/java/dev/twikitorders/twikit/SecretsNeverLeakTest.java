package dev.twikitorders.twikit;

import static dev.twikitorders.twikit.SandboxSupport.CLIENT_SECRET;
import static dev.twikitorders.twikit.SandboxSupport.config;
import static dev.twikitorders.twikit.SandboxSupport.knownId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.twikitorders.auth.AuthSettings;
import dev.twikitorders.auth.ClientAuthMethod;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.TokenEndpoint;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.sandbox.api.Operation;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Invariant 5: the client secret, access and refresh tokens, API keys and static header values
 * appear in no log line (every logger at DEBUG, HttpClient's header log included), exception
 * message, toString() or metric tag.
 */
class SecretsNeverLeakTest {

  private static final String WRONG_SECRET = "wrong-secret-c0ffee77";

  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private Logger root;
  private Level rootLevel;
  private TwikitSandbox sb;

  @BeforeEach
  void captureEverything() {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    rootLevel = root.getLevel();
    root.setLevel(Level.DEBUG);
    ctx.getLoggerList()
        .forEach(
            l -> {
              if (l.getLevel() != null && l != root) {
                l.setLevel(Level.DEBUG);
              }
            });
    appender.setContext(ctx);
    appender.start();
    root.addAppender(appender);
    sb = SandboxSupport.start();
  }

  @AfterEach
  void restore() {
    sb.close();
    root.detachAppender(appender);
    root.setLevel(rootLevel);
  }

  @Test
  void noSecretOrTokenAnywhere() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<String> texts = new ArrayList<>();
    TwikitClientConfig good =
        config(sb)
            .meterRegistry(registry)
            .retryPolicy(
                RetryPolicy.DEFAULT
                    .withMaxAttempts(2)
                    .withBackoff(Duration.ofMillis(1), Duration.ofMillis(2)))
            .build();
    try (TwikitApi api = TwikitClient.create(good)) {
      texts.add(api.toString());
      texts.add(good.toString());
      String id = knownId();
      // 401 path: expired tokens, renewal, retry, UNAUTHORIZED; then a stale token renewed and
      // retried
      sb.setTokenTtl(Duration.ZERO);
      texts.add(messages(catchThrowable(() -> api.filtered(id).join())));
      sb.setTokenTtl(Duration.ofHours(1));
      api.filtered(id).join();
      api.summary(id).join();
      api.update(id, dev.twikitorders.twikit.model.ConfigurationUpdate.linkToOrder(id, "order-9"))
          .join();
      // retries and failures
      sb.updateFaults(f -> f.retryAfter(Duration.ZERO));
      sb.failNext(2, 503, Operation.COMPATIBILITY);
      texts.add(messages(catchThrowable(() -> api.compatibility(id).join())));
      texts.add(messages(catchThrowable(() -> api.summary(SandboxSupport.unknownId()).join())));
    }
    try (TwikitApi api =
        TwikitClient.create(
            config(sb)
                .meterRegistry(registry)
                .authMethod(ClientAuthMethod.CLIENT_SECRET_POST)
                .build())) {
      api.parameters(knownId()).join();
    }
    try (TwikitApi api =
        TwikitClient.create(config(sb).clientSecret(Secret.of(WRONG_SECRET)).build())) {
      texts.add(messages(catchThrowable(() -> api.summary(knownId()).join())));
    }
    assertThat(sb.counters().tokensIssued()).isGreaterThanOrEqualTo(4);

    for (ILoggingEvent e : appender.list) {
      texts.add(
          e.getLoggerName()
              + " "
              + e.getFormattedMessage()
              + " "
              + throwableText(e.getThrowableProxy()));
    }
    for (Meter m : registry.getMeters()) {
      texts.add(
          m.getId().getName()
              + m.getId().getTags().stream().map(Tag::getValue).collect(Collectors.joining(",")));
    }
    assertThat(appender.list).isNotEmpty();
    assertThat(appender.list)
        .anySatisfy(
            e -> assertThat(e.getLoggerName()).startsWith("org.apache.hc.client5.http.headers"));

    String basicGood =
        Base64.getEncoder()
            .encodeToString(("demo:" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
    String basicWrong =
        Base64.getEncoder()
            .encodeToString(("demo:" + WRONG_SECRET).getBytes(StandardCharsets.UTF_8));
    for (String t : texts) {
      assertThat(t)
          .doesNotContain(CLIENT_SECRET)
          .doesNotContain(WRONG_SECRET)
          .doesNotContain(basicGood)
          .doesNotContain(basicWrong)
          .doesNotContain("eyJ"); // every JWT access token starts with a base64url '{"'
    }
  }

  @Test
  void noApiKeyHeaderValueOrRefreshTokenAnywhere(@TempDir Path dir) throws Exception {
    List<String> texts = new ArrayList<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (TwikitSandbox all = AuthSchemesTest.start()) {
      Path store = AuthSchemesTest.login(all, dir.resolve("refresh.json"));
      String loginRefreshToken = storedRefreshToken(store);
      MutableClock clock = MutableClock.ticking();
      List<AuthSettings> schemes =
          List.of(
              new AuthSettings.ApiKey(Secret.of(AuthSchemesTest.API_KEY)),
              new AuthSettings.ApiKey(Secret.of(WRONG_SECRET)),
              AuthSchemesTest.headers(AuthSchemesTest.INSTANCE_KEY, AuthSchemesTest.AUTHENTICATION),
              AuthSchemesTest.headers(AuthSchemesTest.INSTANCE_KEY, WRONG_SECRET),
              new AuthSettings.RefreshToken(
                  TokenEndpoint.discover(all.issuerUrl()),
                  "demo",
                  Secret.of(CLIENT_SECRET),
                  ClientAuthMethod.CLIENT_SECRET_POST,
                  store));
      for (AuthSettings auth : schemes) {
        TwikitClientConfig c =
            AuthSchemesTest.with(all, auth).clock(clock).meterRegistry(registry).build();
        texts.add(c.toString());
        try (TwikitApi api = TwikitClient.create(c)) {
          texts.add(api.toString());
          texts.add(messages(catchThrowable(() -> api.summary(knownId()).join())));
          clock.advance(Duration.ofHours(2)); // the refresh token scheme refreshes
          texts.add(messages(catchThrowable(() -> api.filtered(knownId()).join())));
        }
      }
      assertThat(all.counters().refreshes()).isEqualTo(2); // the clock ran past both tokens
      String rotated = storedRefreshToken(store);
      assertThat(rotated).isNotEqualTo(loginRefreshToken);
      for (ILoggingEvent e : appender.list) {
        texts.add(
            e.getLoggerName()
                + " "
                + e.getFormattedMessage()
                + " "
                + throwableText(e.getThrowableProxy()));
      }
      for (Meter m : registry.getMeters()) {
        texts.add(
            m.getId().getName()
                + m.getId().getTags().stream().map(Tag::getValue).collect(Collectors.joining(",")));
      }
      assertThat(appender.list)
          .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("TWN-InstanceKey: ****"));
      for (String t : texts) {
        assertThat(t)
            .doesNotContain(AuthSchemesTest.API_KEY)
            .doesNotContain(AuthSchemesTest.INSTANCE_KEY)
            .doesNotContain(AuthSchemesTest.AUTHENTICATION)
            .doesNotContain(WRONG_SECRET)
            .doesNotContain(CLIENT_SECRET)
            .doesNotContain(loginRefreshToken)
            .doesNotContain(rotated)
            .doesNotContain("eyJ");
      }
    }
  }

  private static String storedRefreshToken(Path store) throws java.io.IOException {
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(java.nio.file.Files.readAllBytes(store))
        .get("refresh_token")
        .asText();
  }

  private static String messages(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c).append('\n');
    }
    return sb.toString();
  }

  private static String throwableText(IThrowableProxy p) {
    StringBuilder sb = new StringBuilder();
    for (IThrowableProxy c = p; c != null; c = c.getCause()) {
      sb.append(c.getClassName()).append(": ").append(c.getMessage()).append('\n');
    }
    return sb.toString();
  }
}
