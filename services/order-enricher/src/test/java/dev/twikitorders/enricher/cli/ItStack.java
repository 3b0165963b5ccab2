package dev.twikitorders.enricher.cli;

import static org.awaitility.Awaitility.await;

import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.enricher.config.Settings;
import dev.twikitorders.enricher.records.OutputHeaders;
import dev.twikitorders.localstack.LocalStack;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.SchemaRegistryClients;
import dev.twikitorders.registry.serde.AvroSerdes;
import dev.twikitorders.registry.serde.AvroSerializer;
import dev.twikitorders.sandbox.SandboxConfig;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.schemas.ConfigurationSummary;
import dev.twikitorders.schemas.DeadLetter;
import dev.twikitorders.schemas.FulfillmentConfiguration;
import dev.twikitorders.schemas.OrderEvent;
import dev.twikitorders.settings.ConfigSources;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import picocli.CommandLine;

/**
 * One real stack (KRaft broker, schema registry, Twikit sandbox) shared by the integration tests of
 * this JVM, started on first use and stopped when the JVM exits; each test class uses its own
 * topics. Plus helpers: the CLI, typed configs, producing events, reading outputs back.
 */
final class ItStack {
  static final String CLIENT_ID = "it-client";
  private static ItStack shared;

  final LocalStack stack;
  final TwikitSandbox sandbox;
  final String secret = "it-secret-" + UUID.randomUUID();
  final Path secretFile;
  final SchemaRegistryClient registry;

  private ItStack() {
    this.stack =
        LocalStack.builder()
            .service(
                TwikitSandbox.class,
                () ->
                    TwikitSandbox.start(
                        SandboxConfig.builder()
                            .port(0)
                            .clientId(CLIENT_ID)
                            .clientSecret(secret)
                            .latency(Duration.ofMillis(2))
                            .build()))
            .start();
    this.sandbox = stack.service(TwikitSandbox.class);
    try {
      secretFile = Files.createTempFile("twikit-secret", ".txt");
      Files.writeString(secretFile, secret);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.registry =
        SchemaRegistryClients.create(Map.of("schema.registry.url", stack.schemaRegistryUrl()));
  }

  static synchronized ItStack get() {
    if (shared == null) {
      shared = new ItStack();
      Runtime.getRuntime().addShutdownHook(new Thread(shared.stack::close, "it-stack-stop"));
    }
    return shared;
  }

  /** The topics of one test class. */
  record Topics(String input, String erp, String fulfillment, String dlq) {
    static Topics prefixed(String prefix) {
      return new Topics(
          prefix + "order-events", prefix + "erp", prefix + "fulfillment", prefix + "dlq");
    }

    List<String> all() {
      return List.of(input, erp, fulfillment, dlq);
    }
  }

  void createTopics(Topics t, int partitions) {
    stack
        .kafka()
        .createTopics(t.all().stream().map(n -> new NewTopic(n, partitions, (short) 1)).toList());
  }

  Admin admin() {
    return stack.kafka().admin();
  }

  /** The connection and topic flags of the CLI. */
  List<String> flags(Topics t) {
    return new ArrayList<>(
        List.of(
            "--bootstrap-servers",
            stack.bootstrapServers(),
            "--schema-registry-url",
            stack.schemaRegistryUrl(),
            "--twikit-api-url",
            sandbox.apiUrl().toString(),
            "--twikit-token-url",
            sandbox.tokenUrl().toString(),
            "--twikit-client-id",
            CLIENT_ID,
            "--twikit-client-secret-file",
            secretFile.toString(),
            "--set",
            "topic.order.events=" + t.input(),
            "--set",
            "topic.erp=" + t.erp(),
            "--set",
            "topic.fulfillment=" + t.fulfillment(),
            "--set",
            "topic.dead.letters=" + t.dlq(),
            "--set",
            "topics.create=false"));
  }

  /** The live pipeline's configuration for these topics. */
  EnricherConfig config(Topics t, String applicationId, Map<String, String> extra) {
    ConfigSources s = new ConfigSources(Settings.CATALOG);
    Map<String, String> m = new LinkedHashMap<>();
    m.put("kafka.bootstrap.servers", stack.bootstrapServers());
    m.put("schema.registry.url", stack.schemaRegistryUrl());
    m.put("twikit.api.url", sandbox.apiUrl().toString());
    m.put("twikit.token.url", sandbox.tokenUrl().toString());
    m.put("twikit.client.id", CLIENT_ID);
    m.put("twikit.client.secret.file", secretFile.toString());
    m.put("topic.order.events", t.input());
    m.put("topic.erp", t.erp());
    m.put("topic.fulfillment", t.fulfillment());
    m.put("topic.dead.letters", t.dlq());
    m.put("application.id", applicationId);
    try {
      m.put("state.dir", Files.createTempDirectory("it-state").toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    m.putAll(extra);
    m.forEach((k, v) -> s.set(k, v, "test setting " + k));
    return EnricherConfig.from(s);
  }

  /** What a CLI run printed and returned. */
  record CliResult(int exitCode, String out, String err) {
    /** The value of a {@code name: value} summary line. */
    String value(String name) {
      for (String line : out.split("\\R")) {
        if (line.startsWith(name + ": ")) {
          return line.substring(name.length() + 2).strip();
        }
      }
      throw new AssertionError("no line '" + name + ": ...' in:\n" + out + "\nstderr:\n" + err);
    }

    long count(String name) {
      String v = value(name);
      int space = v.indexOf(' ');
      return Long.parseLong(space < 0 ? v : v.substring(0, space));
    }
  }

  /** Runs the CLI in-process. */
  static CliResult cli(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = Main.commandLine(new Main());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args.toArray(String[]::new));
    return new CliResult(code, out.toString(), err.toString());
  }

  static List<String> args(List<String> head, List<String> flags, String... rest) {
    List<String> all = new ArrayList<>(head);
    all.addAll(flags);
    all.addAll(List.of(rest));
    return all;
  }

  /** One record to write to the input: an event, or raw bytes (unreadable). */
  record Input(String key, OrderEvent event, byte[] raw, long timestamp) {}

  /** Where an input record landed. */
  record Written(Input input, int partition, long offset) {
    String source(String topic) {
      return OutputHeaders.source(topic, partition, offset);
    }
  }

  List<Written> produce(String topic, List<Input> inputs) throws Exception {
    AvroSerializer<OrderEvent> serializer = new AvroSerializer<>(registry);
    serializer.configure(Map.of("schema.registry.url", stack.schemaRegistryUrl()), false);
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    List<java.util.concurrent.Future<RecordMetadata>> futures = new ArrayList<>();
    try (var producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (Input in : inputs) {
        byte[] value = in.event() != null ? serializer.serialize(topic, in.event()) : in.raw();
        futures.add(
            producer.send(
                new ProducerRecord<>(
                    topic,
                    null,
                    in.timestamp(),
                    in.key().getBytes(StandardCharsets.UTF_8),
                    value)));
      }
      producer.flush();
    }
    List<Written> written = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      RecordMetadata md = futures.get(i).get();
      written.add(new Written(inputs.get(i), md.partition(), md.offset()));
    }
    return written;
  }

  /** An output record read back. */
  record Out(
      int partition, long offset, String key, SpecificRecord value, Map<String, String> headers) {
    String header(String name) {
      return headers.get(name);
    }
  }

  /** Reads a whole topic (to its end now) with read_committed. */
  List<Out> readAll(String topic) {
    Deserializer<? extends SpecificRecord> deserializer = deserializerFor(topic);
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<Out> out = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps =
          consumer.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      Map<TopicPartition, Long> end = consumer.endOffsets(tps);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                  Map<String, String> headers = new LinkedHashMap<>();
                  for (Header h : r.headers()) {
                    headers.put(
                        h.key(),
                        h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
                  }
                  out.add(
                      new Out(
                          r.partition(),
                          r.offset(),
                          r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                          deserializer.deserialize(topic, r.value()),
                          headers));
                }
                return tps.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
              });
    }
    return out;
  }

  Map<TopicPartition, Long> endOffsets(String topic) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (var consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps =
          consumer.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      return consumer.endOffsets(tps);
    }
  }

  private Deserializer<? extends SpecificRecord> deserializerFor(String topic) {
    Map<String, Object> cfg = Map.of("schema.registry.url", stack.schemaRegistryUrl());
    if (topic.endsWith("dlq")) {
      return AvroSerdes.specific(DeadLetter.class, registry, cfg, false).deserializer();
    }
    if (topic.endsWith("fulfillment")) {
      return AvroSerdes.specific(FulfillmentConfiguration.class, registry, cfg, false)
          .deserializer();
    }
    return AvroSerdes.specific(ConfigurationSummary.class, registry, cfg, false).deserializer();
  }
}
