package dev.twikitorders.enricher.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gate's pauses and Kafka Streams' own pauses kept apart on one consumer. */
class GatedConsumerTest {
  private static final TopicPartition P0 = new TopicPartition("order-events", 0);
  private static final TopicPartition P1 = new TopicPartition("order-events", 1);

  private final SystemPauses pauses = SystemPauses.create();
  private final InputGate gate = new InputGate(pauses);
  private MockConsumer<byte[], byte[]> delegate;
  private Consumer<byte[], byte[]> consumer;

  @BeforeEach
  void setUp() {
    delegate = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
    delegate.assign(List.of(P0, P1));
    delegate.updateBeginningOffsets(java.util.Map.of(P0, 0L, P1, 0L));
    consumer = GatedConsumer.wrap(delegate, gate);
  }

  private void poll() {
    consumer.poll(Duration.ZERO);
  }

  @Test
  void aHeldPartitionIsPausedBeforeThePollAndResumedOnceLetGo() {
    gate.hold(P0);
    poll();
    assertThat(delegate.paused()).containsExactly(P0);
    assertThat(consumer.paused()).as("Streams sees only its own pauses").isEmpty();

    gate.release(P0);
    poll();
    assertThat(delegate.paused()).isEmpty();
  }

  @Test
  void streamsOwnPauseSurvivesTheGateLettingGo() {
    gate.hold(P1);
    poll();
    consumer.pause(Set.of(P1)); // e.g. Streams' input buffer is full
    gate.release(P1);
    poll();
    assertThat(delegate.paused()).containsExactly(P1);
    assertThat(consumer.paused()).containsExactly(P1);

    consumer.resume(Set.of(P1));
    assertThat(delegate.paused()).isEmpty();
  }

  @Test
  void streamsResumeOfAHeldPartitionWaitsForTheGate() {
    consumer.pause(Set.of(P0));
    gate.hold(P0);
    consumer.resume(Set.of(P0));
    assertThat(delegate.paused()).containsExactly(P0);
    assertThat(consumer.paused()).isEmpty();

    gate.release(P0);
    poll();
    assertThat(delegate.paused()).isEmpty();
  }

  @Test
  void aSystemPauseHoldsEveryAssignedPartitionUntilItClears() {
    pauses.report(SystemPauses.Cause.TWIKIT_FORBIDDEN, "HTTP 403");
    poll();
    assertThat(delegate.paused()).containsExactlyInAnyOrder(P0, P1);

    pauses.twikitAnswered();
    poll();
    assertThat(delegate.paused()).isEmpty();
  }

  @Test
  void aRevokedPartitionForgetsTheGatesPause() {
    gate.hold(P0);
    poll();
    delegate.assign(List.of(P1)); // P0 revoked
    gate.release(P0);
    delegate.assign(List.of(P0, P1)); // assigned again, not paused by anyone
    poll();
    assertThat(delegate.paused()).isEmpty();
  }

  @Test
  void everyOtherMethodReachesTheConsumer() {
    assertThat(consumer.assignment()).containsExactlyInAnyOrder(P0, P1);
    consumer.close();
    assertThat(delegate.closed()).isTrue();
  }
}
