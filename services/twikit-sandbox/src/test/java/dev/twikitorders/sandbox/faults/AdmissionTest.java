package dev.twikitorders.sandbox.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.sandbox.counters.CounterRecorder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The server model on its own, with a hand-driven clock (no HTTP, no threads). */
class AdmissionTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final CounterRecorder counters = new CounterRecorder();
  private final Admission admission = new Admission(counters, nanos::get);

  private void advanceMillis(long ms) {
    nanos.addAndGet(ms * 1_000_000L);
  }

  @Test
  void bucketStartsFullWithBurstOfOneTenthOfTheRate() {
    admission.configure(0, 50); // burst 5
    for (int i = 0; i < 5; i++) {
      assertThat(admission.tryTake()).as("token %d of the burst", i).isNull();
    }
    Admission.Refusal refused = admission.tryTake();
    assertThat(refused).isNotNull();
    assertThat(refused.rate()).isEqualTo(50);
    assertThat(refused.retryAfterSeconds()).as("20 ms to the next token, rounded up").isEqualTo(1);
    advanceMillis(21);
    assertThat(admission.tryTake()).as("refilled at 50/s").isNull();
    assertThat(admission.tryTake()).isNotNull();
    assertThat(counters.snapshot().rateLimited()).isEqualTo(2);
  }

  @Test
  void slowRatesHaveABurstOfOneAndRetryAfterRoundsUp() {
    admission.configure(0, 0.3); // one token every 3.33 s
    assertThat(admission.tryTake()).isNull();
    assertThat(admission.tryTake().retryAfterSeconds()).isEqualTo(4);
    advanceMillis(2_400);
    assertThat(admission.tryTake().retryAfterSeconds()).as("0.93 s left").isEqualTo(1);
    advanceMillis(1_000);
    assertThat(admission.tryTake()).isNull();
    assertThat(admission.tryTake().retryAfterSeconds()).isEqualTo(4);
  }

  @Test
  void bucketNeverHoldsMoreThanItsBurst() {
    admission.configure(0, 5); // burst 1
    advanceMillis(60_000);
    assertThat(admission.tryTake()).isNull();
    assertThat(admission.tryTake()).isNotNull();
  }

  @Test
  void rateZeroAdmitsEverythingAndANewRateRefills() {
    admission.configure(0, 0);
    for (int i = 0; i < 1000; i++) {
      assertThat(admission.tryTake()).isNull();
    }
    admission.configure(0, 1);
    assertThat(admission.tryTake()).isNull();
    assertThat(admission.tryTake()).isNotNull();
    admission.configure(3, 1);
    assertThat(admission.tryTake()).as("same rate: the bucket is not refilled").isNotNull();
    admission.configure(0, 2);
    assertThat(admission.tryTake()).as("a new rate starts full").isNull();
    assertThat(counters.snapshot().rateLimited()).isEqualTo(2);
  }

  @Test
  void capacityQueuesInArrivalOrderAndHandsSlotsOver() {
    admission.configure(2, 0);
    List<String> granted = new ArrayList<>();
    for (String name : List.of("a", "b", "c", "d", "e")) {
      admission.acquire(() -> granted.add(name));
    }
    assertThat(granted).containsExactly("a", "b");
    assertThat(admission.inService()).isEqualTo(2);
    assertThat(admission.queued()).isEqualTo(3);
    admission.release();
    assertThat(granted).containsExactly("a", "b", "c");
    assertThat(admission.inService()).isEqualTo(2);
    assertThat(admission.queued()).isEqualTo(2);
    admission.configure(3, 0);
    assertThat(granted).as("a raise grants at once").containsExactly("a", "b", "c", "d");
    admission.configure(0, 0);
    assertThat(granted).as("unlimited grants every waiting request").hasSize(5);
    assertThat(admission.inService()).isEqualTo(4);
    assertThat(admission.queued()).isZero();
    assertThat(counters.snapshot().maxConcurrent()).isEqualTo(4);
    assertThat(counters.snapshot().maxQueued()).isEqualTo(3);
  }

  @Test
  void loweredCapacityLetsInServiceRequestsFinishFirst() {
    admission.configure(0, 0);
    List<String> granted = new ArrayList<>();
    for (String name : List.of("a", "b", "c")) {
      admission.acquire(() -> granted.add(name));
    }
    admission.configure(1, 0);
    admission.acquire(() -> granted.add("d"));
    assertThat(granted).containsExactly("a", "b", "c");
    admission.release();
    admission.release();
    assertThat(admission.queued()).as("2 still in service, capacity 1").isEqualTo(1);
    admission.release();
    assertThat(granted).containsExactly("a", "b", "c", "d");
    assertThat(admission.inService()).isEqualTo(1);
  }

  @Test
  void resetCountersKeepsWhatIsInServiceNow() {
    admission.configure(1, 0);
    admission.acquire(() -> {});
    admission.acquire(() -> {});
    admission.acquire(() -> {});
    admission.release();
    counters.reset();
    assertThat(counters.snapshot().maxConcurrent()).isEqualTo(1);
    assertThat(counters.snapshot().maxQueued()).isEqualTo(1);
  }

  @Test
  void misuseAndBadValuesAreRefused() {
    assertThatThrownBy(admission::release).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> admission.configure(-3, 0))
        .hasMessage("capacity must be >= 0, got -3");
    assertThatThrownBy(() -> admission.configure(0, -1)).hasMessageStartingWith("rateLimit must");
    assertThatThrownBy(() -> admission.configure(0, Double.NaN))
        .hasMessageStartingWith("rateLimit must");
    assertThatThrownBy(() -> Faults.builder().capacity(-1).build())
        .hasMessage("capacity must be >= 0, got -1");
    assertThatThrownBy(() -> Faults.builder().rateLimit(Double.POSITIVE_INFINITY).build())
        .hasMessageContaining("rateLimit must be >= 0");
  }
}
