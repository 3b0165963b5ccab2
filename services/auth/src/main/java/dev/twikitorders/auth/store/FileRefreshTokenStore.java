package dev.twikitorders.auth.store;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twikitorders.auth.AuthException;
import dev.twikitorders.auth.AuthException.Kind;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.Tokens;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RefreshTokenStore} in one JSON file, shareable by several processes on one (shared)
 * volume:
 *
 * <pre>{@code
 * {
 *   "refresh_token": "...",
 *   "access_token": "...",
 *   "access_token_expires_at": "2026-03-01T12:00:00Z",
 *   "token_endpoint": "https://idp.example.com/oauth2/token",
 *   "client_id": "order-pipeline",
 *   "scope": "configurations/configurations.read",
 *   "updated_at": "2026-03-01T11:00:00Z"
 * }
 * }</pre>
 *
 * <p>Writing: atomically and durably with {@link SecureFiles#writeAtomically} (temporary file in
 * the same directory, fsync, {@code ATOMIC_MOVE}, fsync of the directory), owner-only ({@code
 * rw-------}) where POSIX. A store readable by others is used but logged at WARN.
 *
 * <p>Locking: an exclusive {@link FileLock} on {@code <store>.lock} beside the store (created
 * owner-only, never deleted: deleting a lock file races with its next user), plus a JVM-wide {@link
 * AsyncMutex} per file first, because a {@code FileLock} is held by the whole process and cannot
 * keep two threads of one JVM apart. The lock is polled with {@code tryLock} on the store's own
 * daemon thread and given up after {@code lockTimeout} (default 30 s) as {@link Kind#STORE_FAILED};
 * a process that dies releases its lock with its file descriptors. {@link #refresh} holds the lock
 * across the refresh request and the write of its result (see {@link RefreshTokenStore} for the
 * protocol), {@link #save} across the write.
 *
 * <p>Advisory locks on network file systems: NFSv4 and SMB support them; on NFSv3 they need the
 * lock manager ({@code lockd}); a volume without working locks must not be shared.
 *
 * <p>Thread-safety: thread-safe. Locking and file I/O of {@link #refresh} run on one daemon thread
 * per store, started lazily and stopped by {@link #close()}; {@link #read} and {@link #save} run on
 * the caller's thread.
 */
public final class FileRefreshTokenStore implements RefreshTokenStore {

  /** Default of how long {@link #refresh} and {@link #save} wait for the lock. */
  public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(FileRefreshTokenStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long POLL_MILLIS = 20;

  private final Path file;
  private final Path lockFile;
  private final Clock clock;
  private final Duration lockTimeout;
  private final AsyncMutex mutex;
  private final AtomicBoolean warnedShared = new AtomicBoolean();
  private final Object executorLock = new Object();
  private ScheduledThreadPoolExecutor executor; // guarded by executorLock; lazily started
  private volatile boolean closed;

  /** A store in {@code file} (no I/O yet), with the system clock and a 30 s lock timeout. */
  public FileRefreshTokenStore(Path file) {
    this(file, Clock.systemUTC(), DEFAULT_LOCK_TIMEOUT);
  }

  /**
   * @param clock stamps {@code updated_at}
   * @param lockTimeout how long to wait for another instance's lock before failing
   */
  public FileRefreshTokenStore(Path file, Clock clock, Duration lockTimeout) {
    this.file = Objects.requireNonNull(file, "file").toAbsolutePath().normalize();
    this.lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lockTimeout = Objects.requireNonNull(lockTimeout, "lockTimeout");
    if (lockTimeout.isNegative() || lockTimeout.isZero()) {
      throw new IllegalArgumentException("lockTimeout must be positive");
    }
    this.mutex = AsyncMutex.forFile(this.file);
  }

  /** The store file. */
  public Path file() {
    return file;
  }

  /** The lock file beside it ({@code <store>.lock}). */
  public Path lockFile() {
    return lockFile;
  }

  @Override
  public String location() {
    return file.toString();
  }

  @Override
  public StoredTokens read() {
    return readFile();
  }

  @Override
  public void save(Tokens tokens, URI tokenEndpoint, String clientId) {
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(clientId, "clientId");
    if (tokens.refreshToken() == null) {
      throw new IllegalArgumentException(
          "the login gave no refresh token, so there is nothing to store in "
              + file
              + "; the client needs the refresh_token grant (and the server may want a scope such"
              + " as offline_access)");
    }
    if (closed) {
      throw closedError();
    }
    mutex.acquire().join();
    try {
      FileLock lock = lockBlocking();
      try {
        writeFile(
            new StoredTokens(
                tokens.refreshToken(),
                tokens.accessToken(),
                tokens.accessTokenExpiresAt(),
                tokenEndpoint,
                clientId,
                tokens.scope(),
                clock.instant()));
      } finally {
        release(lock);
      }
    } finally {
      mutex.release();
    }
  }

  @Override
  public CompletableFuture<Refreshed> refresh(RefreshRequest request, Refresher refresher) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(refresher, "refresher");
    if (closed) {
      return CompletableFuture.failedFuture(closedError());
    }
    CompletableFuture<Refreshed> result = new CompletableFuture<>();
    mutex
        .acquire()
        .thenRun(
            () -> {
              Runnable releaseMutex = once(mutex::release);
              try {
                executor().execute(() -> lockThen(request, refresher, result, releaseMutex));
              } catch (RejectedExecutionException | AuthException e) {
                releaseMutex.run();
                result.completeExceptionally(closedError());
              }
            });
    return result;
  }

  /** Polls for the file lock on the store thread, then runs the protocol under it. */
  private void lockThen(
      RefreshRequest request,
      Refresher refresher,
      CompletableFuture<Refreshed> result,
      Runnable releaseMutex) {
    long deadline = System.nanoTime() + lockTimeout.toNanos();
    pollLock(deadline, request, refresher, result, releaseMutex);
  }

  private void pollLock(
      long deadline,
      RefreshRequest request,
      Refresher refresher,
      CompletableFuture<Refreshed> result,
      Runnable releaseMutex) {
    FileLock lock;
    try {
      lock = tryLock();
    } catch (AuthException e) {
      releaseMutex.run();
      result.completeExceptionally(e);
      return;
    }
    if (lock == null) {
      if (System.nanoTime() - deadline >= 0) {
        releaseMutex.run();
        result.completeExceptionally(lockTimeoutError());
        return;
      }
      try {
        executor()
            .schedule(
                () -> pollLock(deadline, request, refresher, result, releaseMutex),
                POLL_MILLIS,
                TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException | AuthException e) {
        releaseMutex.run();
        result.completeExceptionally(closedError());
      }
      return;
    }
    Runnable unlock =
        once(
            () -> {
              release(lock);
              releaseMutex.run();
            });
    try {
      underLock(request, refresher, result, unlock);
    } catch (RuntimeException e) {
      unlock.run();
      result.completeExceptionally(e instanceof AuthException ? e : storeFailed("refresh", e));
    }
  }

  /** Steps 2 to 5 of the protocol; {@code unlock} releases both locks exactly once. */
  private void underLock(
      RefreshRequest request,
      Refresher refresher,
      CompletableFuture<Refreshed> result,
      Runnable unlock) {
    StoredTokens stored = readFile();
    if (!stored.clientId().equals(request.clientId())) {
      throw new AuthException(
          Kind.LOGIN_REQUIRED,
          0,
          null,
          null,
          "the refresh token store "
              + file
              + " holds the login of client id '"
              + stored.clientId()
              + "', not of the configured client id '"
              + request.clientId()
              + "'; run `auth login` for this client",
          null);
    }
    boolean refreshedElsewhere =
        request.lastUsedRefreshToken() == null
            || !request.lastUsedRefreshToken().equals(stored.refreshToken());
    if (refreshedElsewhere
        && stored.accessTokenValidAfter(request.usableIfExpiresAfter())
        && !stored.accessToken().equals(request.rejectedAccessToken())) {
      unlock.run();
      LOG.debug("Using the access token stored in {} by another instance", file);
      result.complete(new Refreshed(stored, false));
      return;
    }
    CompletableFuture<Tokens> call;
    try {
      call = refresher.refresh(stored);
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    call.whenComplete(
        (tokens, error) -> {
          if (error != null) {
            unlock.run();
            result.completeExceptionally(error);
            return;
          }
          Runnable write = () -> writeRefreshed(stored, tokens, result, unlock);
          try {
            executor().execute(write);
          } catch (RejectedExecutionException | AuthException closing) {
            write.run(); // closed meanwhile: the rotated token must still be stored
          }
        });
  }

  private void writeRefreshed(
      StoredTokens stored, Tokens tokens, CompletableFuture<Refreshed> result, Runnable unlock) {
    try {
      StoredTokens next =
          new StoredTokens(
              tokens.refreshToken() != null ? tokens.refreshToken() : stored.refreshToken(),
              tokens.accessToken(),
              tokens.accessTokenExpiresAt(),
              stored.tokenEndpoint(),
              stored.clientId(),
              tokens.scope() != null ? tokens.scope() : stored.scope(),
              clock.instant());
      writeFile(next);
      unlock.run();
      result.complete(new Refreshed(next, true));
    } catch (RuntimeException e) {
      unlock.run();
      LOG.error(
          "Refreshed the tokens but could not store the new refresh token in {}: the login is"
              + " lost, run `auth login` again ({})",
          file,
          e.getMessage());
      result.completeExceptionally(e instanceof AuthException ? e : storeFailed("write", e));
    }
  }

  // ---- file I/O ------------------------------------------------------------------------------

  private StoredTokens readFile() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new AuthException(
          Kind.LOGIN_REQUIRED,
          0,
          null,
          null,
          "no refresh token stored: " + file + " does not exist; run `auth login` to log in",
          null);
    } catch (IOException e) {
      throw storeFailed("read", e);
    }
    warnIfShared();
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      // never e.getMessage(): Jackson quotes the offending token, which may be a secret
      JsonLocation at = e.getLocation();
      throw new AuthException(
          Kind.STORE_FAILED,
          0,
          null,
          null,
          "the refresh token store "
              + file
              + " is not valid JSON"
              + (at == null
                  ? ""
                  : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
              + "; run `auth login` to write it again",
          null);
    } catch (IOException e) {
      throw storeFailed("read", e);
    }
    if (root == null || !root.isObject()) {
      throw invalidStore("is not a JSON object");
    }
    String refresh = text(root, "refresh_token");
    if (refresh == null) {
      throw invalidStore("has no refresh_token");
    }
    String clientId = text(root, "client_id");
    if (clientId == null) {
      throw invalidStore("has no client_id");
    }
    String access = text(root, "access_token");
    try {
      String endpoint = text(root, "token_endpoint");
      return new StoredTokens(
          Secret.of(refresh),
          access == null ? null : Secret.of(access),
          instant(root, "access_token_expires_at"),
          endpoint == null ? null : URI.create(endpoint),
          clientId,
          text(root, "scope"),
          Objects.requireNonNullElse(instant(root, "updated_at"), Instant.EPOCH));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw invalidStore("has an unparsable token_endpoint or timestamp");
    }
  }

  private void writeFile(StoredTokens t) {
    ObjectNode root = JSON.createObjectNode();
    root.put("refresh_token", t.refreshToken().revealAsString());
    if (t.accessToken() != null) {
      root.put("access_token", t.accessToken().revealAsString());
      root.put("access_token_expires_at", t.accessTokenExpiresAt().toString());
    }
    if (t.tokenEndpoint() != null) {
      root.put("token_endpoint", t.tokenEndpoint().toString());
    }
    root.put("client_id", t.clientId());
    if (t.scope() != null) {
      root.put("scope", t.scope());
    }
    root.put("updated_at", t.updatedAt().toString());
    try {
      byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
      SecureFiles.writeAtomically(file, bytes, true);
    } catch (IOException e) {
      throw storeFailed("write", e);
    }
  }

  private void warnIfShared() {
    try {
      if (SecureFiles.isSharedWithOthers(file) && warnedShared.compareAndSet(false, true)) {
        LOG.warn(
            "The refresh token store {} is readable or writable by others than its owner;"
                + " restrict it to rw------- (chmod 600)",
            file);
      }
    } catch (IOException e) {
      // the read itself succeeded; the check is advice only
    }
  }

  private static String text(JsonNode root, String field) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    String s = n.asText();
    return s.isBlank() ? null : s;
  }

  private static Instant instant(JsonNode root, String field) {
    String s = text(root, field);
    return s == null ? null : Instant.parse(s);
  }

  // ---- locking -------------------------------------------------------------------------------

  /** The file lock, or null while another process holds it. */
  private FileLock tryLock() {
    FileChannel ch = null;
    try {
      ch = openLockFile();
      FileLock lock = ch.tryLock();
      if (lock == null) {
        ch.close();
      }
      return lock;
    } catch (OverlappingFileLockException e) {
      closeQuietly(ch); // another store object of this JVM bypassed the mutex: wait like for others
      return null;
    } catch (NoSuchFileException e) {
      closeQuietly(ch);
      throw new AuthException(
          Kind.LOGIN_REQUIRED,
          0,
          null,
          null,
          "no refresh token stored: the directory of "
              + file
              + " does not exist; run `auth login` to log in",
          null);
    } catch (IOException e) {
      closeQuietly(ch);
      throw storeFailed("lock", e);
    }
  }

  /** Waits on the calling thread for the lock, up to the lock timeout (for {@link #save}). */
  private FileLock lockBlocking() {
    try {
      SecureFiles.createPrivateDirectories(file.getParent());
    } catch (IOException e) {
      throw storeFailed("create the directory of", e);
    }
    long deadline = System.nanoTime() + lockTimeout.toNanos();
    while (true) {
      FileLock lock = tryLock();
      if (lock != null) {
        return lock;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw lockTimeoutError();
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw storeFailed("lock", e);
      }
    }
  }

  private FileChannel openLockFile() throws IOException {
    FileAttribute<?>[] attrs =
        SecureFiles.isPosix(lockFile)
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(SecureFiles.OWNER_ONLY)}
            : new FileAttribute<?>[0];
    return FileChannel.open(
        lockFile, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), attrs);
  }

  private static void release(FileLock lock) {
    try {
      lock.release();
    } catch (IOException e) {
      // closing the channel below releases it too
    }
    closeQuietly(lock.channel());
  }

  private static void closeQuietly(java.nio.channels.Channel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        // nothing to do
      }
    }
  }

  private ScheduledThreadPoolExecutor executor() {
    synchronized (executorLock) {
      if (closed) {
        throw closedError();
      }
      if (executor == null) {
        executor =
            new ScheduledThreadPoolExecutor(
                1,
                r -> {
                  Thread t = new Thread(r, "refresh-token-store");
                  t.setDaemon(true);
                  return t;
                });
        executor.setRemoveOnCancelPolicy(true);
      }
      return executor;
    }
  }

  @Override
  public void close() {
    synchronized (executorLock) {
      closed = true;
      if (executor != null) {
        executor.shutdown(); // queued work (a write of a rotated token) still runs
      }
    }
  }

  // ---- errors --------------------------------------------------------------------------------

  private AuthException storeFailed(String action, Exception e) {
    return new AuthException(
        Kind.STORE_FAILED,
        0,
        null,
        null,
        "cannot "
            + action
            + " the refresh token store "
            + file
            + ": "
            + e.getClass().getSimpleName()
            + (e instanceof IOException && e.getMessage() != null
                ? " (" + e.getMessage() + ")"
                : ""),
        e instanceof IOException ? e : null);
  }

  private AuthException invalidStore(String problem) {
    return new AuthException(
        Kind.STORE_FAILED,
        0,
        null,
        null,
        "the refresh token store " + file + " " + problem + "; run `auth login` to write it again",
        null);
  }

  private AuthException lockTimeoutError() {
    return new AuthException(
        Kind.STORE_FAILED,
        0,
        null,
        null,
        "could not lock "
            + lockFile
            + " within "
            + lockTimeout.toMillis()
            + " ms: another instance holds it (a hung process?)",
        null);
  }

  private AuthException closedError() {
    return new AuthException(
        Kind.CLOSED, 0, null, null, "the refresh token store " + file + " is closed", null);
  }

  private static Runnable once(Runnable r) {
    AtomicBoolean done = new AtomicBoolean();
    return () -> {
      if (done.compareAndSet(false, true)) {
        r.run();
      }
    };
  }

  @Override
  public String toString() {
    return "FileRefreshTokenStore[" + file + "]";
  }
}
