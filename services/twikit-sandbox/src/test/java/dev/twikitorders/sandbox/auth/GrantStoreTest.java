package dev.twikitorders.sandbox.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.sandbox.auth.GrantStore.CodeGrant;
import dev.twikitorders.sandbox.auth.GrantStore.RefreshGrant;
import dev.twikitorders.sandbox.auth.GrantStore.Status;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Unit tests of the grant store with a hand-driven clock. */
class GrantStoreTest {
  /** A clock tests move forward. */
  static final class TestClock extends Clock {
    final AtomicLong millis = new AtomicLong(1_800_000_000_000L);

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public long millis() {
      return millis.get();
    }
  }

  final TestClock clock = new TestClock();
  final GrantStore store = new GrantStore(clock, () -> Duration.ofMinutes(5));

  static CodeGrant code(String client) {
    return new CodeGrant(
        client, URI.create("http://127.0.0.1/cb"), "c".repeat(43), "S256", Set.of("s"), "u");
  }

  @Test
  void codesExpireAfterSixtySeconds() {
    String code = store.issueCode(code("a"));
    clock.millis.addAndGet(GrantStore.CODE_TTL.toMillis());
    assertThat(store.redeemCode(code, "a").status()).isEqualTo(Status.UNKNOWN);
    String fresh = store.issueCode(code("a"));
    clock.millis.addAndGet(GrantStore.CODE_TTL.toMillis() - 1);
    assertThat(store.redeemCode(fresh, "a").status()).isEqualTo(Status.OK);
  }

  @Test
  void refreshTokensExpireAfterTheirLifetime() {
    String family = store.newFamily();
    String token = store.issueRefreshToken(new RefreshGrant(family, "a", "u", Set.of("s")));
    clock.millis.addAndGet(Duration.ofMinutes(5).toMillis() - 1);
    String other = store.issueRefreshToken(new RefreshGrant(family, "a", "u", Set.of("s")));
    clock.millis.addAndGet(1);
    assertThat(store.useRefreshToken(token, "a").status()).isEqualTo(Status.UNKNOWN);
    assertThat(store.useRefreshToken(other, "a").status()).isEqualTo(Status.OK);
  }

  @Test
  void exactlyOneOfConcurrentUsesWinsAndTheOthersRevokeTheFamily() throws Exception {
    String family = store.newFamily();
    String token = store.issueRefreshToken(new RefreshGrant(family, "a", "u", Set.of("s")));
    String code = store.issueCode(code("a"));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Status>> refreshes =
          IntStream.range(0, 16)
              .<Callable<Status>>mapToObj(i -> () -> store.useRefreshToken(token, "a").status())
              .toList();
      List<Status> outcomes = pool.invokeAll(refreshes).stream().map(GrantStoreTest::get).toList();
      assertThat(outcomes).filteredOn(s -> s == Status.OK).hasSize(1);
      assertThat(outcomes).filteredOn(s -> s == Status.REUSED).hasSize(15);
      assertThat(store.isRevoked(family)).isTrue();

      List<Callable<Status>> exchanges =
          IntStream.range(0, 16)
              .<Callable<Status>>mapToObj(i -> () -> store.redeemCode(code, "a").status())
              .toList();
      List<Status> codeOutcomes =
          pool.invokeAll(exchanges).stream().map(GrantStoreTest::get).toList();
      assertThat(codeOutcomes).filteredOn(s -> s == Status.OK).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void reusedCodeRevokesTheFamilyItStarted() {
    String code = store.issueCode(code("a"));
    assertThat(store.redeemCode(code, "a").status()).isEqualTo(Status.OK);
    String family = store.newFamily();
    store.startedFamily(code, family);
    assertThat(store.isRevoked(family)).isFalse();
    assertThat(store.redeemCode(code, "a").status()).isEqualTo(Status.REUSED);
    assertThat(store.isRevoked(family)).isTrue();
    assertThat(store.isRevoked(null)).isFalse();
  }

  @Test
  void revokeAllRevokesEveryFamily() {
    String f1 = store.newFamily();
    String f2 = store.newFamily();
    String t1 = store.issueRefreshToken(new RefreshGrant(f1, "a", "u", Set.of("s")));
    store.issueRefreshToken(new RefreshGrant(f2, "b", "u", Set.of("s")));
    store.revokeAll();
    assertThat(store.isRevoked(f1)).isTrue();
    assertThat(store.isRevoked(f2)).isTrue();
    assertThat(store.useRefreshToken(t1, "a").status()).isEqualTo(Status.UNKNOWN);
  }

  private static <T> T get(Future<T> f) {
    try {
      return f.get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
