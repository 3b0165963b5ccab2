package dev.twikitorders.twikit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AsyncPermitsTest {

  @Test
  void callersBeyondTheCapQueueInOrderAndNeverFail() {
    AsyncPermits permits = new AsyncPermits(2, Runnable::run);
    CompletableFuture<Void> a = permits.acquire();
    CompletableFuture<Void> b = permits.acquire();
    CompletableFuture<Void> c = permits.acquire();
    CompletableFuture<Void> d = permits.acquire();
    assertThat(a).isDone();
    assertThat(b).isDone();
    assertThat(c).isNotDone();
    assertThat(d).isNotDone();
    assertThat(permits.inUse()).isEqualTo(2);
    assertThat(permits.queued()).isEqualTo(2);
    permits.release();
    assertThat(c).isCompleted();
    assertThat(d).isNotDone();
    permits.release();
    permits.release();
    permits.release();
    assertThat(d).isCompleted();
    assertThat(permits.inUse()).isZero();
  }
}
