package dev.twikitorders.bench;

import dev.twikitorders.schemas.OrderEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crash-recovery figure ({@code bench --recovery}): the pipeline runs as a child JVM under a
 * continuous load; each round SIGKILLs it, restarts it at once with the same settings (same state
 * directory, so the same instance slot), and measures the time from the restart to the first new
 * output record a {@code read_committed} consumer sees on the ERP topic.
 *
 * <p>"New" means committed after the kill: before restarting, the consumer reads up to the topic's
 * last stable offset, which a transaction the killed process left open holds back.
 *
 * <p>Not thread-safe; one run at a time.
 */
final class RecoveryBench {
  private static final Logger LOG = LoggerFactory.getLogger(RecoveryBench.class);

  /** How long one round may wait for the first new output before it counts as failed. */
  private static final Duration ROUND_TIMEOUT = Duration.ofMinutes(3);

  /**
   * What one round measured: restart to the first new output record (any partition), restart to new
   * output on every partition of the topic (-1 when one stayed silent for the round timeout), and
   * kill to the first new output.
   */
  record Round(
      int index,
      double restartToOutputSeconds,
      double restartToAllPartitionsSeconds,
      double killToOutputSeconds) {}

  private final String bootstrapServers;
  private final Serializer<OrderEvent> serializer;
  private final KafkaProducer<String, byte[]> producer;
  private final String input;
  private final String erp;
  private final double linesPerSecond;
  private final String runId;

  RecoveryBench(
      String bootstrapServers,
      Serializer<OrderEvent> serializer,
      KafkaProducer<String, byte[]> producer,
      String runId,
      String input,
      String erp,
      double linesPerSecond) {
    this.bootstrapServers = bootstrapServers;
    this.serializer = serializer;
    this.producer = producer;
    this.runId = runId;
    this.input = input;
    this.erp = erp;
    this.linesPerSecond = linesPerSecond;
  }

  /**
   * Runs {@code rounds} kill-and-restart rounds; the pipeline is started with {@code start} (its
   * argument is the process's name, for its log file).
   */
  List<Round> run(int rounds, PipelineStarter start) throws Exception {
    List<Round> results = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Exception> failure = new AtomicReference<>();
    try (OutputWatch watch = new OutputWatch(bootstrapServers, erp)) {
      Thread load = Thread.ofPlatform().name("recovery-load").start(() -> load(stop, failure));
      PipelineProcess pipeline = start.start(runId + "-recovery-0");
      try {
        pipeline.awaitRunning(Duration.ofMinutes(2));
        for (int i = 1; i <= rounds; i++) {
          awaitFlowing(watch, pipeline, failure);
          pipeline.kill();
          long killed = System.nanoTime();
          long seen = watch.drain();
          long restarted = System.nanoTime();
          pipeline = start.start(runId + "-recovery-" + i);
          long first = watch.awaitFirstAfter(seen, ROUND_TIMEOUT, pipeline, failure);
          long all = first < 0 ? -1 : watch.awaitAllPartitions(ROUND_TIMEOUT, pipeline, failure);
          if (first < 0) {
            throw new IllegalStateException(
                "round "
                    + i
                    + ": no new output within "
                    + ROUND_TIMEOUT
                    + "; pipeline log tail:\n"
                    + pipeline.tail(30));
          }
          Round r =
              new Round(
                  i,
                  (first - restarted) / 1e9,
                  all < 0 ? -1 : (all - restarted) / 1e9,
                  (first - killed) / 1e9);
          LOG.info(
              "Round {}: restart -> first new output {} s, on every partition {} s (kill -> first"
                  + " new output {} s)",
              i,
              fmt(r.restartToOutputSeconds()),
              fmt(r.restartToAllPartitionsSeconds()),
              fmt(r.killToOutputSeconds()));
          results.add(r);
        }
      } finally {
        stop.set(true);
        load.join();
        pipeline.close();
      }
    }
    return results;
  }

  /** Starts the pipeline process under a name. */
  @FunctionalInterface
  interface PipelineStarter {
    PipelineProcess start(String name) throws Exception;
  }

  /** Waits until outputs have been arriving for a few seconds (the pipeline is in steady flow). */
  private static void awaitFlowing(
      OutputWatch watch, PipelineProcess pipeline, AtomicReference<Exception> failure)
      throws Exception {
    long from = watch.count();
    long deadline = System.nanoTime() + ROUND_TIMEOUT.toNanos();
    long flowingSince = -1;
    while (System.nanoTime() < deadline) {
      check(pipeline, failure, watch);
      long now = System.nanoTime();
      boolean recent = watch.count() > from && now - watch.lastArrival() < 500_000_000L;
      if (recent && flowingSince < 0) {
        flowingSince = now;
      }
      if (!recent) {
        flowingSince = -1;
      }
      if (flowingSince > 0 && now - flowingSince > 3_000_000_000L) {
        return;
      }
      LockSupport.parkNanos(50_000_000L);
    }
    throw new IllegalStateException(
        "outputs did not flow within " + ROUND_TIMEOUT + "; log tail:\n" + pipeline.tail(30));
  }

  private static void check(
      PipelineProcess pipeline, AtomicReference<Exception> failure, OutputWatch watch)
      throws Exception {
    if (failure.get() != null) {
      throw failure.get();
    }
    if (watch.error() != null) {
      throw new IllegalStateException("the output consumer failed", watch.error());
    }
    if (!pipeline.alive()) {
      throw new IllegalStateException("the pipeline exited; log tail:\n" + pipeline.tail(30));
    }
  }

  /** Produces orders at {@code linesPerSecond} until {@code stop}. */
  private void load(AtomicBoolean stop, AtomicReference<Exception> failure) {
    long t0 = System.nanoTime();
    long lines = 0;
    int batch = 0;
    while (!stop.get()) {
      Workload w = Workload.generate(runId + "o" + batch, 100, 1000L + batch, 1);
      batch++;
      for (Workload.Order order : w.orders()) {
        if (stop.get()) {
          break;
        }
        long due = t0 + (long) (lines / linesPerSecond * 1e9);
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        byte[] value = serializer.serialize(input, order.toEvent(Instant.now()));
        producer.send(
            new ProducerRecord<>(input, order.orderId(), value),
            (md, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              }
            });
        lines += order.lines();
      }
    }
    producer.flush();
  }

  /**
   * A {@code read_committed} consumer of one topic on its own thread, recording when records
   * arrive.
   */
  private static final class OutputWatch implements AutoCloseable {
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong lastArrival = new AtomicLong();
    private final AtomicBoolean drainRequested = new AtomicBoolean();
    private final AtomicLong drainedAt = new AtomicLong(-1);

    /** Per partition: arrival of its first record after the last drain, 0 = none yet. */
    private volatile java.util.concurrent.atomic.AtomicLongArray firstAfterDrain =
        new java.util.concurrent.atomic.AtomicLongArray(0);

    /** Arrival time of each record, by its index (1-based count), kept for the last few. */
    private final java.util.concurrent.ConcurrentSkipListMap<Long, Long> arrivals =
        new java.util.concurrent.ConcurrentSkipListMap<>();

    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicReference<Exception> error = new AtomicReference<>();
    private final Thread thread;

    OutputWatch(String bootstrap, String topic) {
      Properties c = new Properties();
      c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      c.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-recovery-watch");
      thread =
          Thread.ofPlatform()
              .name("recovery-watch")
              .start(
                  () -> {
                    try (var consumer =
                        new KafkaConsumer<>(
                            c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                      List<TopicPartition> tps =
                          consumer.partitionsFor(topic).stream()
                              .map(i -> new TopicPartition(topic, i.partition()))
                              .toList();
                      consumer.assign(tps);
                      consumer.seekToBeginning(tps);
                      firstAfterDrain = new java.util.concurrent.atomic.AtomicLongArray(tps.size());
                      while (!closed.get()) {
                        var records = consumer.poll(Duration.ofMillis(20));
                        int n = records.count();
                        long now = System.nanoTime();
                        for (var r : records) {
                          arrivals.put(count.incrementAndGet(), now);
                          firstAfterDrain.compareAndSet(r.partition(), 0, now);
                        }
                        if (n > 0) {
                          lastArrival.set(now);
                          while (arrivals.size() > 100_000) {
                            arrivals.pollFirstEntry();
                          }
                        }
                        if (drainRequested.get()) {
                          Map<TopicPartition, Long> end = consumer.endOffsets(tps);
                          if (tps.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
                            firstAfterDrain =
                                new java.util.concurrent.atomic.AtomicLongArray(tps.size());
                            drainedAt.set(count.get());
                            drainRequested.set(false);
                          }
                        }
                      }
                    } catch (Exception e) {
                      error.set(e);
                    }
                  });
    }

    long count() {
      return count.get();
    }

    long lastArrival() {
      return lastArrival.get();
    }

    Exception error() {
      return error.get();
    }

    /**
     * Reads up to the last stable offset (what was committed before now) and returns the count of
     * records seen by then.
     */
    long drain() {
      drainedAt.set(-1);
      drainRequested.set(true);
      while (drainedAt.get() < 0) {
        if (error.get() != null) {
          throw new IllegalStateException("the output consumer failed", error.get());
        }
        LockSupport.parkNanos(5_000_000L);
      }
      return drainedAt.get();
    }

    /** The arrival time of record {@code seen + 1}, or -1 after {@code timeout}. */
    long awaitFirstAfter(
        long seen, Duration timeout, PipelineProcess pipeline, AtomicReference<Exception> failure)
        throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        Long at = arrivals.get(seen + 1);
        if (at != null) {
          return at;
        }
        check(pipeline, failure, this);
        LockSupport.parkNanos(5_000_000L);
      }
      return -1;
    }

    /**
     * The time by which every partition had a record after the last drain, or -1 after {@code
     * timeout}.
     */
    long awaitAllPartitions(
        Duration timeout, PipelineProcess pipeline, AtomicReference<Exception> failure)
        throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        var firsts = firstAfterDrain;
        long last = 0;
        for (int p = 0; p < firsts.length() && last >= 0; p++) {
          long t = firsts.get(p);
          last = t == 0 ? -1 : Math.max(last, t);
        }
        if (last > 0) {
          return last;
        }
        check(pipeline, failure, this);
        LockSupport.parkNanos(5_000_000L);
      }
      return -1;
    }

    @Override
    public void close() throws InterruptedException {
      closed.set(true);
      thread.join();
    }
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
