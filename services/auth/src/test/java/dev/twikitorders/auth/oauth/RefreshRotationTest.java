package dev.twikitorders.auth.oauth;

import static dev.twikitorders.auth.Tests.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twikitorders.auth.AuthEvents;
import dev.twikitorders.auth.AuthException;
import dev.twikitorders.auth.AuthException.Kind;
import dev.twikitorders.auth.AuthSettings;
import dev.twikitorders.auth.Authenticator;
import dev.twikitorders.auth.Authenticators;
import dev.twikitorders.auth.Browser;
import dev.twikitorders.auth.ClientAuthMethod;
import dev.twikitorders.auth.Credentials;
import dev.twikitorders.auth.MutableClock;
import dev.twikitorders.auth.SandboxSupport;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.Tests;
import dev.twikitorders.auth.TokenEndpoint;
import dev.twikitorders.auth.http.JdkAuthHttp;
import dev.twikitorders.auth.store.FileRefreshTokenStore;
import dev.twikitorders.auth.store.SecureFiles;
import dev.twikitorders.sandbox.TwikitSandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The refresh token grant with rotation against the sandbox, which rotates on every refresh and
 * revokes the whole login when a used refresh token comes back: tokens from a real PKCE login, a
 * store file shared by several authenticators (as by several instances on a shared volume).
 */
class RefreshRotationTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static TwikitSandbox sb;
  private static ScheduledExecutorService scheduler;
  private JdkAuthHttp http;
  private Browser browser;
  private final MutableClock clock = MutableClock.ticking();
  private final List<Authenticator> open = new ArrayList<>();
  private final List<String> outcomes = new CopyOnWriteArrayList<>();
  @TempDir Path dir;

  @BeforeAll
  static void startSandbox() {
    sb = SandboxSupport.start();
    scheduler = Tests.scheduler();
  }

  @AfterAll
  static void stopSandbox() {
    scheduler.shutdownNow();
    sb.close();
  }

  @BeforeEach
  void reset() {
    sb.reset();
    http = SandboxSupport.https();
    browser = SandboxSupport.browser();
  }

  @AfterEach
  void close() {
    open.forEach(Authenticator::close);
    browser.close();
    http.close();
  }

  /** Logs in through the sandbox (PKCE, the test user approves) and stores the tokens. */
  private Path login(String name) {
    var request =
        new PkceLogin.Request(
            sb.authorizationUrl(),
            sb.tokenUrl(),
            SandboxSupport.CLIENT_ID,
            Secret.of(SandboxSupport.CLIENT_SECRET),
            ClientAuthMethod.CLIENT_SECRET_BASIC,
            null,
            List.of("S256"),
            0,
            null);
    Path file = dir.resolve(name);
    try (PkceLogin login = PkceLogin.start(request, http);
        FileRefreshTokenStore store = new FileRefreshTokenStore(file)) {
      browser.follow(login.authorizationUrl());
      store.save(login.result().join(), sb.tokenUrl(), SandboxSupport.CLIENT_ID);
    }
    return file;
  }

  private Authenticator authenticator(Path store) {
    Authenticator a =
        Authenticators.create(
            new AuthSettings.RefreshToken(
                TokenEndpoint.at(sb.tokenUrl()),
                SandboxSupport.CLIENT_ID,
                Secret.of(SandboxSupport.CLIENT_SECRET),
                ClientAuthMethod.CLIENT_SECRET_POST,
                store),
            http,
            scheduler,
            new AuthEvents() {
              @Override
              public void tokenRequest(String outcome) {
                outcomes.add(outcome);
              }
            },
            clock);
    open.add(a);
    return a;
  }

  private static String stored(Path file, String field) {
    try {
      return JSON.readTree(Files.readAllBytes(file)).get(field).asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String bearer(Credentials c) {
    return c.headers().get(0).value().revealAsString().substring("Bearer ".length());
  }

  private int api(Credentials c) {
    return browser.get(SandboxSupport.protectedUrl(sb), c);
  }

  @Test
  void usesTheStoredTokenThenRefreshesAndStoresTheRotatedTokenBeforeUse() {
    Path file = login("refresh.json");
    String rt0 = stored(file, "refresh_token");
    Authenticator auth = authenticator(file);

    Credentials first = auth.credentials().join();
    assertThat(bearer(first)).isEqualTo(stored(file, "access_token"));
    assertThat(sb.counters().refreshes()).isZero(); // the login's access token is still good
    assertThat(api(first)).isEqualTo(200);

    clock.advance(Duration.ofHours(2)); // expired for the client: it must refresh
    CompletableFuture<String> storedWhenHandedOut =
        auth.credentials().thenApply(c -> stored(file, "refresh_token") + " " + bearer(c));
    String[] seen = storedWhenHandedOut.join().split(" ");
    assertThat(seen[0]).isNotEqualTo(rt0); // the rotated token was on disk before use
    assertThat(seen[1]).isEqualTo(stored(file, "access_token")).isNotEqualTo(bearer(first));
    assertThat(sb.counters().refreshes()).isEqualTo(1);
    assertThat(outcomes).containsExactly("success");
    assertThat(api(auth.credentials().join())).isEqualTo(200);
    if (SecureFiles.isPosix(file)) {
      assertThat(permissions(file)).isEqualTo("rw-------");
    }
  }

  @Test
  void aRejectedTokenIsRenewedThroughTheStore() {
    Path file = login("refresh.json");
    Authenticator auth = authenticator(file);
    Credentials first = auth.credentials().join();
    Credentials renewed = auth.renewAfterRejection(first).join();
    assertThat(bearer(renewed)).isNotEqualTo(bearer(first));
    assertThat(sb.counters().refreshes()).isEqualTo(1);
    assertThat(auth.renewAfterRejection(first).join()).isSameAs(renewed);
    assertThat(sb.counters().refreshes()).isEqualTo(1);
  }

  @Test
  void instancesSharingAStoreRefreshOneAtATimeAndNeverPresentAUsedToken() {
    Path file = login("shared.json");
    Authenticator a = authenticator(file);
    Authenticator b = authenticator(file);
    assertThat(bearer(a.credentials().join())).isEqualTo(bearer(b.credentials().join()));

    for (int round = 1; round <= 3; round++) {
      clock.advance(Duration.ofHours(2));
      // both need a new token at once: one refreshes, the other takes the stored result
      CompletableFuture<Credentials> ca = a.credentials();
      CompletableFuture<Credentials> cb = b.credentials();
      assertThat(bearer(ca.join())).isEqualTo(bearer(cb.join()));
      assertThat(sb.counters().refreshes()).isEqualTo(round);
      assertThat(api(ca.join())).isEqualTo(200);
    }
    // one at a time: b refreshes; a, whose token expired too, takes b's instead of refreshing
    clock.advance(Duration.ofHours(2));
    Credentials fromB = b.credentials().join();
    assertThat(bearer(a.credentials().join())).isEqualTo(bearer(fromB));
    assertThat(sb.counters().refreshes()).isEqualTo(4);
    assertThat(sb.counters().refreshReuseDetected()).isZero();
    assertThat(outcomes).containsExactly("success", "success", "success", "success");
  }

  @Test
  void aRefreshTokenUsedElsewhereMeansLoginRequiredWithTheCommandAndTheStore() throws Exception {
    Path file = login("refresh.json");
    Path copy = dir.resolve("copy.json");
    Files.copy(file, copy); // a second store that does not share the lock: a misconfiguration
    clock.advance(Duration.ofHours(2));
    authenticator(copy).credentials().join(); // refreshes with rt0 and rotates it away

    Authenticator auth = authenticator(file);
    AuthException e = failure(auth.credentials()); // presents rt0 again
    assertThat(e.kind()).isEqualTo(Kind.LOGIN_REQUIRED);
    assertThat(e.kind().needsOperator()).isTrue();
    assertThat(e.code()).contains("invalid_grant");
    assertThat(e.getMessage()).contains("auth login", file.toString());
    assertThat(e.retryAfter()).isPresent();
    assertThat(sb.counters().refreshReuseDetected()).isEqualTo(1);
    AuthException fast = failure(auth.credentials());
    assertThat(fast.kind()).isEqualTo(Kind.LOGIN_REQUIRED);
    assertThat(fast.getMessage()).contains("failing fast", "auth login");
    assertThat(outcomes).containsExactly("success", "rejected");
  }

  @Test
  void withoutAStoreALoginIsRequired() {
    Path missing = dir.resolve("never-logged-in.json");
    AuthException e = failure(authenticator(missing).credentials());
    assertThat(e.kind()).isEqualTo(Kind.LOGIN_REQUIRED);
    assertThat(e.getMessage()).contains(missing.toString(), "auth login");
    assertThat(outcomes).isEmpty();
  }

  private static String permissions(Path file) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
