package dev.twikitorders.auth.store;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A mutual exclusion lock that hands itself over with futures instead of blocking threads: {@link
 * #acquire} completes when the lock is this caller's, {@link #release} gives it to the next waiter
 * (FIFO). Not reentrant, not bound to a thread: whoever holds it may release it from any thread.
 *
 * <p>{@link #forFile} gives one instance per absolute, normalized path for the life of the JVM: a
 * {@link java.nio.channels.FileLock} is held per process, so the threads of one JVM must queue here
 * before taking it (overlapping locks would throw).
 *
 * <p>Thread-safety: thread-safe; completions run outside the internal monitor.
 */
final class AsyncMutex {

  private static final ConcurrentHashMap<Path, AsyncMutex> BY_FILE = new ConcurrentHashMap<>();

  private final ArrayDeque<CompletableFuture<Void>> waiters = new ArrayDeque<>();
  private boolean held; // guarded by this

  /** The JVM-wide mutex of {@code file}. */
  static AsyncMutex forFile(Path file) {
    return BY_FILE.computeIfAbsent(file.toAbsolutePath().normalize(), p -> new AsyncMutex());
  }

  /** Completes when the caller holds the lock. */
  CompletableFuture<Void> acquire() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    synchronized (this) {
      if (held) {
        waiters.add(f);
        return f;
      }
      held = true;
    }
    f.complete(null);
    return f;
  }

  /** Gives the lock to the next waiter, or frees it. */
  void release() {
    CompletableFuture<Void> next;
    synchronized (this) {
      next = waiters.poll();
      if (next == null) {
        held = false;
        return;
      }
    }
    next.complete(null);
  }
}
