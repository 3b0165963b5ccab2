package dev.twikitorders.enricher.it;

import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.serde.AvroSerializer;
import dev.twikitorders.schemas.OrderEvent;
import dev.twikitorders.schemas.OrderEventType;
import dev.twikitorders.schemas.OrderLine;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Input data for the integration tests: seeded batches of order events following the sandbox's data
 * rules (configuration UUIDs starting {@code 00000000} are unknown, starting {@code dead} are
 * incompatible), unreadable values, and a producer that remembers where each record landed (the
 * {@code source} header and the dead letters of unreadable records refer to it).
 *
 * <p>Immutable; the producer methods are thread-safe.
 */
final class TestOrders {
  /** One input record: a key and either an event or raw bytes (unreadable; null = tombstone). */
  record Item(String key, OrderEvent event, byte[] raw) {
    static Item event(OrderEvent event) {
      return new Item(event.getOrderId(), event, null);
    }

    static Item raw(String key, byte[] raw) {
      return new Item(key, null, raw);
    }

    @Override
    public String toString() {
      return event != null
          ? "Item[" + key + ", " + event.getEventType() + " " + event.getEventId() + "]"
          : "Item[" + key + ", raw " + (raw == null ? "null" : raw.length + " bytes") + "]";
    }
  }

  /** An item and where it was written. */
  record Produced(Item item, String topic, int partition, long offset) {
    String source() {
      return topic + "/" + partition + "/" + offset;
    }
  }

  static final Instant OCCURRED_AT = Instant.parse("2026-11-23T10:00:00Z");

  private TestOrders() {}

  /**
   * A mixed batch: {@code orders} orders of 1-4 lines (about 70% configured with a valid UUID, 4%
   * unknown, 4% incompatible, the rest plain products); about 20% of the orders are cancelled a few
   * records later; plus unreadable values (garbage, a tombstone, truncated Avro) and invalid events
   * (quantity 0, key that does not match the order id) spread through the batch.
   */
  static List<Item> mixed(
      String prefix, int orders, long seed, SchemaRegistryClient registry, String topic) {
    Random random = new Random(seed);
    List<Item> items = new ArrayList<>();
    List<OrderEvent> toCancel = new ArrayList<>();
    for (int i = 1; i <= orders; i++) {
      String orderId = prefix + "-order-" + i;
      int lineCount = 1 + random.nextInt(4);
      List<OrderLine> lines = new ArrayList<>();
      for (int l = 1; l <= lineCount; l++) {
        int kind = random.nextInt(100);
        String configurationId;
        if (kind < 70) {
          configurationId = goodUuid(random);
        } else if (kind < 74) {
          configurationId = notFoundUuid(random);
        } else if (kind < 78) {
          configurationId = incompatibleUuid(random);
        } else {
          configurationId = null;
        }
        lines.add(
            new OrderLine(
                String.valueOf(l),
                "SKU-" + (100 + random.nextInt(900)),
                1 + random.nextInt(3),
                configurationId));
      }
      items.add(
          Item.event(
              event(
                  prefix + "-evt-" + i + "-placed", orderId, OrderEventType.ORDER_PLACED, lines)));
      if (random.nextInt(100) < 20) {
        toCancel.add(
            event(
                prefix + "-evt-" + i + "-cancelled",
                orderId,
                OrderEventType.ORDER_CANCELLED,
                lines));
      }
      // cancellations follow their order a few records later, interleaved with other orders
      if (!toCancel.isEmpty() && random.nextInt(3) == 0) {
        items.add(Item.event(toCancel.removeFirst()));
      }
      if (i % 37 == 0) {
        items.add(Item.raw(prefix + "-garbage-" + i, garbage(random)));
      }
      if (i % 53 == 0) {
        items.add(
            Item.event(
                event(
                    prefix + "-evt-" + i + "-invalid",
                    prefix + "-invalid-" + i,
                    OrderEventType.ORDER_PLACED,
                    List.of(new OrderLine("1", "SKU-1", 0, goodUuid(random))))));
      }
    }
    toCancel.forEach(e -> items.add(Item.event(e)));
    items.addAll(badRecords(prefix, random, registry, topic));
    return List.copyOf(items);
  }

  /** Orders whose lines are all configured with valid UUIDs: every line needs the API. */
  static List<Item> configuredOnly(String prefix, int orders, long seed) {
    Random random = new Random(seed);
    List<Item> items = new ArrayList<>();
    for (int i = 1; i <= orders; i++) {
      int lineCount = 1 + random.nextInt(3);
      List<OrderLine> lines = new ArrayList<>();
      for (int l = 1; l <= lineCount; l++) {
        lines.add(new OrderLine(String.valueOf(l), "SKU-" + l, 1, goodUuid(random)));
      }
      items.add(
          Item.event(
              event(
                  prefix + "-evt-" + i,
                  prefix + "-order-" + i,
                  OrderEventType.ORDER_PLACED,
                  lines)));
    }
    return List.copyOf(items);
  }

  /**
   * Unreadable and invalid records: bytes that are not Avro, a tombstone, a registry frame with an
   * unknown schema id, a valid frame cut short, an event whose key is not its order id, and one
   * whose currency is not ISO 4217.
   */
  static List<Item> badRecords(
      String prefix, Random random, SchemaRegistryClient registry, String topic) {
    List<Item> items = new ArrayList<>();
    items.add(
        Item.raw(prefix + "-bad-json", "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8)));
    items.add(Item.raw(prefix + "-bad-tombstone", null));
    items.add(
        Item.raw(prefix + "-bad-schema-id", new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 42, 42}));
    byte[] valid =
        serialize(
            registry,
            topic,
            event(
                prefix + "-evt-truncated",
                prefix + "-bad-truncated",
                OrderEventType.ORDER_PLACED,
                List.of(new OrderLine("1", "SKU-1", 1, goodUuid(random)))));
    items.add(Item.raw(prefix + "-bad-truncated", Arrays.copyOf(valid, valid.length / 2)));
    OrderEvent wrongKey =
        event(
            prefix + "-evt-wrong-key",
            prefix + "-order-wrong-key",
            OrderEventType.ORDER_PLACED,
            List.of(new OrderLine("1", "SKU-1", 1, goodUuid(random))));
    items.add(new Item(prefix + "-some-other-key", wrongKey, null));
    OrderEvent badCurrency =
        OrderEvent.newBuilder(
                event(
                    prefix + "-evt-bad-currency",
                    prefix + "-order-bad-currency",
                    OrderEventType.ORDER_PLACED,
                    List.of(new OrderLine("1", "SKU-1", 1, goodUuid(random)))))
            .setCurrency("euro")
            .build();
    items.add(Item.event(badCurrency));
    return items;
  }

  static byte[] garbage(Random random) {
    byte[] bytes = new byte[5 + random.nextInt(30)];
    random.nextBytes(bytes);
    bytes[0] = (byte) (1 + random.nextInt(100)); // not the Confluent magic byte 0
    return bytes;
  }

  static OrderEvent event(
      String eventId, String orderId, OrderEventType type, List<OrderLine> lines) {
    return OrderEvent.newBuilder()
        .setEventId(eventId)
        .setEventType(type)
        .setOrderId(orderId)
        .setShopId("it-shop")
        .setOccurredAt(OCCURRED_AT)
        .setCurrency("EUR")
        .setCustomerId(null)
        .setLines(List.copyOf(lines))
        .build();
  }

  static String goodUuid(Random random) {
    while (true) {
      String id = new UUID(random.nextLong(), random.nextLong()).toString();
      if (!id.startsWith("00000000") && !id.startsWith("dead")) {
        return id;
      }
    }
  }

  static String notFoundUuid(Random random) {
    return "00000000-" + new UUID(random.nextLong(), random.nextLong()).toString().substring(9);
  }

  static String incompatibleUuid(Random random) {
    return "dead" + new UUID(random.nextLong(), random.nextLong()).toString().substring(4);
  }

  static byte[] serialize(SchemaRegistryClient registry, String topic, OrderEvent event) {
    try (AvroSerializer<OrderEvent> serializer = new AvroSerializer<>(registry)) {
      serializer.configure(Map.of(), false);
      return serializer.serialize(topic, event);
    }
  }

  /** Produces the items in order (idempotent producer, acks=all) and returns where each landed. */
  static List<Produced> produce(
      String bootstrap, SchemaRegistryClient registry, String topic, List<Item> items) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        AvroSerializer<OrderEvent> serializer = new AvroSerializer<>(registry)) {
      serializer.configure(Map.of(), false);
      for (Item item : items) {
        byte[] value =
            item.event() != null ? serializer.serialize(topic, item.event()) : item.raw();
        sent.add(producer.send(new ProducerRecord<>(topic, item.key(), value)));
      }
      producer.flush();
      List<Produced> produced = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        RecordMetadata md = sent.get(i).get();
        produced.add(new Produced(items.get(i), md.topic(), md.partition(), md.offset()));
      }
      return List.copyOf(produced);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while producing", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("producing failed", e.getCause());
    }
  }
}
