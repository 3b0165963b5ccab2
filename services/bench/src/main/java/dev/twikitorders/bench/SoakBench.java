package dev.twikitorders.bench;

import dev.twikitorders.enricher.app.Wiring;
import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.enricher.config.Settings;
import dev.twikitorders.localstack.LocalStack;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.sandbox.counters.Counters;
import dev.twikitorders.sandbox.faults.Faults;
import dev.twikitorders.schemas.OrderEvent;
import dev.twikitorders.settings.ConfigSources;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bench --soak MINUTES}: the pipeline on the embedded stack for MINUTES under a steady load
 * ({@link SoakLoad}) and a {@link FaultSchedule}: Twikit errors and hangs all along, 429 bursts, an
 * API outage, a token-endpoint outage with 60 s tokens, three {@code kill -9} of the pipeline
 * instance with an immediate restart (same settings and state directory), and a second instance of
 * the same application id joining and leaving (SIGTERM). Then the load stops, the faults go, the
 * pipeline drains, and every input is verified ({@link SoakTally}); the {@link SoakReport} is
 * printed. Exit code 0 when nothing was lost, duplicated or reordered, 1 otherwise.
 *
 * <p>Not thread-safe: one run, on the calling thread (the load, the verifier and a leaving
 * instance's shutdown have threads of their own).
 */
final class SoakBench {
  private static final Logger LOG = LoggerFactory.getLogger(SoakBench.class);
  private static final Duration TOKEN_TTL = Duration.ofSeconds(60);
  private static final Duration SCRAPE_EVERY = Duration.ofSeconds(5);
  private static final Duration DRAIN_LIMIT = Duration.ofMinutes(15);

  private final BenchMain options;
  private final Path jar;
  private final int minutes;
  private final double ordersPerSecond;
  private final String clientSecret = "soak-" + UUID.randomUUID();
  private final String runId =
      "s" + DateTimeFormatter.ofPattern("HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
  private final SoakReport report = new SoakReport();
  private final List<Instance> instances = new ArrayList<>();
  private Path workDir;
  private LocalStack stack;
  private TwikitSandbox sandbox;
  private SchemaRegistryClient registry;
  private SchemaRegistryClient verifierRegistry;
  private Serializer<OrderEvent> serializer;
  private Map<String, String> settings;
  private long t0;
  private boolean burst;
  private boolean apiOutage;
  private boolean tokenOutage;
  private Instance a;
  private Instance b;
  private int aIndex;
  private Thread leaving;

  /** One child process of the pipeline, from its start to its end. */
  static final class Instance {
    final String name;
    final PipelineProcess process;
    final int metricsPort;
    final long startedAt;
    final ChildLogWatcher log;
    volatile Map<String, Map<String, Double>> metrics = Map.of();
    volatile boolean stopping;
    volatile String end;
    volatile long endedAt = -1;

    Instance(String name, PipelineProcess process, int metricsPort, long startedAt, Path log) {
      this.name = name;
      this.process = process;
      this.metricsPort = metricsPort;
      this.startedAt = startedAt;
      this.log = new ChildLogWatcher(log);
    }
  }

  SoakBench(BenchMain options, Path jar, int minutes, double ordersPerSecond) {
    this.options = options;
    this.jar = jar;
    this.minutes = minutes;
    this.ordersPerSecond = ordersPerSecond;
  }

  int run() throws Exception {
    FaultSchedule schedule = FaultSchedule.defaults(Duration.ofMinutes(minutes));
    workDir = options.workDir != null ? options.workDir : defaultWorkDir();
    Files.createDirectories(workDir);
    LOG.info(
        "Soak of {} min at {} orders/s; child logs and state in {}; schedule:\n  {}",
        minutes,
        ordersPerSecond,
        workDir,
        String.join("\n  ", schedule.steps().stream().map(Object::toString).toList()));
    try {
      startStack();
      return soak(schedule);
    } finally {
      for (Instance i : instances) {
        if (i.process.alive()) {
          i.process.handle().destroyForcibly();
        }
      }
      closeStack();
    }
  }

  private static Path defaultWorkDir() throws IOException {
    Path target = Path.of("services", "bench", "target");
    String name =
        "soak-"
            + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(ZoneOffset.UTC)
                .format(Instant.now());
    return Files.isDirectory(target)
        ? target.resolve(name).toAbsolutePath()
        : Files.createTempDirectory("twikit-" + name);
  }

  private int soak(FaultSchedule schedule) throws Exception {
    String input = runId + ".order-events";
    String erp = runId + ".erp";
    String fulfillment = runId + ".fulfillment";
    String dlq = runId + ".dlq";
    stack
        .kafka()
        .createTopics(
            List.of(input, erp, fulfillment, dlq).stream()
                .map(t -> new NewTopic(t, options.partitions, (short) 1))
                .toList());
    settings = baseSettings();
    settings.put("topic.order.events", input);
    settings.put("topic.erp", erp);
    settings.put("topic.fulfillment", fulfillment);
    settings.put("topic.dead.letters", dlq);
    settings.put("application.id", "soak-" + runId);
    settings.put("metrics.bind.address", "127.0.0.1");
    settings.putAll(options.pipelineSet);

    // tokens live 60 s from the first one on; the other faults start with the load
    sandbox.faults(Faults.builder().latency(latency()).tokenTtl(TOKEN_TTL).build());
    a = start("a");
    a.process.awaitRunning(Duration.ofMinutes(2));

    SoakTally tally = new SoakTally();
    SoakVerifier verifier =
        new SoakVerifier(stack.bootstrapServers(), verifierRegistry, erp, fulfillment, dlq, tally);
    Counters before = sandbox.counters();
    long length = schedule.length().toMillis();
    try (KafkaProducer<String, byte[]> producer = producer()) {
      SoakLoad load =
          new SoakLoad(producer, serializer, input, runId, tally, ordersPerSecond, options.seed);
      t0 = System.currentTimeMillis();
      report.start(t0, minutes, ordersPerSecond, options.partitions, options.latencyMs);
      applyFaults("load starts: 5 % 500/503, 2 % hangs, tokens of 60 s");
      load.start();
      int next = 0;
      long lastScrape = 0;
      long lastLog = t0;
      while (System.currentTimeMillis() < t0 + length) {
        long elapsed = System.currentTimeMillis() - t0;
        while (next < schedule.steps().size()
            && schedule.steps().get(next).at().toMillis() <= elapsed) {
          execute(schedule.steps().get(next++).action(), tally);
        }
        lastScrape = housekeeping(lastScrape, verifier, load);
        if (System.currentTimeMillis() - lastLog > 15_000) {
          lastLog = System.currentTimeMillis();
          LOG.info(
              "soak {} s: {} placed, {} outcomes expected, {} done; outputs erp {} fulfillment {} dlq {}",
              (lastLog - t0) / 1000,
              load.placed(),
              tally.expected(),
              tally.done(),
              tally.records(SoakTally.Output.ERP),
              tally.records(SoakTally.Output.FULFILLMENT),
              tally.records(SoakTally.Output.DEAD_LETTER));
        }
        LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
      }
      load.stop();
      long loadEnd = System.currentTimeMillis();
      burst = false;
      apiOutage = false;
      tokenOutage = false;
      sandbox.faults(Faults.builder().latency(latency()).build());
      report.event(loadEnd, "load stops; all faults off; draining");
      if (load.sendError() != null) {
        throw new IllegalStateException("producing the load failed", load.sendError());
      }

      // drain: until every expected outcome has its records, or no progress for the stall time
      long stall = Math.max(options.stallSeconds, 120) * 1000;
      long lastDone = -1;
      long lastProgress = System.currentTimeMillis();
      boolean drained = false;
      while (System.currentTimeMillis() - loadEnd < DRAIN_LIMIT.toMillis()) {
        lastScrape = housekeeping(lastScrape, verifier, load);
        long done = tally.done();
        if (load.unacknowledged() == 0 && done >= tally.expected()) {
          drained = true;
          break;
        }
        if (done > lastDone) {
          lastDone = done;
          lastProgress = System.currentTimeMillis();
        } else if (System.currentTimeMillis() - lastProgress > stall) {
          break;
        }
        if (System.currentTimeMillis() - lastLog > 15_000) {
          lastLog = System.currentTimeMillis();
          LOG.info("draining: {} of {} outcomes done", done, tally.expected());
        }
        LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
      }
      long drainedAt = System.currentTimeMillis();
      report.event(
          drainedAt,
          drained
              ? "drained: every expected outcome seen"
              : "drain STALLED: no progress for " + stall / 1000 + " s");
      // late duplicates would show up now
      LockSupport.parkNanos(Duration.ofMillis(Math.max(options.settleMs, 5000)).toNanos());
      Counters after = sandbox.counters();

      for (Instance i : List.of(a, b == null ? a : b)) {
        scrape(i);
      }
      if (leaving != null) {
        leaving.join();
      }
      if (b != null && b.end == null) {
        stop(b, "SIGTERM at the end");
      }
      stop(a, "SIGTERM at the end");
      instances.forEach(i -> i.log.poll());
      boolean readAll = verifier.finish(Duration.ofSeconds(60));
      if (!readAll) {
        report.finding("the verifier could not read the outputs to their end within 60 s");
      }

      report.load(load);
      report.outputs(tally);
      report.sandbox(before, after);
      report.instances(instances);
      report.gaps(
          tally.longestGap(true, t0, drainedAt), tally.longestGap(false, t0, drainedAt), t0);
      SoakTally.Verdict verdict = tally.verdict();
      report.verdict(verdict, drained);
      report.print(System.out, workDir);
      return verdict.ok() && drained ? 0 : 1;
    }
  }

  /** Logs, liveness, metrics; returns the time of the last scrape. */
  private long housekeeping(long lastScrape, SoakVerifier verifier, SoakLoad load)
      throws IOException {
    instances.forEach(i -> i.log.poll());
    if (verifier.error() != null) {
      throw new IllegalStateException("the verifier's consumer failed", verifier.error());
    }
    if (a.end == null && !a.stopping && !a.process.alive()) {
      a.end = "EXITED on its own";
      a.endedAt = System.currentTimeMillis();
      report.finding(
          a.name
              + " exited on its own at "
              + rel(a.endedAt)
              + "; restarted. Last log lines:\n"
              + a.process.tail(20));
    }
    // restarted, but not more often than every 10 s when it keeps exiting (e.g. at its preflight)
    if (a.end != null && !a.stopping && System.currentTimeMillis() - a.startedAt >= 10_000) {
      a = start("a");
    }
    if (b != null && b.end == null && !b.stopping && !b.process.alive()) {
      b.end = "EXITED on its own";
      b.endedAt = System.currentTimeMillis();
      report.finding(
          b.name
              + " exited on its own at "
              + rel(b.endedAt)
              + ". Last log lines:\n"
              + b.process.tail(20));
    }
    long now = System.currentTimeMillis();
    if (now - lastScrape >= SCRAPE_EVERY.toMillis()) {
      scrape(a);
      if (b != null && b.end == null) {
        scrape(b);
      }
      return now;
    }
    return lastScrape;
  }

  private void scrape(Instance i) {
    var m = MetricsScrape.scrape(i.metricsPort);
    if (m != null) {
      i.metrics = m;
    }
  }

  private void execute(FaultSchedule.Action action, SoakTally tally) throws IOException {
    switch (action) {
      case BURST_429_START -> {
        burst = true;
        applyFaults("429 burst starts (90 % 429, Retry-After 2 s)");
      }
      case BURST_429_END -> {
        burst = false;
        applyFaults("429 burst ends");
      }
      case API_OUTAGE_START -> {
        apiOutage = true;
        applyFaults("API outage starts (every API call 503)");
      }
      case API_OUTAGE_END -> {
        apiOutage = false;
        applyFaults("API outage ends");
      }
      case TOKEN_OUTAGE_START -> {
        tokenOutage = true;
        applyFaults("token endpoint outage starts (503)");
      }
      case TOKEN_OUTAGE_END -> {
        tokenOutage = false;
        applyFaults("token endpoint outage ends");
      }
      case KILL_AND_RESTART -> {
        scrape(a);
        Instance killed = a;
        killed.stopping = true;
        killed.process.handle().destroyForcibly(); // SIGKILL on Linux and macOS
        try {
          killed.process.handle().onExit().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
          report.finding(killed.name + " did not die within 15 s of SIGKILL");
        }
        killed.end = "kill -9";
        killed.endedAt = System.currentTimeMillis();
        a = start("a");
        report.kill(killed.endedAt, a);
        report.event(killed.endedAt, "kill -9 " + killed.name + ", restarted as " + a.name);
      }
      case SECOND_INSTANCE_JOINS -> {
        b = start("b");
        report.event(b.startedAt, "second instance " + b.name + " joins");
      }
      case SECOND_INSTANCE_LEAVES -> {
        if (b == null || b.end != null) {
          return;
        }
        scrape(b);
        Instance leaver = b;
        report.event(
            System.currentTimeMillis(), "second instance " + leaver.name + " leaves (SIGTERM)");
        leaving =
            Thread.ofPlatform().name("soak-leave").daemon().start(() -> stop(leaver, "SIGTERM"));
      }
    }
  }

  private void stop(Instance i, String how) {
    long from = System.currentTimeMillis();
    scrape(i);
    i.stopping = true;
    i.process.close(); // SIGTERM; SIGKILL after 45 s
    i.endedAt = System.currentTimeMillis();
    i.end = how + " (stopped in " + (i.endedAt - from) + " ms)";
  }

  private void applyFaults(String why) {
    Faults.Builder f =
        Faults.builder()
            .latency(latency())
            .tokenTtl(TOKEN_TTL)
            .hangRate(0.02)
            .hangFor(Duration.ZERO) // never answered: the client's response timeout ends it
            .tokenOutage(tokenOutage)
            .retryAfter(Duration.ofSeconds(1));
    if (apiOutage) {
      f.errorRate(503, 1.0);
    } else {
      f.errorRate(500, 0.025).errorRate(503, 0.025);
      if (burst) {
        f.errorRate(429, 0.9).retryAfter(Duration.ofSeconds(2));
      }
    }
    sandbox.faults(f.build());
    report.event(System.currentTimeMillis(), why);
    LOG.info("soak {} s: {}", (System.currentTimeMillis() - t0) / 1000, why);
  }

  /** Starts instance {@code group} (a: the one killed, b: the one that joins). */
  private Instance start(String group) throws IOException {
    int index = group.equals("a") ? ++aIndex : 1;
    String name = group + index;
    int port = freePort();
    Map<String, String> s = new LinkedHashMap<>(settings);
    s.put("state.dir", workDir.resolve("state-" + group).toString());
    s.put("metrics.port", Integer.toString(port));
    PipelineProcess p =
        PipelineProcess.start(
            new ChildJvm(options.pipelineXmx, options.gc, options.pipelineJvmArgs),
            jar,
            workDir,
            "soak-" + name,
            s,
            clientSecret);
    Instance i =
        new Instance(
            name, p, port, System.currentTimeMillis(), workDir.resolve("soak-" + name + ".log"));
    instances.add(i);
    return i;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private String rel(long at) {
    return String.format(java.util.Locale.ROOT, "%.1f s", (at - t0) / 1000.0);
  }

  private Duration latency() {
    return Duration.ofMillis(options.latencyMs);
  }

  // ---- stack (as the rounds' BenchMain.startStack) ----

  private void startStack() {
    stack = BenchStack.start(clientSecret, latency());
    sandbox = stack.service(TwikitSandbox.class);
    ConfigSources sources = new ConfigSources(Settings.CATALOG);
    baseSettings().forEach((k, v) -> sources.set(k, v, "bench setting " + k));
    Wiring wiring = Wiring.of(EnricherConfig.from(sources));
    registry = wiring.registryClient();
    verifierRegistry = wiring.registryClient();
    serializer = wiring.orderEventSerializer(registry);
  }

  private void closeStack() {
    BenchStack.closeQuietly(registry, "registry client");
    BenchStack.closeQuietly(verifierRegistry, "registry client");
    BenchStack.closeQuietly(stack, "stack");
  }

  private Map<String, String> baseSettings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("kafka.bootstrap.servers", stack.bootstrapServers());
    s.put("schema.registry.url", stack.schemaRegistryUrl());
    s.put("twikit.api.url", sandbox.apiUrl().toString());
    s.put("twikit.token.url", sandbox.tokenUrl().toString());
    s.put("twikit.client.id", "bench");
    s.put("twikit.max.in.flight", Integer.toString(options.maxInFlight));
    s.put("enrichment.max.pending.events", Integer.toString(options.maxPending));
    s.put("num.stream.threads", Integer.toString(options.threads));
    s.put("topics.create", "false");
    return s;
  }

  private KafkaProducer<String, byte[]> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "soak-load");
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }
}
