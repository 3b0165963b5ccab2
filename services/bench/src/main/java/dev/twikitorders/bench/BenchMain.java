package dev.twikitorders.bench;

import dev.twikitorders.auth.Secret;
import dev.twikitorders.enricher.app.Wiring;
import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.enricher.config.Settings;
import dev.twikitorders.localstack.LocalStack;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.serde.AvroSerdes;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.sandbox.api.Operation;
import dev.twikitorders.sandbox.counters.Counters;
import dev.twikitorders.sandbox.counters.ServiceTimes;
import dev.twikitorders.schemas.ConfigurationSummary;
import dev.twikitorders.schemas.OrderEvent;
import dev.twikitorders.settings.ConfigSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark command (issue 4): starts the embedded stack once, then measures in one run the raw
 * Twikit client ceiling, the sync and async pipeline, a sustained rate and the latency at half the
 * maximum rate, verifying every round (exactly once per output topic, per-order order).
 *
 * <p>Exit codes: 0 every round correct (performance targets are reported, not enforced), 1 a round
 * lost, duplicated or reordered records or did not finish, 2 usage or set-up error.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 120,
    description = {
      "Benchmarks the order pipeline on the embedded stack (KRaft broker, Apicurio registry child JVM, Twikit",
      "sandbox with the given API latency). One run measures:",
      "  raw        the pipeline's Twikit client in a child JVM with the pipeline's JVM options, driving the sandbox",
      "             directly (no Kafka): at 0 ms after --raw-warmup-s (best of --raw-windows), then at --latency-ms;",
      "  sync       the blocking baseline (enrichment.mode=sync), --sync-orders orders as a backlog;",
      "  async      the asynchronous pipeline as a backlog: --orders orders at --latency-ms, --orders-0ms at 0 ms;",
      "  sustained  async at --rate lines/s for --duration-s seconds;",
      "  half-rate  async at half the async backlog rate for --half-rate-s seconds (latency percentiles).",
      "Every pipeline round runs the pipeline as a child JVM (order-enricher.jar run) on fresh topics and a fresh",
      "application id, warms it up for --warmup-s (JIT), and checks that every line appears exactly once on both",
      "outputs, in input order per order. Runs take about 10 minutes with the defaults.",
      "Prints a table, the ratios and the performance targets (PASS/FAIL); --json writes the same. The 0 ms target",
      "compares steady states: the best --raw-seconds window of the pipeline round with the best raw window.",
      "--delivery adds the delivery round after the others (--delivery-only: that round alone): delivery.jar",
      "delivers --delivery-records records to the sandbox's sink, --delivery-batch per request; records/s, verified.",
      "--recovery measures crash recovery instead: kill -9 of the pipeline under load and an immediate restart with",
      "the same settings, --recovery-rounds times; restart -> first new output (read_committed), target <= 10 s.",
      "--peers DIR adds, after the rounds, a peer benchmark (e.g. enrich-bench: Parallel Consumer, naive Kafka",
      "Streams) built from DIR and run against the same sandbox, latency and broker: peer:<name> rows and the target",
      "async >= 2x best verified peer lines/s. A peer's failed verification is shown, not an exit code.",
      "Exit codes: 0 all rounds correct, 1 a round lost/duplicated/reordered records (--recovery: a round saw no new",
      "output; --peers: the peer benchmark did not build or gave no results), 2 usage or set-up error."
    })
public final class BenchMain implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(BenchMain.class);

  @Option(
      names = "--orders",
      defaultValue = "20000",
      description =
          "Orders of the async backlog round at --latency-ms (default: ${DEFAULT-VALUE}); 1-4 lines each, mean 2.5.")
  int orders;

  @Option(
      names = "--orders-0ms",
      defaultValue = "80000",
      description =
          "Orders of the async backlog round at 0 ms (default: ${DEFAULT-VALUE}), so that the round lasts well over one --raw-seconds window and its steady state is measured.")
  int orders0ms;

  @Option(
      names = "--sync-orders",
      defaultValue = "40",
      description =
          "Orders of the sync round (default: ${DEFAULT-VALUE}); sync at 50 ms does a few lines/s.")
  int syncOrders;

  @Option(
      names = "--latency-ms",
      defaultValue = "50",
      description = "Twikit sandbox latency per API call (default: ${DEFAULT-VALUE}).")
  long latencyMs;

  @Option(
      names = "--modes",
      split = ",",
      defaultValue = "sync,async",
      description = "Pipeline modes to run: sync, async or both (default: ${DEFAULT-VALUE}).")
  List<String> modes;

  @Option(
      names = "--max-in-flight",
      defaultValue = "1024",
      description =
          "twikit.max.in.flight of the pipeline and of the raw client: the ceiling of the adaptive"
              + " limit, the limit with --concurrency fixed (default: ${DEFAULT-VALUE}).")
  int maxInFlight;

  @Option(
      names = "--capacity",
      defaultValue = "200",
      description =
          "The capacity rounds: the sandbox serves at most this many calls at once (--latency-ms"
              + " each, the rest queue); the adaptive client against --capacity-fixed fixed limits;"
              + " 0 skips them (default: ${DEFAULT-VALUE}).")
  int serverCapacity;

  @Option(
      names = "--capacity-fixed",
      split = ",",
      defaultValue = "64,256,1024",
      description =
          "The fixed in-flight limits the capacity rounds compare (default: ${DEFAULT-VALUE}).")
  List<Integer> capacityFixed;

  @Option(
      names = "--capacity-orders",
      defaultValue = "6000",
      description =
          "Orders of each capacity round and of the rate-limit round (default: ${DEFAULT-VALUE}).")
  int capacityOrders;

  @Option(
      names = "--capacity-warmup-s",
      defaultValue = "20",
      description =
          "Warm-up of each capacity round and of the rate-limit round, against the same limited"
              + " sandbox, so the adaptive limit has found it (default: ${DEFAULT-VALUE}).")
  long capacityWarmupSeconds;

  @Option(
      names = "--rate-limit",
      defaultValue = "2000",
      description =
          "The rate-limit round: the sandbox answers 429 beyond this many calls per second; the"
              + " pipeline is not told the quota; 0 skips it (default: ${DEFAULT-VALUE}).")
  double serverRateLimit;

  @Option(
      names = "--concurrency",
      defaultValue = "adaptive",
      description =
          "twikit.concurrency of the pipeline and of the raw client: adaptive or fixed (default:"
              + " ${DEFAULT-VALUE}).")
  String concurrency;

  @Option(
      names = "--max-pending",
      defaultValue = "1000",
      description = "enrichment.max.pending.events per task (default: ${DEFAULT-VALUE}).")
  int maxPending;

  @Option(
      names = "--partitions",
      defaultValue = "6",
      description = "Partitions of every topic (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--threads",
      defaultValue = "1",
      description = "num.stream.threads of the pipeline (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--duration-s",
      defaultValue = "60",
      description =
          "Length of the sustained round in seconds; 0 skips it (default: ${DEFAULT-VALUE}).")
  long durationSeconds;

  @Option(
      names = "--rate",
      defaultValue = "1200",
      description = "Offered load of the sustained round, lines/s (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--half-rate-s",
      defaultValue = "20",
      description =
          "Length of the half-rate latency round in seconds; 0 skips it (default: ${DEFAULT-VALUE}).")
  long halfRateSeconds;

  @Option(
      names = "--raw-seconds",
      defaultValue = "10",
      description =
          "Length of each measured raw-ceiling window, and of the window of a pipeline round's steady state (steady/s, the 0 ms target) (default: ${DEFAULT-VALUE}).")
  long rawSeconds;

  @Option(
      names = "--raw-windows",
      defaultValue = "3",
      description =
          "Measured windows of the 0 ms raw ceiling, one after the other; the best is the ceiling (default: ${DEFAULT-VALUE}).")
  int rawWindows;

  @Option(
      names = "--raw-warmup-s",
      defaultValue = "30",
      description =
          "Unmeasured warm-up of the raw client JVM at 0 ms before its first window, so that it is measured JIT-compiled, as the pipeline is (default: ${DEFAULT-VALUE}).")
  long rawWarmupSeconds;

  @Option(
      names = "--warmup-s",
      defaultValue = "60",
      description =
          "Unmeasured (but verified) warm-up of each async round's pipeline JVM: batches of --warmup-orders orders until this many seconds have passed, so that the measurement sees JIT-compiled code (default: ${DEFAULT-VALUE}; 0 = one batch).")
  long warmupSeconds;

  @Option(
      names = "--warmup-orders",
      defaultValue = "2000",
      description =
          "Orders per warm-up batch of the async rounds; sync rounds warm up with 3 orders (default: ${DEFAULT-VALUE}).")
  int warmupOrders;

  @Option(
      names = "--key-share",
      defaultValue = "2",
      description =
          "Events per order id: 2 = orders i and i+1 share an id, so per-order order is checked across events (default: ${DEFAULT-VALUE}; 1 = one event per order).")
  int keyShare;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Workload seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--pipeline-xmx",
      defaultValue = "512m",
      description =
          "-Xmx of the pipeline JVM and of the raw client JVM (default: ${DEFAULT-VALUE}, the heap budget of the performance targets).")
  String pipelineXmx;

  @Option(
      names = "--gc",
      defaultValue = "G1GC",
      description =
          "Garbage collector of the pipeline JVM and of the raw client JVM, as in -XX:+Use<GC>: G1GC, ParallelGC, SerialGC, ZGC (default: ${DEFAULT-VALUE}, the JVM's own choice here).")
  String gc;

  @Option(
      names = "--pipeline-set",
      paramLabel = "KEY=VALUE",
      description =
          "Extra pipeline setting (as `run --set`), e.g. kafka.producer.linger.ms=10. Repeatable.")
  Map<String, String> pipelineSet = new LinkedHashMap<>();

  @Option(
      names = "--pipeline-jvm-arg",
      paramLabel = "ARG",
      description =
          "Extra JVM option of the pipeline JVM and of the raw client JVM, e.g. -XX:StartFlightRecording=filename=p-%%p.jfr. Repeatable.")
  List<String> pipelineJvmArgs = new ArrayList<>();

  @Option(
      names = "--enricher-jar",
      description =
          "The pipeline jar (default: services/order-enricher/target/order-enricher.jar, looked up from here and from bench.jar).")
  Path enricherJar;

  @Option(
      names = "--stall-timeout-s",
      defaultValue = "60",
      description =
          "A round fails when no line completes for this long (default: ${DEFAULT-VALUE}).")
  long stallSeconds;

  @Option(
      names = "--settle-ms",
      defaultValue = "2000",
      description =
          "Wait after the last line to catch late duplicates (default: ${DEFAULT-VALUE}).")
  long settleMs;

  @Option(
      names = "--recovery",
      description =
          "Measure crash recovery instead of throughput: the pipeline (child JVM) under --recovery-rate lines/s at --latency-ms is SIGKILLed and restarted at once with the same settings and state directory, --recovery-rounds times; prints restart -> first new ERP output (read_committed) per round and the max against the target (10 s).")
  boolean recovery;

  @Option(
      names = "--recovery-rounds",
      defaultValue = "3",
      description = "Kill-and-restart rounds of --recovery (default: ${DEFAULT-VALUE}).")
  int recoveryRounds;

  @Option(
      names = "--recovery-rate",
      defaultValue = "200",
      description = "Offered load during --recovery, lines/s (default: ${DEFAULT-VALUE}).")
  double recoveryRate;

  @Option(
      names = "--delivery",
      description =
          "After the other rounds, the delivery round: --delivery-records ConfigurationSummary records on a fresh topic (--partitions), delivered by delivery.jar deliver (child JVM) to the sandbox's sink at --latency-ms with --delivery-batch records per request; records/s, duplicates and a check that every key arrived, in order per order.")
  boolean delivery;

  @Option(
      names = "--delivery-only",
      description = "Only the delivery round (no raw, sync or async rounds).")
  boolean deliveryOnly;

  @Option(
      names = "--delivery-records",
      defaultValue = "20000",
      description = "Measured records of the delivery round (default: ${DEFAULT-VALUE}).")
  int deliveryRecords;

  @Option(
      names = "--delivery-warmup-records",
      defaultValue = "1000",
      description =
          "Records delivered unmeasured before the measured ones (default: ${DEFAULT-VALUE}).")
  int deliveryWarmupRecords;

  @Option(
      names = "--delivery-batch",
      defaultValue = "100",
      description =
          "delivery.batch.max.records of the delivery round: records per request (default: ${DEFAULT-VALUE}).")
  int deliveryBatch;

  @Option(
      names = "--delivery-linger-ms",
      defaultValue = "5",
      description =
          "delivery.linger.ms of the delivery round: how long a partition waits to fill a batch (default: ${DEFAULT-VALUE}).")
  long deliveryLingerMs;

  @Option(
      names = "--delivery-jar",
      description =
          "The delivery service's jar (default: services/delivery/target/delivery.jar, looked up from here and from bench.jar).")
  Path deliveryJar;

  @Option(
      names = "--peers",
      paramLabel = "DIR",
      description =
          "After the rounds, build the peer benchmark in DIR (a Maven project such as enrich-bench: Parallel Consumer pc/pc-tx and a naive Kafka Streams streams-sync; a copy is built in --work-dir, DIR is not written to) and run it against this run's sandbox and broker at --latency-ms; adds peer:<name> rows to the table and --json and the target async >= 2x best verified peer lines/s. Building needs Maven Central unless its dependencies are in the local repository.")
  Path peersDir;

  @Option(
      names = "--peer-orders",
      defaultValue = "10000",
      description = "Orders of the peers pc and pc-tx (default: ${DEFAULT-VALUE}).")
  int peerOrders;

  @Option(
      names = "--peer-streams-orders",
      defaultValue = "200",
      description =
          "Orders of the peer streams-sync, which makes its calls one at a time (default: ${DEFAULT-VALUE}).")
  int peerStreamsOrders;

  @Option(
      names = "--peer-warmup-orders",
      defaultValue = "4000",
      description =
          "Unmeasured warm-up orders per peer, run with the sandbox at 0 ms before the measured peers (its own default with its stand-in; 0 = none) (default: ${DEFAULT-VALUE}).")
  int peerWarmupOrders;

  @Option(
      names = "--peer-timeout-s",
      defaultValue = "1200",
      description =
          "The peer benchmark's run (warm-up and all peers) is stopped after this long (default: ${DEFAULT-VALUE}).")
  long peerTimeoutSeconds;

  @Option(
      names = "--json",
      description = "Write the results as JSON, e.g. results/bench-<time>.json.")
  Path json;

  @Option(
      names = "--work-dir",
      description = "Pipeline logs, GC logs and state (default: a new temporary directory).")
  Path workDir;

  @Option(
      names = "--soak",
      paramLabel = "MINUTES",
      description =
          "Instead of the rounds: the soak test. The pipeline runs MINUTES (at least 1; 10 is the reference) under a steady load (--soak-rate orders/s: configured and plain lines, cancellations, bad records) and a fault schedule scaled to MINUTES: 5 %% 500/503 and 2 %% hangs all along, 429 bursts, a 60 s API outage, a 30 s token-endpoint outage, 60 s tokens, three kill -9 with restarts, a second instance joining and leaving; then it drains, verifies every input (exactly once or one dead letter, per-order order) and prints a report. Child logs: services/bench/target/soak-<time> or --work-dir. Exit 1 on any loss, duplicate or reordering.")
  Integer soakMinutes;

  @Option(
      names = "--soak-rate",
      defaultValue = "40",
      description = "Orders/s of the soak's load (default: ${DEFAULT-VALUE}).")
  double soakRate;

  /** This command as picocli runs it: usage errors go to its error stream. */
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private LocalStack stack;
  private TwikitSandbox sandbox;
  private SchemaRegistryClient registry;
  private Serializer<OrderEvent> serializer;
  private Map<String, Object> registryConfig;
  private final String clientSecret = "bench-" + UUID.randomUUID();
  private final String runTag =
      DateTimeFormatter.ofPattern("HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
  private int roundIndex;
  private final List<ClientRow> clientRows = new ArrayList<>();

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "logback-bench.xml");
    }
    int code =
        new CommandLine(new BenchMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    System.exit(code);
  }

  @Override
  public Integer call() throws Exception {
    for (String m : modes) {
      if (!m.equals("sync") && !m.equals("async")) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--modes: unknown mode '" + m + "' (sync, async)");
      }
    }
    if (peersDir != null) {
      String problem = PeerBench.problem(peersDir);
      if (problem == null && (soakMinutes != null || recovery)) {
        problem = "--peers runs after the rounds; it cannot be combined with --soak or --recovery";
      }
      if (problem == null
          && (peerOrders < 1
              || peerStreamsOrders < 1
              || peerWarmupOrders < 0
              || peerTimeoutSeconds < 1)) {
        problem =
            "--peer-orders, --peer-streams-orders and --peer-timeout-s must be at least 1,"
                + " --peer-warmup-orders at least 0";
      }
      if (problem != null) {
        throw new CommandLine.ParameterException(spec.commandLine(), problem);
      }
    }
    Path deliveryJarPath = null;
    if (delivery || deliveryOnly) {
      if (deliveryRecords < 1
          || deliveryWarmupRecords < 1
          || deliveryBatch < 1
          || deliveryLingerMs < 0) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--delivery-records, --delivery-warmup-records and --delivery-batch must be at least 1,"
                + " --delivery-linger-ms at least 0");
      }
      deliveryJarPath = locateJar(deliveryJar, "delivery");
      if (deliveryJarPath == null) {
        System.err.println(
            "delivery.jar not found; build it first: ./mvnw -pl services/bench -am package"
                + " -DskipTests (or pass --delivery-jar)");
        return 2;
      }
    }
    Path jar = locateEnricherJar();
    if (jar == null) {
      System.err.println(
          "order-enricher.jar not found; build it first: ./mvnw -pl services/bench -am package"
              + " -DskipTests (or pass --enricher-jar)");
      return 2;
    }
    if (soakMinutes != null) {
      if (soakMinutes < 1 || soakRate <= 0) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--soak needs at least 1 minute and a positive --soak-rate");
      }
      return new SoakBench(this, jar, soakMinutes, soakRate).run();
    }
    if (workDir == null) {
      workDir = Files.createTempDirectory("twikit-bench-");
    }
    Files.createDirectories(workDir);
    LOG.info(
        "JVM {} {}, {} cores, max heap {} MB; pipeline jar {}; work dir {}",
        System.getProperty("java.vm.name"),
        Runtime.version(),
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        jar,
        workDir);

    if (recovery) {
      return recovery(jar);
    }
    List<RoundResult> results = new ArrayList<>();
    List<DeliveryRoundResult> deliveries = new ArrayList<>();
    List<PeerResults.Row> peers = new ArrayList<>();
    String peersError = null;
    boolean failed = false;
    long started = System.nanoTime();
    try {
      startStack();
      if (!deliveryOnly) {
        pipelineRounds(jar, results);
      }
      if (delivery || deliveryOnly) {
        deliveries.add(deliveryRound(deliveryJarPath));
      }
      if (peersDir != null) {
        try {
          peers.addAll(peerRun());
        } catch (PeerBench.PeerFailure e) {
          peersError = e.getMessage();
          LOG.error("peers: FAILED: {}", e.getMessage());
        }
      }
    } catch (RoundFailure e) {
      failed = true;
      results.add(e.partial);
      LOG.error("Round {} FAILED: {}", e.partial.round(), e.getMessage());
    } finally {
      closeStack();
    }
    return finish(results, deliveries, peers, peersError, failed, started);
  }

  /**
   * {@code --peers}: builds the peer benchmark and runs it against this run's sandbox and broker;
   * see {@link PeerBench}.
   */
  private List<PeerResults.Row> peerRun() throws PeerBench.PeerFailure {
    PeerBench peer = new PeerBench(peersDir, workDir);
    Path peerJar;
    try {
      peerJar = peer.build();
    } catch (PeerBench.PeerFailure e) {
      throw new PeerBench.PeerFailure(
          "to build " + peersDir.toAbsolutePath() + ": " + e.getMessage(), e);
    }
    List<PeerResults.Row> rows;
    try {
      rows =
          peer.run(
              peerJar,
              sandbox,
              new PeerBench.Params(
                  peerOrders,
                  peerStreamsOrders,
                  peerWarmupOrders,
                  latencyMs,
                  partitions,
                  Duration.ofSeconds(peerTimeoutSeconds),
                  stack.bootstrapServers(),
                  BenchStack.CLIENT_ID,
                  Secret.of(clientSecret)));
    } catch (PeerBench.PeerFailure e) {
      throw new PeerBench.PeerFailure(
          "to run " + peersDir.toAbsolutePath() + ": " + e.getMessage(), e);
    }
    for (PeerResults.Row r : rows) {
      LOG.info(
          "{}: {} lines/s, p50/p99 {}/{} ms: {}",
          r.round(),
          fmt(r.linesPerSec()),
          r.p50(),
          r.p99(),
          r.verdict());
    }
    return rows;
  }

  /** The raw, sync and async rounds, in that order, into {@code results}. */
  private void pipelineRounds(Path jar, List<RoundResult> results) throws Exception {
    try (RawClientProcess raw =
        RawClientProcess.start(childJvm(), workDir, baseSettings(), clientSecret)) {
      // the 0 ms window first: the long warm-up JIT-compiles the client (and the sandbox)
      RoundResult zero = raw("raw-0ms", 0, raw, Duration.ofSeconds(rawWarmupSeconds), rawWindows);
      results.add(
          raw("raw", latencyMs, raw, Duration.ofSeconds(10), 1)); // the limit re-learns the latency
      results.add(zero);
    }
    if (modes.contains("sync")) {
      results.add(round(new Round("sync", "sync", latencyMs, syncOrders, 0, 0, 3, 0), jar));
    }
    if (modes.contains("async")) {
      RoundResult async =
          round(
              new Round("async", "async", latencyMs, orders, 0, 0, warmupOrders, warmupSeconds),
              jar);
      results.add(async);
      results.add(
          round(
              new Round("async-0ms", "async", 0, orders0ms, 0, 0, warmupOrders, warmupSeconds),
              jar));
      if (durationSeconds > 0) {
        results.add(
            round(
                new Round(
                    "sustained",
                    "async",
                    latencyMs,
                    0,
                    rate,
                    durationSeconds,
                    warmupOrders,
                    warmupSeconds),
                jar));
      }
      if (halfRateSeconds > 0 && async.ok() && async.linesPerSec() > 0) {
        results.add(
            round(
                new Round(
                    "half-rate",
                    "async",
                    latencyMs,
                    0,
                    async.linesPerSec() / 2,
                    halfRateSeconds,
                    warmupOrders,
                    warmupSeconds),
                jar));
      }
      capacityRounds(jar, results);
    }
  }

  /**
   * Against a sandbox serving at most {@code --capacity} calls at once: the adaptive client, then
   * each of {@code --capacity-fixed}; then, against a sandbox with {@code --rate-limit}, the
   * adaptive client that is not told the quota.
   */
  private void capacityRounds(Path jar, List<RoundResult> results) throws Exception {
    try {
      limitedRounds(jar, results);
    } finally {
      sandbox.setCapacity(0);
      sandbox.setRateLimit(0);
    }
  }

  private void limitedRounds(Path jar, List<RoundResult> results) throws Exception {
    if (serverCapacity > 0) {
      results.add(
          capacityRound("cap" + serverCapacity + "-adaptive", serverCapacity, 0, Map.of(), jar));
      for (int fixed : capacityFixed) {
        results.add(
            capacityRound(
                "cap" + serverCapacity + "-fixed" + fixed,
                serverCapacity,
                0,
                Map.of(
                    "twikit.concurrency", "fixed", "twikit.max.in.flight", Integer.toString(fixed)),
                jar));
      }
    }
    if (serverRateLimit > 0) {
      results.add(
          capacityRound("rate" + fmt("%.0f", serverRateLimit), 0, serverRateLimit, Map.of(), jar));
    }
  }

  private RoundResult capacityRound(
      String name, int capacity, double rateLimit, Map<String, String> overrides, Path jar)
      throws Exception {
    return round(
        new Round(
            name,
            "async",
            latencyMs,
            capacityOrders,
            0,
            0,
            warmupOrders,
            capacityWarmupSeconds,
            capacity,
            rateLimit,
            overrides),
        jar);
  }

  /** The delivery round on a fresh topic; see {@link DeliveryBench}. */
  private DeliveryRoundResult deliveryRound(Path deliveryJarPath) throws Exception {
    String runId = "b" + runTag + "r" + (++roundIndex) + "d";
    Serializer<ConfigurationSummary> summaries =
        AvroSerdes.specific(ConfigurationSummary.class, registry, registryConfig, false)
            .serializer();
    DeliveryRoundResult r =
        new DeliveryBench(
                stack,
                sandbox,
                summaries,
                childJvm(),
                deliveryJarPath,
                workDir,
                clientSecret,
                runId)
            .run(
                new DeliveryBench.Params(
                    deliveryRecords,
                    deliveryWarmupRecords,
                    deliveryBatch,
                    deliveryLingerMs,
                    latencyMs,
                    partitions,
                    Duration.ofSeconds(stallSeconds),
                    Duration.ofMillis(settleMs)));
    LOG.info(
        "delivery: {} records/s ({} records in {} s, batch {}), duplicates {}, verdict {}",
        fmt(r.recordsPerSec()),
        r.records(),
        fmt(r.seconds()),
        r.batch(),
        r.duplicates(),
        r.verdict());
    return r;
  }

  /** Prints the report (and the JSON); the exit code. */
  private int finish(
      List<RoundResult> results,
      List<DeliveryRoundResult> deliveries,
      List<PeerResults.Row> peers,
      String peersError,
      boolean failed,
      long started)
      throws IOException {
    Map<String, Object> settings = settingsForReport();
    settings.put("totalSeconds", (System.nanoTime() - started) / 1e9);
    Report report =
        new Report(
            results,
            latencyMs,
            durationSeconds,
            settings,
            deliveries,
            peersDir == null ? null : new Report.Peers(peers, peersError));
    report.clients(clientRows, serverCapacity, capacityFixed, serverRateLimit);
    System.out.println();
    report.print(System.out);
    if (json != null) {
      report.writeJson(json);
      LOG.info("Wrote {}", json.toAbsolutePath());
    }
    if (peersError != null) {
      // the comparison asked for did not happen: exit 1 (after the correctness verdict below)
      System.out.println();
      System.out.println("peers: FAILED " + peersError);
      System.out.println("Peer logs are in " + workDir);
    }
    List<String> broken = new ArrayList<>();
    results.stream().filter(r -> !r.ok()).forEach(r -> broken.add(r.round() + ": " + r.verdict()));
    deliveries.stream()
        .filter(r -> !r.verified())
        .forEach(r -> broken.add(r.round() + ": " + r.verdict()));
    if (failed || !broken.isEmpty()) {
      System.out.println();
      System.out.println("CORRECTNESS FAILURE: " + broken);
      System.out.println("Pipeline logs and GC logs are in " + workDir);
      return 1;
    }
    if (!results.isEmpty()) {
      System.out.println(
          "All rounds correct: every line exactly once on both outputs, in input order per order"
              + " (read_committed).");
    }
    if (!deliveries.isEmpty()) {
      System.out.println(
          "Delivery verified: every record's idempotency key at the sink, in topic order per order,"
              + " no dead letter (duplicates are reported above).");
    }
    return peersError == null ? 0 : 1;
  }

  /** The target of {@code --recovery}: restart to first new output, at most. */
  static final double RECOVERY_TARGET_SECONDS = 10;

  /** {@code --recovery}: kill -9 and immediate restart under load; see {@link RecoveryBench}. */
  private int recovery(Path jar) throws Exception {
    try {
      startStack();
      String runId = "b" + runTag + "rec";
      String input = runId + ".order-events";
      String erp = runId + ".erp";
      List<String> topics = List.of(input, erp, runId + ".fulfillment", runId + ".dlq");
      stack
          .kafka()
          .createTopics(topics.stream().map(t -> new NewTopic(t, partitions, (short) 1)).toList());
      sandbox.setLatency(Duration.ofMillis(latencyMs));
      Map<String, String> settings = baseSettings();
      settings.put("topic.order.events", input);
      settings.put("topic.erp", erp);
      settings.put("topic.fulfillment", topics.get(2));
      settings.put("topic.dead.letters", topics.get(3));
      settings.put("application.id", "bench-" + runId);
      // one state directory for every start, as a deployment keeps it across restarts
      settings.put("state.dir", workDir.resolve("state-" + runId).toString());
      settings.putAll(pipelineSet);
      LOG.info(
          "=== recovery: {} rounds of kill -9 and immediate restart, {} lines/s at {} ms, {}"
              + " partitions ===",
          recoveryRounds,
          fmt(recoveryRate),
          latencyMs,
          partitions);
      List<RecoveryBench.Round> rounds;
      try (KafkaProducer<String, byte[]> producer = producer()) {
        rounds =
            new RecoveryBench(
                    stack.bootstrapServers(), serializer, producer, runId, input, erp, recoveryRate)
                .run(
                    recoveryRounds,
                    name ->
                        PipelineProcess.start(
                            childJvm(), jar, workDir, name, settings, clientSecret));
      } catch (IllegalStateException e) {
        LOG.error("Recovery FAILED: {}", e.getMessage());
        System.out.println("Recovery FAILED: " + e.getMessage());
        System.out.println("Pipeline logs are in " + workDir);
        return 1;
      }
      System.out.println();
      System.out.println(
          "Crash recovery: kill -9 under load, immediate restart with the same settings and state"
              + " directory; restart -> first new ERP output (read_committed)");
      double max = 0;
      double maxAll = 0;
      System.out.println(
          "           first new output   on every partition   kill -> first new output");
      for (RecoveryBench.Round r : rounds) {
        System.out.printf(
            Locale.ROOT,
            "  round %d: %13.1f s %19s %23.1f s%n",
            r.index(),
            r.restartToOutputSeconds(),
            r.restartToAllPartitionsSeconds() < 0
                ? "never"
                : fmt("%.1f s", r.restartToAllPartitionsSeconds()),
            r.killToOutputSeconds());
        max = Math.max(max, r.restartToOutputSeconds());
        maxAll =
            r.restartToAllPartitionsSeconds() < 0
                ? Double.POSITIVE_INFINITY
                : Math.max(maxAll, r.restartToAllPartitionsSeconds());
      }
      System.out.printf(Locale.ROOT, "  max:     %13.1f s %19s%n", max, fmt("%.1f s", maxAll));
      System.out.printf(
          Locale.ROOT,
          "restart -> first new output, max %.1f s; target <= %.0f s: %s%n",
          max,
          RECOVERY_TARGET_SECONDS,
          max <= RECOVERY_TARGET_SECONDS ? "PASS" : "FAIL");
      System.out.println("Pipeline logs are in " + workDir);
      return 0;
    } finally {
      closeStack();
    }
  }

  /**
   * What one pipeline round runs: a backlog of {@code orders}, or {@code rate} lines/s for {@code
   * seconds}, after warm-up batches of {@code warmupOrders} until {@code warmupSeconds} have
   * passed.
   */
  record Round(
      String name,
      String mode,
      long latencyMs,
      int orders,
      double rate,
      long seconds,
      int warmupOrders,
      long warmupSeconds,
      int serverCapacity,
      double serverRateLimit,
      Map<String, String> overrides) {

    Round(
        String name,
        String mode,
        long latencyMs,
        int orders,
        double rate,
        long seconds,
        int warmupOrders,
        long warmupSeconds) {
      this(
          name,
          mode,
          latencyMs,
          orders,
          rate,
          seconds,
          warmupOrders,
          warmupSeconds,
          0,
          0,
          Map.of());
    }
  }

  /** A round broke conservation or ordering, or did not finish: the run stops and exits 1. */
  static final class RoundFailure extends Exception {
    final transient RoundResult partial;

    RoundFailure(String message, RoundResult partial) {
      super(message);
      this.partial = partial;
    }
  }

  // ---- stack ----

  private void startStack() {
    stack = BenchStack.start(clientSecret, Duration.ofMillis(latencyMs));
    sandbox = stack.service(TwikitSandbox.class);
    // the load producer writes order events the way the pipeline reads them: built by its wiring
    ConfigSources sources = new ConfigSources(Settings.CATALOG);
    baseSettings().forEach((k, v) -> sources.set(k, v, "bench setting " + k));
    Wiring wiring = Wiring.of(EnricherConfig.from(sources));
    registryConfig = wiring.registryConfig();
    registry = wiring.registryClient();
    serializer = wiring.orderEventSerializer(registry);
  }

  private void closeStack() {
    BenchStack.closeQuietly(registry, "registry client");
    BenchStack.closeQuietly(stack, "stack");
  }

  private ChildJvm childJvm() {
    return new ChildJvm(pipelineXmx, gc, pipelineJvmArgs);
  }

  /** The settings every pipeline round and the raw client share (topics and ids come per round). */
  private Map<String, String> baseSettings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("kafka.bootstrap.servers", stack.bootstrapServers());
    settings.put("schema.registry.url", stack.schemaRegistryUrl());
    settings.put("twikit.api.url", sandbox.apiUrl().toString());
    settings.put("twikit.token.url", sandbox.tokenUrl().toString());
    settings.put("twikit.client.id", "bench");
    settings.put("twikit.max.in.flight", Integer.toString(maxInFlight));
    settings.put("twikit.concurrency", concurrency);
    settings.put("enrichment.max.pending.events", Integer.toString(maxPending));
    settings.put("num.stream.threads", Integer.toString(threads));
    settings.put("topics.create", "false");
    settings.putAll(pipelineSet);
    return settings;
  }

  // ---- raw ceiling ----

  /**
   * Runs {@code windows} measured windows after {@code warmup}; the best one (most calls/s) is the
   * result.
   */
  private RoundResult raw(
      String name, long latency, RawClientProcess raw, Duration warmup, int windows)
      throws IOException {
    sandbox.setLatency(Duration.ofMillis(latency));
    LOG.info(
        "=== {}: Twikit client JVM -> sandbox at {} ms, {} orders in a closed loop, max in flight {},"
            + " {} s warm-up, {} x {} s measured ===",
        name,
        latency,
        maxInFlight,
        maxInFlight,
        warmup.toSeconds(),
        windows,
        rawSeconds);
    raw.run(warmup, Duration.ZERO);
    RawCeiling.Result best = null;
    CpuMeter.Usage bestCpu = null;
    for (int w = 0; w < Math.max(1, windows); w++) {
      forgetUpdates();
      CpuMeter cpu = new CpuMeter(raw.handle());
      RawCeiling.Result r = raw.run(Duration.ZERO, Duration.ofSeconds(rawSeconds));
      CpuMeter.Usage u = cpu.stop();
      LOG.info(
          "{} window {}: {} calls/s, {} lines/s, {} failures",
          name,
          w + 1,
          fmt(r.callsPerSec()),
          fmt(r.linesPerSec()),
          r.failures());
      if (best == null || r.callsPerSec() > best.callsPerSec()) {
        best = r;
        bestCpu = u;
      }
    }
    return new RoundResult(
        name,
        "raw",
        latency,
        -1,
        best.lines(),
        0,
        best.seconds(),
        best.linesPerSec(),
        best.calls(),
        best.callsPerSec(),
        best.callsPerSec(),
        -1,
        -1,
        -1,
        -1,
        -1,
        -1,
        -1,
        -1,
        bestCpu.pipelinePct(),
        bestCpu.benchPct(),
        bestCpu.otherPct(),
        0,
        0,
        0,
        0,
        0,
        0,
        best.failures() == 0 ? "ok" : "ok (" + best.failures() + " failed calls)");
  }

  /**
   * Empties the sandbox's store of configuration updates before a measured window. Every
   * update-many stores its configurations' new state, so the sandbox's heap (in this JVM) grows
   * with every line ever processed; without this, later windows (the pipeline's) would pay for the
   * garbage collection of earlier ones (the raw ceiling's, the warm-ups'). Updates are idempotent
   * and existence does not depend on them, so the pipeline's results are unaffected.
   */
  private void forgetUpdates() {
    sandbox.deleteAllConfigurations();
    System.gc(); // start each window from a collected heap, not inside a collection caused by the
    // previous one
  }

  // ---- pipeline rounds ----

  private RoundResult round(Round round, Path jar) throws Exception {
    String runId = "b" + runTag + "r" + (++roundIndex);
    String input = runId + ".order-events";
    String erp = runId + ".erp";
    String fulfillment = runId + ".fulfillment";
    String dlq = runId + ".dlq";
    stack
        .kafka()
        .createTopics(
            List.of(input, erp, fulfillment, dlq).stream()
                .map(t -> new NewTopic(t, partitions, (short) 1))
                .toList());
    sandbox.setLatency(Duration.ofMillis(round.latencyMs()));
    sandbox.setCapacity(round.serverCapacity());
    sandbox.setRateLimit(round.serverRateLimit());

    Workload measured =
        round.rate() > 0
            ? Workload.withLines(
                runId, (long) Math.ceil(round.rate() * round.seconds()), seed, keyShare)
            : Workload.generate(runId, round.orders(), seed, keyShare);
    LOG.info(
        "=== {}: {} mode, {} ms, {} orders / {} lines{} (after warm-up batches of {} orders for {} s), {}"
            + " partitions ===",
        round.name(),
        round.mode(),
        round.latencyMs(),
        measured.orders().size(),
        measured.lines(),
        round.rate() > 0
            ? fmt(" at %.0f lines/s for %d s", round.rate(), round.seconds())
            : " as a backlog",
        round.warmupOrders(),
        round.warmupSeconds(),
        partitions);
    Tally tally = new Tally();
    tally.expect(measured, true);

    Map<String, String> settings = baseSettings();
    settings.put("topic.order.events", input);
    settings.put("topic.erp", erp);
    settings.put("topic.fulfillment", fulfillment);
    settings.put("topic.dead.letters", dlq);
    settings.put("application.id", "bench-" + runId);
    settings.put("enrichment.mode", round.mode());
    settings.put("state.dir", workDir.resolve("state-" + runId).toString());
    settings.putAll(pipelineSet);
    settings.putAll(round.overrides());
    int metricsPort = freePort();
    settings.put("metrics.port", Integer.toString(metricsPort));
    settings.put("metrics.bind.address", "127.0.0.1");

    long tokens0 = sandbox.counters().tokensIssued();
    AtomicReference<Exception> sendError = new AtomicReference<>();
    try (PipelineProcess pipeline =
        PipelineProcess.start(
            childJvm(), jar, workDir, runId + "-" + round.name(), settings, clientSecret)) {
      pipeline.awaitRunning(Duration.ofMinutes(2));
      try (Verifier verifier =
              new Verifier(stack.bootstrapServers(), erp, fulfillment, dlq, tally);
          KafkaProducer<String, byte[]> producer = producer()) {
        long warmLines = 0;
        long warmUntil = System.nanoTime() + Duration.ofSeconds(round.warmupSeconds()).toNanos();
        for (int batch = 0;
            round.warmupOrders() > 0 && (batch == 0 || System.nanoTime() < warmUntil);
            batch++) {
          Workload warm =
              Workload.generate(
                  runId + "w" + batch, round.warmupOrders(), seed + 1 + batch, keyShare);
          tally.expect(warm, false);
          produce(producer, input, warm, tally, 0, sendError);
          warmLines += warm.lines();
          if (!await(
              tally, warmLines, pipeline, verifier, sendError, round.name() + " warm-up", null)) {
            throw failure(round, "the warm-up did not complete", tally, pipeline, null, -1, null);
          }
        }
        forgetUpdates();
        LOG.info("{}: warm-up done ({} lines), measuring", round.name(), warmLines);
        Counters calls0 = sandbox.counters();
        ServiceTimes served0 = sandbox.serviceTimes();
        RateWindow callRate = new RateWindow();
        callRate.sample(System.nanoTime(), apiCalls(calls0));
        CpuMeter cpu = new CpuMeter(pipeline.handle());
        ClientMeters.Recorder meters = ClientMeters.Recorder.start(metricsPort);
        produce(producer, input, measured, tally, round.rate(), sendError);
        boolean complete =
            await(
                tally,
                warmLines + measured.lines(),
                pipeline,
                verifier,
                sendError,
                round.name(),
                callRate);
        CpuMeter.Usage usage = cpu.stop();
        List<ClientMeters.Sample> clientSamples = meters.stop();
        LockSupport.parkNanos(
            Duration.ofMillis(settleMs).toNanos()); // late duplicates would show up now
        Counters calls1 = sandbox.counters();
        clientRows.add(
            clientRow(
                round,
                settings,
                clientSamples,
                calls0,
                calls1,
                sandbox.serviceTimes().since(served0),
                tally.summary()));
        Tally.Summary s = tally.summary();
        pipeline.close();
        long tokens = sandbox.counters().tokensIssued() - tokens0;
        double peak = callRate.best(Duration.ofSeconds(rawSeconds));
        LOG.info(
            "{}: API calls/s per second {}; best {} s window {}",
            round.name(),
            callRate.series(Duration.ofSeconds(1)),
            rawSeconds,
            peak < 0 ? "n/a (the round lasted " + fmt(callRate.spanSeconds()) + " s)" : fmt(peak));
        RoundResult result =
            result(
                round,
                measured,
                s,
                apiCalls(calls1) - apiCalls(calls0),
                peak,
                tokens,
                pipeline.gc(),
                usage,
                complete);
        LOG.info(
            "{}: {} lines/s, {} API calls/s, p50/p95/p99 {}/{}/{} ms, tokens {}, peak heap {} MB: {}",
            round.name(),
            fmt(result.linesPerSec()),
            fmt(result.apiCallsPerSec()),
            result.p50(),
            result.p95(),
            result.p99(),
            tokens,
            fmt(result.peakHeapMb()),
            result.verdict());
        if (!result.ok()) {
          throw new RoundFailure(
              result.verdict() + "; pipeline log tail:\n" + pipeline.tail(30), result);
        }
        return result;
      }
    }
  }

  /** The client's side of a round: limit over time, call latency, 429s, accepted calls/s. */
  private static ClientRow clientRow(
      Round round,
      Map<String, String> settings,
      List<ClientMeters.Sample> samples,
      Counters before,
      Counters after,
      ServiceTimes served,
      Tally.Summary s) {
    boolean fixed = "fixed".equals(settings.get("twikit.concurrency"));
    String concurrency = (fixed ? "fixed " : "adaptive <= ") + settings.get("twikit.max.in.flight");
    double seconds =
        s.lastCompleteAt() > s.firstProducedAt() && s.firstProducedAt() > 0
            ? (s.lastCompleteAt() - s.firstProducedAt()) / 1000.0
            : -1;
    long calls = apiCalls(after) - apiCalls(before);
    long limited = after.rateLimited() - before.rateLimited();
    return new ClientRow(
        round.name(),
        concurrency,
        round.serverCapacity(),
        round.serverRateLimit(),
        samples.stream().filter(x -> x.limit() >= 0).map(x -> (int) Math.round(x.limit())).toList(),
        samples.stream().filter(x -> x.rate() >= 0).map(x -> (int) Math.round(x.rate())).toList(),
        served.percentileMs(0.50),
        served.percentileMs(0.99),
        calls,
        limited,
        seconds > 0 ? (calls - limited) / seconds : 0);
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private RoundFailure failure(
      Round round,
      String why,
      Tally tally,
      PipelineProcess pipeline,
      Counters unused,
      long tokens,
      GcLog gc) {
    Tally.Summary s = tally.summary();
    RoundResult partial =
        new RoundResult(
            round.name(),
            round.mode(),
            round.latencyMs(),
            round.orders(),
            s.measuredLines(),
            round.rate(),
            -1,
            -1,
            -1,
            -1,
            -1,
            -1,
            -1,
            -1,
            -1,
            tokens,
            -1,
            -1,
            -1,
            -1,
            -1,
            -1,
            s.missingErp(),
            s.missingFulfillment(),
            s.duplicates(),
            s.unknown(),
            s.orderViolations(),
            s.deadLetters(),
            "FAIL: " + why + " (" + s.problems() + ")");
    return new RoundFailure(
        partial.verdict() + "; pipeline log tail:\n" + pipeline.tail(30), partial);
  }

  private static RoundResult result(
      Round round,
      Workload measured,
      Tally.Summary s,
      long apiCalls,
      double peakApiCallsPerSec,
      long tokens,
      GcLog gc,
      CpuMeter.Usage usage,
      boolean complete) {
    double seconds =
        s.lastCompleteAt() > s.firstProducedAt() && s.firstProducedAt() > 0
            ? (s.lastCompleteAt() - s.firstProducedAt()) / 1000.0
            : -1;
    String verdict =
        s.correct() && complete ? "ok" : "FAIL: " + (complete ? "" : "incomplete; ") + s.problems();
    Percentiles p = s.latency();
    return new RoundResult(
        round.name(),
        round.mode(),
        round.latencyMs(),
        measured.orders().size(),
        measured.lines(),
        round.rate(),
        seconds,
        seconds > 0 ? s.measuredComplete() / seconds : 0,
        apiCalls,
        seconds > 0 ? apiCalls / seconds : 0,
        peakApiCallsPerSec,
        p.at(50),
        p.at(95),
        p.at(99),
        p.max(),
        tokens,
        gc.peakUsedMb(),
        gc.maxLiveMb(),
        gc.pauseMs(),
        usage.pipelinePct(),
        usage.benchPct(),
        usage.otherPct(),
        s.missingErp(),
        s.missingFulfillment(),
        s.duplicates(),
        s.unknown(),
        s.orderViolations(),
        s.deadLetters(),
        verdict);
  }

  /** API calls (every operation but the status probe) the sandbox answered. */
  private static long apiCalls(Counters c) {
    return c.totalRequests() - c.requests(Operation.STATUS);
  }

  private KafkaProducer<String, byte[]> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-load");
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  /**
   * Produces {@code workload}: as fast as possible ({@code linesPerSec} 0, a backlog) or paced so
   * that the lines produced by time t are {@code linesPerSec * t}. {@code occurredAt} is the send
   * time.
   */
  private void produce(
      KafkaProducer<String, byte[]> producer,
      String topic,
      Workload workload,
      Tally tally,
      double linesPerSec,
      AtomicReference<Exception> sendError) {
    long t0 = System.nanoTime();
    long lines = 0;
    for (Workload.Order order : workload.orders()) {
      if (linesPerSec > 0) {
        long due = t0 + (long) (lines / linesPerSec * 1e9);
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
      }
      long now = System.currentTimeMillis();
      byte[] value = serializer.serialize(topic, order.toEvent(Instant.ofEpochMilli(now)));
      tally.produced(order, now);
      producer.send(
          new ProducerRecord<>(topic, order.orderId(), value),
          (md, e) -> {
            if (e != null) {
              sendError.compareAndSet(null, e);
            }
          });
      lines += order.lines();
    }
    producer.flush();
  }

  /**
   * Waits until {@code target} lines are complete; false when progress stalls or the pipeline dies.
   */
  private boolean await(
      Tally tally,
      long target,
      PipelineProcess pipeline,
      Verifier verifier,
      AtomicReference<Exception> sendError,
      String what,
      RateWindow callRate) {
    long last = -1;
    long lastProgress = System.nanoTime();
    long lastLog = System.nanoTime();
    while (true) {
      long done = tally.complete();
      if (done >= target) {
        return true;
      }
      long now = System.nanoTime();
      if (callRate != null) {
        callRate.sample(now, apiCalls(sandbox.counters()));
      }
      if (done > last) {
        last = done;
        lastProgress = now;
      }
      if (sendError.get() != null) {
        throw new IllegalStateException("producing the workload failed", sendError.get());
      }
      if (verifier.error() != null) {
        throw new IllegalStateException("the verifier's consumer failed", verifier.error());
      }
      if (!pipeline.alive()) {
        LOG.error("{}: the pipeline exited; {} of {} lines complete", what, done, target);
        return false;
      }
      if (now - lastProgress > Duration.ofSeconds(stallSeconds).toNanos()) {
        LOG.error(
            "{}: no line completed for {} s; {} of {} lines complete",
            what,
            stallSeconds,
            done,
            target);
        return false;
      }
      if (now - lastLog > 5_000_000_000L) {
        LOG.info("{}: {} / {} lines complete", what, done, target);
        lastLog = now;
      }
      LockSupport.parkNanos(10_000_000L);
    }
  }

  private Path locateEnricherJar() {
    return locateJar(enricherJar, "order-enricher");
  }

  /**
   * {@code explicit} when given (null when it is no file), else {@code
   * services/<module>/target/<module>.jar} looked up from the working directory upwards and beside
   * bench.jar's module.
   */
  static Path locateJar(Path explicit, String module) {
    if (explicit != null) {
      return Files.isRegularFile(explicit) ? explicit.toAbsolutePath() : null;
    }
    List<Path> candidates = new ArrayList<>();
    Path rel = Path.of("services", module, "target", module + ".jar");
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      candidates.add(dir.resolve(rel));
    }
    try {
      Path self =
          Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // services/bench/target/bench.jar -> services/<module>/target/<module>.jar
      if (self.getParent() != null
          && self.getParent().getParent() != null
          && self.getParent().getParent().getParent() != null) {
        candidates.add(
            self.getParent()
                .getParent()
                .getParent()
                .resolve(module + "/target/" + module + ".jar"));
      }
    } catch (Exception e) {
      // not from a file: the working-directory candidates remain
    }
    return candidates.stream()
        .filter(Files::isRegularFile)
        .findFirst()
        .map(Path::toAbsolutePath)
        .orElse(null);
  }

  private Map<String, Object> settingsForReport() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("orders", orders);
    m.put("orders0ms", orders0ms);
    m.put("syncOrders", syncOrders);
    m.put("latencyMs", latencyMs);
    m.put("modes", modes);
    m.put("maxInFlight", maxInFlight);
    m.put("concurrency", concurrency);
    m.put("maxPendingEvents", maxPending);
    m.put("partitions", partitions);
    m.put("numStreamThreads", threads);
    m.put("sustainedSeconds", durationSeconds);
    m.put("sustainedRate", rate);
    m.put("halfRateSeconds", halfRateSeconds);
    m.put("warmupOrders", warmupOrders);
    m.put("warmupSeconds", warmupSeconds);
    m.put("rawWarmupSeconds", rawWarmupSeconds);
    m.put("rawSeconds", rawSeconds);
    m.put("rawWindows", rawWindows);
    m.put("childJvmOptions", childJvm().describe());
    m.put("keyShare", keyShare);
    m.put("seed", seed);
    m.put("pipelineSet", pipelineSet);
    m.put("processingGuarantee", "exactly_once_v2");
    m.put("pipelineJvm", "child JVM per round (order-enricher.jar run)");
    if (peersDir != null) {
      m.put("peersDir", peersDir.toAbsolutePath().toString());
      m.put("peerOrders", peerOrders);
      m.put("peerStreamsOrders", peerStreamsOrders);
      m.put("peerWarmupOrders", peerWarmupOrders);
      m.put("peerTimeoutSeconds", peerTimeoutSeconds);
    }
    if (delivery || deliveryOnly) {
      m.put("deliveryRecords", deliveryRecords);
      m.put("deliveryWarmupRecords", deliveryWarmupRecords);
      m.put("deliveryBatch", deliveryBatch);
      m.put("deliveryLingerMs", deliveryLingerMs);
      m.put("deliveryJvm", "child JVM (delivery.jar deliver)");
    }
    return m;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String fmt(String f, Object... args) {
    return String.format(Locale.ROOT, f, args);
  }
}
