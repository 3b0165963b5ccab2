package dev.twikitorders.auth.store;

import static dev.twikitorders.auth.Tests.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twikitorders.auth.AuthException;
import dev.twikitorders.auth.AuthException.Kind;
import dev.twikitorders.auth.MutableClock;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.Tokens;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The file store and its refresh protocol, with refreshers written in the test (the HTTP side is
 * covered against the sandbox in {@code SandboxOAuthTest}), and a second JVM holding the lock.
 */
class FileRefreshTokenStoreTest {

  private static final URI ENDPOINT = URI.create("https://idp.example/oauth2/token");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private Path file;
  private final MutableClock clock = MutableClock.fixed(Instant.parse("2026-03-01T12:00:00Z"));
  private final List<FileRefreshTokenStore> stores = new CopyOnWriteArrayList<>();

  @BeforeEach
  void paths() {
    file = dir.resolve("state").resolve("refresh.json");
  }

  @AfterEach
  void close() {
    stores.forEach(FileRefreshTokenStore::close);
  }

  private FileRefreshTokenStore store(Duration lockTimeout) {
    var s = new FileRefreshTokenStore(file, clock, lockTimeout);
    stores.add(s);
    return s;
  }

  private FileRefreshTokenStore store() {
    return store(Duration.ofSeconds(30));
  }

  private Tokens tokens(String access, String refresh, Duration validFor) {
    return new Tokens(
        Secret.of(access),
        refresh == null ? null : Secret.of(refresh),
        clock.instant().plus(validFor),
        "read write");
  }

  private JsonNode fileJson() throws IOException {
    return JSON.readTree(Files.readAllBytes(file));
  }

  private static RefreshTokenStore.Refresher rotatingTo(
      String access, String refresh, Instant expires, AtomicInteger calls, List<String> presented) {
    return stored -> {
      calls.incrementAndGet();
      presented.add(stored.refreshToken().revealAsString());
      return CompletableFuture.completedFuture(
          new Tokens(Secret.of(access), Secret.of(refresh), expires, null));
    };
  }

  @Test
  void saveWritesEveryFieldOwnerOnlyAtomicallyAndReadsItBack() throws Exception {
    FileRefreshTokenStore s = store();
    s.save(tokens("at-1", "rt-1", Duration.ofHours(1)), ENDPOINT, "client-a");
    JsonNode j = fileJson();
    assertThat(j.get("refresh_token").asText()).isEqualTo("rt-1");
    assertThat(j.get("access_token").asText()).isEqualTo("at-1");
    assertThat(j.get("access_token_expires_at").asText()).isEqualTo("2026-03-01T13:00:00Z");
    assertThat(j.get("token_endpoint").asText()).isEqualTo(ENDPOINT.toString());
    assertThat(j.get("client_id").asText()).isEqualTo("client-a");
    assertThat(j.get("scope").asText()).isEqualTo("read write");
    assertThat(j.get("updated_at").asText()).isEqualTo("2026-03-01T12:00:00Z");
    if (SecureFiles.isPosix(file)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(s.lockFile())))
          .isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
          .isEqualTo("rwx------");
    }
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("refresh.json", "refresh.json.lock"); // no temp file left
    }
    StoredTokens read = s.read();
    assertThat(read.refreshToken()).isEqualTo(Secret.of("rt-1"));
    assertThat(read.accessToken()).isEqualTo(Secret.of("at-1"));
    assertThat(read.clientId()).isEqualTo("client-a");
    assertThat(read.tokenEndpoint()).isEqualTo(ENDPOINT);
    assertThat(read.toString() + s).doesNotContain("rt-1", "at-1");
  }

  @Test
  void aLoginWithoutRefreshTokenCannotBeSaved() {
    assertThatThrownBy(() -> store().save(tokens("at", null, Duration.ofHours(1)), ENDPOINT, "c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no refresh token")
        .hasMessageContaining(file.toString());
  }

  @Test
  void aMissingStoreMeansLoginRequiredNamingTheFileAndTheCommand() {
    AuthException read = catchAuth(() -> store().read());
    assertThat(read.kind()).isEqualTo(Kind.LOGIN_REQUIRED);
    assertThat(read.getMessage()).contains(file.toString(), "auth login");
    AtomicInteger calls = new AtomicInteger();
    AuthException refresh =
        failure(
            store()
                .refresh(
                    new RefreshTokenStore.RefreshRequest("c", null, null, clock.instant()),
                    rotatingTo("a", "r", clock.instant(), calls, new CopyOnWriteArrayList<>())));
    assertThat(refresh.kind()).isEqualTo(Kind.LOGIN_REQUIRED);
    assertThat(refresh.getMessage()).contains(file.toString(), "auth login");
    assertThat(calls).hasValue(0);
  }

  @Test
  void anUnreadableStoreIsStoreFailedWithoutQuotingItsContent() throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"refresh_token\": rt-leak-4711, \"client_id\": \"c\"}");
    AuthException e = catchAuth(() -> store().read());
    assertThat(e.kind()).isEqualTo(Kind.STORE_FAILED);
    assertThat(e.kind().needsOperator()).isTrue();
    assertThat(e.getMessage()).contains(file.toString(), "not valid JSON").doesNotContain("leak");

    Files.writeString(file, "{\"client_id\": \"c\"}");
    assertThat(catchAuth(() -> store().read()).getMessage()).contains("has no refresh_token");
  }

  @Test
  void aStoreReadableByOthersIsUsedButWarnedAbout() throws Exception {
    FileRefreshTokenStore s = store();
    s.save(tokens("at-1", "rt-1", Duration.ofHours(1)), ENDPOINT, "client-a");
    assumeThat(SecureFiles.isPosix(file)).isTrue();
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger(FileRefreshTokenStore.class);
    logs.start();
    logger.addAppender(logs);
    try {
      s.read();
      s.read();
    } finally {
      logger.detachAppender(logs);
    }
    assertThat(logs.list)
        .filteredOn(e -> e.getLevel() == Level.WARN)
        .singleElement()
        .extracting(ILoggingEvent::getFormattedMessage)
        .asString()
        .contains(file.toString(), "chmod 600");
  }

  @Test
  void refreshStoresTheRotatedTokenBeforeHandingItOut() throws Exception {
    FileRefreshTokenStore s = store();
    s.save(tokens("at-1", "rt-1", Duration.ofHours(1)), ENDPOINT, "client-a");
    clock.advance(Duration.ofMinutes(5));
    AtomicInteger calls = new AtomicInteger();
    List<String> presented = new CopyOnWriteArrayList<>();
    Instant expires = clock.instant().plus(Duration.ofHours(1));
    // this instance used rt-1 (its access token is expiring): it must refresh
    var request =
        new RefreshTokenStore.RefreshRequest(
            "client-a", Secret.of("rt-1"), null, clock.instant().plusSeconds(10));
    CompletableFuture<String> storedWhenHandedOut =
        s.refresh(request, rotatingTo("at-2", "rt-2", expires, calls, presented))
            .thenApply(
                r -> {
                  try {
                    return fileJson().get("refresh_token").asText();
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                });
    assertThat(storedWhenHandedOut.get(10, TimeUnit.SECONDS)).isEqualTo("rt-2");
    assertThat(presented).containsExactly("rt-1");
    JsonNode j = fileJson();
    assertThat(j.get("access_token").asText()).isEqualTo("at-2");
    assertThat(j.get("access_token_expires_at").asText()).isEqualTo(expires.toString());
    assertThat(j.get("scope").asText()).isEqualTo("read write"); // kept: the answer had none
    assertThat(j.get("updated_at").asText()).isEqualTo(clock.instant().toString());
    if (SecureFiles.isPosix(file)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void anotherInstancesRefreshIsUsedInsteadOfRefreshingAgain() {
    FileRefreshTokenStore s = store();
    s.save(tokens("at-2", "rt-2", Duration.ofHours(1)), ENDPOINT, "client-a");
    AtomicInteger calls = new AtomicInteger();
    // this instance last used rt-1; the store holds rt-2 from another instance: take its token
    RefreshTokenStore.Refreshed r =
        s.refresh(
                new RefreshTokenStore.RefreshRequest(
                    "client-a", Secret.of("rt-1"), null, clock.instant().plusSeconds(10)),
                rotatingTo("x", "y", clock.instant(), calls, new CopyOnWriteArrayList<>()))
            .join();
    assertThat(r.refreshed()).isFalse();
    assertThat(r.tokens().accessToken()).isEqualTo(Secret.of("at-2"));
    assertThat(calls).hasValue(0);

    // ... unless that token is about to expire, or is the one the API just refused
    List<String> presented = new CopyOnWriteArrayList<>();
    var soon =
        new RefreshTokenStore.RefreshRequest(
            "client-a", Secret.of("rt-1"), null, clock.instant().plus(Duration.ofHours(2)));
    assertThat(
            s.refresh(soon, rotatingTo("at-3", "rt-3", clock.instant(), calls, presented))
                .join()
                .refreshed())
        .isTrue();
    var refused =
        new RefreshTokenStore.RefreshRequest(
            "client-a", Secret.of("rt-1"), Secret.of("at-3"), clock.instant());
    s.refresh(refused, rotatingTo("at-4", "rt-4", clock.instant(), calls, presented)).join();
    assertThat(presented).containsExactly("rt-2", "rt-3");
  }

  @Test
  void aFailedRefreshLeavesTheStoreAsItWasAndReleasesTheLock() throws Exception {
    FileRefreshTokenStore s = store();
    s.save(tokens("at-1", "rt-1", Duration.ofHours(1)), ENDPOINT, "client-a");
    byte[] before = Files.readAllBytes(file);
    var request =
        new RefreshTokenStore.RefreshRequest("client-a", Secret.of("rt-1"), null, clock.instant());
    AuthException e =
        failure(
            s.refresh(
                request,
                stored ->
                    CompletableFuture.failedFuture(
                        new AuthException(Kind.UNAVAILABLE, 503, null, null, "down", null))));
    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
    AtomicInteger calls = new AtomicInteger();
    s.refresh(
            request,
            rotatingTo("at-2", "rt-2", clock.instant(), calls, new CopyOnWriteArrayList<>()))
        .get(10, TimeUnit.SECONDS);
    assertThat(calls).hasValue(1);
  }

  @Test
  void aStoreOfAnotherClientIsLoginRequired() {
    FileRefreshTokenStore s = store();
    s.save(tokens("at-1", "rt-1", Duration.ofHours(1)), ENDPOINT, "client-a");
    AuthException e =
        failure(
            s.refresh(
                new RefreshTokenStore.RefreshRequest("client-b", null, null, clock.instant()),
                stored -> CompletableFuture.failedFuture(new AssertionError("must not refresh"))));
    assertThat(e.kind()).isEqualTo(Kind.LOGIN_REQUIRED);
    assertThat(e.getMessage()).contains("'client-a'", "'client-b'", file.toString());
  }

  @Test
  void twoStoresOnOneFileRefreshOneAfterTheOtherAndTheSecondUsesTheFirstsToken() {
    FileRefreshTokenStore a = store();
    FileRefreshTokenStore b = store();
    a.save(tokens("at-1", "rt-1", Duration.ofMinutes(1)), ENDPOINT, "client-a");
    // both instances used rt-1 and need a new token
    var request =
        new RefreshTokenStore.RefreshRequest(
            "client-a", Secret.of("rt-1"), null, clock.instant().plusSeconds(120));
    CompletableFuture<Tokens> aAnswer = new CompletableFuture<>();
    AtomicInteger aCalls = new AtomicInteger();
    CompletableFuture<RefreshTokenStore.Refreshed> first =
        a.refresh(
            request,
            stored -> {
              aCalls.incrementAndGet();
              return aAnswer;
            });
    AtomicInteger bCalls = new AtomicInteger();
    CompletableFuture<RefreshTokenStore.Refreshed> second =
        b.refresh(
            request,
            stored -> {
              bCalls.incrementAndGet();
              return CompletableFuture.failedFuture(
                  new AssertionError("refreshed with " + stored.refreshToken() + " again"));
            });
    await().until(() -> aCalls.get() == 1);
    assertThat(second).isNotDone(); // queued behind the first's lock
    aAnswer.complete(
        new Tokens(Secret.of("at-2"), Secret.of("rt-2"), clock.instant().plusSeconds(3600), null));
    assertThat(first.join().refreshed()).isTrue();
    RefreshTokenStore.Refreshed r = second.join();
    assertThat(r.refreshed()).isFalse();
    assertThat(r.tokens().accessToken()).isEqualTo(Secret.of("at-2"));
    assertThat(r.tokens().refreshToken()).isEqualTo(Secret.of("rt-2"));
    assertThat(bCalls).hasValue(0);
  }

  @Test
  void anotherProcessHoldingTheLockKeepsThisOneWaiting() throws Exception {
    FileRefreshTokenStore s = store(Duration.ofMillis(300));
    s.save(tokens("at-1", "rt-1", Duration.ofHours(1)), ENDPOINT, "client-a");
    var request =
        new RefreshTokenStore.RefreshRequest("client-a", Secret.of("rt-1"), null, clock.instant());
    AtomicInteger calls = new AtomicInteger();
    Process holder = startLockHolder(s.lockFile());
    try (BufferedReader out =
            new BufferedReader(
                new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        OutputStream in = holder.getOutputStream()) {
      assertThat(out.readLine()).isEqualTo("locked");
      AuthException e =
          failure(
              s.refresh(
                  request,
                  rotatingTo(
                      "at-2", "rt-2", clock.instant(), calls, new CopyOnWriteArrayList<>())));
      assertThat(e.kind()).isEqualTo(Kind.STORE_FAILED);
      assertThat(e.getMessage()).contains("could not lock", s.lockFile().toString());
      assertThat(calls).hasValue(0);

      FileRefreshTokenStore patient = store(Duration.ofSeconds(60));
      CompletableFuture<RefreshTokenStore.Refreshed> waiting =
          patient.refresh(
              request,
              rotatingTo("at-2", "rt-2", clock.instant(), calls, new CopyOnWriteArrayList<>()));
      in.write('\n');
      in.flush();
      assertThat(out.readLine()).isEqualTo("released");
      assertThat(waiting.get(30, TimeUnit.SECONDS).refreshed()).isTrue();
      assertThat(calls).hasValue(1);
    } finally {
      holder.destroy();
      holder.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static Process startLockHolder(Path lockFile) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classes =
        Path.of(LockHolder.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    return new ProcessBuilder(java, "-cp", classes, LockHolder.class.getName(), lockFile.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  private static AuthException catchAuth(Runnable r) {
    try {
      r.run();
    } catch (AuthException e) {
      return e;
    }
    throw new AssertionError("expected an AuthException");
  }
}
