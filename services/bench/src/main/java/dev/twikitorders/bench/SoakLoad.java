package dev.twikitorders.bench;

import dev.twikitorders.schemas.OrderEvent;
import dev.twikitorders.schemas.OrderEventType;
import dev.twikitorders.schemas.OrderLine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The soak's steady load, on its own thread: {@code ordersPerSecond} seeded orders, each with 1-4
 * lines (80 % configured with a configuration the sandbox serves, 12 % plain, 5 % unknown to the
 * sandbox, 3 % incompatible), about 10 % of them cancelled 2-20 s after their placement, and a few
 * bad records (0.5 % unreadable bytes, 0.5 % invalid events). Every expected outcome is registered
 * with the {@link SoakTally} before its record is sent (an unreadable record's when its offset is
 * known).
 *
 * <p>Thread-safe: {@link #stop()} and the counters from any thread.
 */
final class SoakLoad {
  private final KafkaProducer<String, byte[]> producer;
  private final Serializer<OrderEvent> serializer;
  private final String topic;
  private final String runId;
  private final SoakTally tally;
  private final double ordersPerSecond;
  private final Random random;
  private final Deque<Cancel> cancels = new ArrayDeque<>();
  private final AtomicReference<Exception> sendError = new AtomicReference<>();
  private final AtomicLong unacknowledged = new AtomicLong();
  private volatile boolean running = true;
  private Thread thread;
  private long seq;

  // counters for the report, written by the load thread only
  private volatile long placed;
  private volatile long configuredLines;
  private volatile long plainLines;
  private volatile long badConfigurationLines;
  private volatile long cancelled;
  private volatile long cancelledLines;
  private volatile long unreadable;
  private volatile long invalid;

  private record Cancel(long due, String orderId, List<OrderLine> lines) {}

  SoakLoad(
      KafkaProducer<String, byte[]> producer,
      Serializer<OrderEvent> serializer,
      String topic,
      String runId,
      SoakTally tally,
      double ordersPerSecond,
      long seed) {
    this.producer = producer;
    this.serializer = serializer;
    this.topic = topic;
    this.runId = runId;
    this.tally = tally;
    this.ordersPerSecond = ordersPerSecond;
    this.random = new Random(seed);
  }

  void start() {
    thread = Thread.ofPlatform().name("soak-load").daemon().start(this::loop);
  }

  /** Stops producing, sends the cancellations still due, flushes and waits for every ack. */
  void stop() throws InterruptedException {
    running = false;
    thread.join();
    producer.flush();
  }

  Exception sendError() {
    return sendError.get();
  }

  private void loop() {
    long t0 = System.nanoTime();
    long orders = 0;
    while (running && sendError.get() == null) {
      long due = (long) ((System.nanoTime() - t0) / 1e9 * ordersPerSecond);
      while (orders < due) {
        order(orders++);
      }
      long now = System.currentTimeMillis();
      while (!cancels.isEmpty() && cancels.peekFirst().due() <= now) {
        cancel(cancels.pollFirst());
      }
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
    }
    // cancellations still pending: sent now, still after their placement
    while (!cancels.isEmpty()) {
      cancel(cancels.pollFirst());
    }
  }

  private void order(long n) {
    int kind = random.nextInt(1000);
    if (kind < 5) {
      sendUnreadable();
      return;
    }
    String orderId = runId + "-o" + n;
    int count = 1 + random.nextInt(4);
    List<OrderLine> lines = new ArrayList<>(count);
    List<SoakTally.Expect> expects = new ArrayList<>(count);
    for (int l = 1; l <= count; l++) {
      int k = random.nextInt(100);
      String configurationId = null;
      SoakTally.Expect expect = null;
      if (k < 80) {
        // top nibble 1..7: neither 00000000 (unknown) nor dead... (incompatible) by the sandbox's
        // rules
        long msb = (random.nextLong() & 0x0FFF_FFFF_FFFF_FFFFL) | ((1L + random.nextInt(7)) << 60);
        configurationId = new UUID(msb, random.nextLong()).toString();
        expect = SoakTally.Expect.ENRICHED;
      } else if (k < 92) {
        // a plain product: no configuration, no output
      } else if (k < 97) {
        configurationId =
            "00000000-" + new UUID(random.nextLong(), random.nextLong()).toString().substring(9);
        expect = SoakTally.Expect.DEAD_LETTER;
      } else {
        configurationId =
            "dead" + new UUID(random.nextLong(), random.nextLong()).toString().substring(4);
        expect = SoakTally.Expect.DEAD_LETTER;
      }
      lines.add(
          new OrderLine(
              String.valueOf(l), "SKU-" + (100 + random.nextInt(900)), 1 + l % 3, configurationId));
      expects.add(expect);
    }
    long eventSeq = seq++;
    String eventId = orderId + "-placed";
    if (kind < 10) {
      // invalid: a quantity of 0; the whole event is one dead letter
      OrderLine first = lines.get(0);
      lines.set(
          0, new OrderLine(first.getLineId(), first.getSku(), 0, UUID.randomUUID().toString()));
      tally.expect(eventId, orderId, eventSeq * 16, SoakTally.Expect.EVENT_DEAD_LETTER);
      invalid++;
      send(orderId, event(eventId, orderId, OrderEventType.ORDER_PLACED, lines), null);
      return;
    }
    for (int i = 0; i < lines.size(); i++) {
      SoakTally.Expect expect = expects.get(i);
      if (expect != null) {
        tally.expect(eventId + ":" + lines.get(i).getLineId(), orderId, eventSeq * 16 + i, expect);
        if (expect == SoakTally.Expect.ENRICHED) {
          configuredLines++;
        } else {
          badConfigurationLines++;
        }
      } else {
        plainLines++;
      }
    }
    placed++;
    send(orderId, event(eventId, orderId, OrderEventType.ORDER_PLACED, lines), null);
    if (random.nextInt(100) < 10) {
      cancels.addLast(
          new Cancel(System.currentTimeMillis() + 2000 + random.nextInt(18_000), orderId, lines));
    }
  }

  private void cancel(Cancel c) {
    long eventSeq = seq++;
    String eventId = c.orderId() + "-cancelled";
    for (int i = 0; i < c.lines().size(); i++) {
      if (c.lines().get(i).getConfigurationId() != null) {
        tally.expect(
            eventId + ":" + c.lines().get(i).getLineId(),
            c.orderId(),
            eventSeq * 16 + i,
            SoakTally.Expect.CANCELLED);
        cancelledLines++;
      }
    }
    cancelled++;
    send(c.orderId(), event(eventId, c.orderId(), OrderEventType.ORDER_CANCELLED, c.lines()), null);
  }

  private void sendUnreadable() {
    String key = runId + "-bad" + unreadable;
    byte[] value =
        unreadable % 2 == 0
            ? "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8)
            : new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 42}; // an unknown schema id
    unreadable++;
    send(key, null, value);
  }

  private void send(String key, OrderEvent event, byte[] raw) {
    byte[] value = event != null ? serializer.serialize(topic, event) : raw;
    unacknowledged.incrementAndGet();
    producer.send(
        new ProducerRecord<>(topic, key, value),
        (md, e) -> {
          if (e != null) {
            sendError.compareAndSet(null, e);
          } else if (event == null) {
            // an unreadable record's dead letter names it by topic/partition/offset
            tally.expect(
                md.topic() + "/" + md.partition() + "/" + md.offset(),
                null,
                0,
                SoakTally.Expect.EVENT_DEAD_LETTER);
          }
          unacknowledged.decrementAndGet();
        });
  }

  private OrderEvent event(
      String eventId, String orderId, OrderEventType type, List<OrderLine> lines) {
    return OrderEvent.newBuilder()
        .setEventId(eventId)
        .setEventType(type)
        .setOrderId(orderId)
        .setShopId("soak-shop")
        .setOccurredAt(Instant.now())
        .setCurrency("EUR")
        .setCustomerId("customer-" + Math.floorMod(orderId.hashCode(), 1000))
        .setLines(lines)
        .build();
  }

  long placed() {
    return placed;
  }

  long configuredLines() {
    return configuredLines;
  }

  long plainLines() {
    return plainLines;
  }

  long badConfigurationLines() {
    return badConfigurationLines;
  }

  long cancelled() {
    return cancelled;
  }

  long cancelledLines() {
    return cancelledLines;
  }

  long unreadable() {
    return unreadable;
  }

  long invalid() {
    return invalid;
  }

  /** Records sent and not yet acknowledged. */
  long unacknowledged() {
    return unacknowledged.get();
  }
}
