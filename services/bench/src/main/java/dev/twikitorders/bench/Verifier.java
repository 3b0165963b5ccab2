package dev.twikitorders.bench;

import dev.twikitorders.testfixtures.OutputRole;
import dev.twikitorders.testfixtures.OutputTopicsReader;
import dev.twikitorders.testfixtures.OutputTopicsReader.OutputRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A {@code read_committed} consumer over a round's ERP, fulfillment and dead-letter topics, from
 * their beginning (an {@link OutputTopicsReader}), feeding a {@link Tally} on its own thread. It
 * reads keys and the {@code idempotency-key} header only (no Avro decoding), so it keeps up with
 * the pipeline.
 *
 * <p>Thread-safe: the tally is synchronized; {@link #close()} from any thread.
 */
final class Verifier implements AutoCloseable {
  private final OutputTopicsReader<byte[]> reader;
  private final Tally tally;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Throwable error;

  Verifier(
      String bootstrap,
      String erpTopic,
      String fulfillmentTopic,
      String deadLetterTopic,
      Tally tally) {
    this.tally = tally;
    this.reader =
        new OutputTopicsReader<>(
            bootstrap,
            Map.of(
                erpTopic,
                OutputRole.ERP,
                fulfillmentTopic,
                OutputRole.FULFILLMENT,
                deadLetterTopic,
                OutputRole.DEAD_LETTER),
            new ByteArrayDeserializer(),
            Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, "bench-verifier",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000"));
    thread = Thread.ofPlatform().name("bench-verifier").daemon().start(this::loop);
  }

  private void loop() {
    try {
      while (running) {
        List<OutputRecord<byte[]>> records = reader.poll(Duration.ofMillis(50));
        long now = System.currentTimeMillis();
        for (OutputRecord<byte[]> r : records) {
          tally.record(output(r.role()), r.key(), r.header("idempotency-key"), now);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (Throwable t) {
      error = t;
    }
  }

  private static Tally.Output output(OutputRole role) {
    return switch (role) {
      case ERP -> Tally.Output.ERP;
      case FULFILLMENT -> Tally.Output.FULFILLMENT;
      case DEAD_LETTER -> Tally.Output.DEAD_LETTER;
    };
  }

  /** The error that stopped the consumer thread, or null. */
  Throwable error() {
    return error;
  }

  @Override
  public void close() {
    running = false;
    reader.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reader.close();
  }
}
