package dev.twikitorders.auth;

import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** Small helpers shared by the auth tests. */
public final class Tests {

  private Tests() {}

  /** The {@link AuthException} a future failed with (fails the test when there is none). */
  public static AuthException failure(CompletableFuture<?> f) {
    Throwable t = catchThrowable(f::join);
    AuthException e = AuthException.find(t);
    if (e == null) {
      throw new AssertionError("expected an AuthException, got " + t, t);
    }
    return e;
  }

  /** Every message of {@code t} and its causes. */
  public static String messages(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c).append('\n');
    }
    return sb.toString();
  }

  /** A one-thread daemon scheduler. */
  public static ScheduledExecutorService scheduler() {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, "test-auth-scheduler");
          t.setDaemon(true);
          return t;
        });
  }
}
