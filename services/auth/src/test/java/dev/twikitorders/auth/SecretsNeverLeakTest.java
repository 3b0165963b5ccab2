package dev.twikitorders.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.client.ClientMetadata;
import dev.twikitorders.auth.http.JdkAuthHttp;
import dev.twikitorders.auth.oauth.ClientRegistrar;
import dev.twikitorders.auth.oauth.PkceLogin;
import dev.twikitorders.auth.oauth.RegisteredClient;
import dev.twikitorders.auth.store.FileRefreshTokenStore;
import dev.twikitorders.sandbox.TwikitSandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * No secret of any flow (client secrets, registration token, access and refresh tokens, the Basic
 * header) reaches a log line (every logger at DEBUG), an exception message or a toString().
 */
class SecretsNeverLeakTest {

  private static final String WRONG_SECRET = "wrong-secret-0be7aa";
  private static final String REGISTRATION_TOKEN = "registration-token-c4d5e6";

  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private Logger root;
  private Level rootLevel;
  private TwikitSandbox sb;
  private JdkAuthHttp http;
  private ScheduledExecutorService scheduler;
  private final MutableClock clock = MutableClock.ticking();
  private final List<String> texts = new ArrayList<>();
  private final List<String> secrets = new ArrayList<>();
  @TempDir Path dir;

  @BeforeEach
  void captureEverything() {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    rootLevel = root.getLevel();
    root.setLevel(Level.DEBUG);
    appender.setContext(ctx);
    appender.start();
    root.addAppender(appender);
    sb = SandboxSupport.start(b -> b.registrationToken(REGISTRATION_TOKEN));
    http = SandboxSupport.https();
    scheduler = Tests.scheduler();
  }

  @AfterEach
  void restore() {
    scheduler.shutdownNow();
    http.close();
    sb.close();
    root.detachAppender(appender);
    root.setLevel(rootLevel);
  }

  private Authenticator create(AuthSettings s) {
    texts.add(s.toString());
    Authenticator a = Authenticators.create(s, http, scheduler, AuthEvents.NOOP, clock);
    texts.add(a.toString() + " " + a.describe());
    return a;
  }

  private void failureText(Runnable r) {
    texts.add(Tests.messages(catchThrowable(r::run)));
  }

  private void keep(Tokens t) {
    texts.add(t.toString());
    secrets.add(t.accessToken().revealAsString());
    if (t.refreshToken() != null) {
      secrets.add(t.refreshToken().revealAsString());
    }
  }

  @Test
  void noSecretAnywhere() throws Exception {
    Secret good = Secret.of(SandboxSupport.CLIENT_SECRET);
    for (ClientAuthMethod m : ClientAuthMethod.values()) {
      for (Secret s : List.of(good, Secret.of(WRONG_SECRET))) {
        try (Authenticator a =
            create(
                new AuthSettings.ClientCredentials(
                    TokenEndpoint.discover(sb.issuerUrl()),
                    SandboxSupport.CLIENT_ID,
                    s,
                    m,
                    null))) {
          if (s == good) {
            Credentials c = a.credentials().join();
            texts.add(c.toString());
            secrets.add(c.headers().get(0).value().revealAsString());
            failureText(() -> a.renewAfterRejection(c).join());
          } else {
            failureText(() -> a.credentials().join());
            failureText(() -> a.credentials().join()); // failing fast
          }
        }
      }
    }

    // registration: refused without the token, then registered; the file and its reading
    ClientMetadata metadata = new ClientMetadata();
    metadata.setRedirectionURI(java.net.URI.create("http://127.0.0.1/callback"));
    metadata.setGrantTypes(Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN));
    metadata.setTokenEndpointAuthMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST);
    failureText(() -> ClientRegistrar.register(sb.registrationUrl(), metadata, null, http).join());
    RegisteredClient client =
        ClientRegistrar.register(
                sb.registrationUrl(), metadata, Secret.of(REGISTRATION_TOKEN), http)
            .join();
    secrets.add(client.clientSecret().revealAsString());
    texts.add(client.toString());
    Path clientFile = dir.resolve("client.json");
    client.writeTo(clientFile);
    failureText(() -> client.writeTo(clientFile));
    texts.add(RegisteredClient.readFrom(clientFile).toString());

    // login with the registered client, a failed one, then refreshes and a reuse
    var request =
        new PkceLogin.Request(
            sb.authorizationUrl(),
            sb.tokenUrl(),
            client.clientId(),
            client.clientSecret(),
            ClientAuthMethod.CLIENT_SECRET_POST,
            null,
            List.of("S256"),
            0,
            null);
    texts.add(request.toString());
    Path store = dir.resolve("refresh.json");
    try (Browser browser = SandboxSupport.browser();
        PkceLogin login = PkceLogin.start(request, http);
        PkceLogin forged = PkceLogin.start(request, http);
        FileRefreshTokenStore files = new FileRefreshTokenStore(store)) {
      texts.add(login.toString());
      browser.follow(login.authorizationUrl());
      Tokens tokens = login.result().join();
      keep(tokens);
      files.save(tokens, sb.tokenUrl(), client.clientId());
      texts.add(files.read().toString());
      browser.open(java.net.URI.create(forged.redirectUri() + "?code=x&state=y"));
      failureText(() -> forged.result().join());
    }
    Path copy = dir.resolve("copy.json");
    Files.copy(store, copy);
    var settings =
        new AuthSettings.RefreshToken(
            TokenEndpoint.at(sb.tokenUrl()),
            client.clientId(),
            client.clientSecret(),
            ClientAuthMethod.CLIENT_SECRET_POST,
            store);
    try (Authenticator a = create(settings);
        Authenticator other =
            create(
                new AuthSettings.RefreshToken(
                    settings.endpoint(),
                    settings.clientId(),
                    settings.clientSecret(),
                    settings.method(),
                    copy))) {
      clock.advance(Duration.ofHours(2));
      Credentials c = a.credentials().join();
      secrets.add(c.headers().get(0).value().revealAsString());
      secrets.add(new String(Files.readAllBytes(store), StandardCharsets.UTF_8).split("\"")[3]);
      failureText(() -> other.credentials().join()); // reuse of the login's refresh token
    }

    for (ILoggingEvent e : appender.list) {
      texts.add(e.getLoggerName() + " " + e.getFormattedMessage() + " " + throwableText(e));
    }
    assertThat(appender.list).isNotEmpty();
    assertThat(texts).anySatisfy(t -> assertThat(t).contains("invalid_grant", "auth login"));
    List<String> basic = new ArrayList<>();
    for (String s : List.of(SandboxSupport.CLIENT_SECRET, WRONG_SECRET)) {
      basic.add(
          Base64.getEncoder()
              .encodeToString(
                  (SandboxSupport.CLIENT_ID + ":" + s).getBytes(StandardCharsets.UTF_8)));
    }
    for (String t : texts) {
      assertThat(t)
          .doesNotContain(SandboxSupport.CLIENT_SECRET, WRONG_SECRET, REGISTRATION_TOKEN)
          .doesNotContain(basic)
          .doesNotContain("eyJ"); // every JWT access token starts with a base64url '{"'
      for (String s : secrets) {
        assertThat(t).doesNotContain(s);
      }
    }
  }

  private static String throwableText(ILoggingEvent e) {
    StringBuilder sb = new StringBuilder();
    for (IThrowableProxy c = e.getThrowableProxy(); c != null; c = c.getCause()) {
      sb.append(c.getClassName()).append(": ").append(c.getMessage()).append('\n');
    }
    return sb.toString();
  }
}
