package dev.twikitorders.bench;

import dev.twikitorders.auth.Secret;
import dev.twikitorders.sandbox.TwikitSandbox;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a peer benchmark ({@code --peers DIR}, e.g. enrich-bench: Parallel Consumer and a naive
 * Kafka Streams application) after the bench's rounds, against the bench's own sandbox and broker
 * at the bench's latency: builds a copy of DIR with Maven, runs its jar as a child JVM with {@code
 * --peer all --api-url ... --bootstrap ... --json <work-dir>/peers.json} and reads the results
 * ({@link PeerResults}).
 *
 * <p>DIR itself is never written to: its files (without {@code target}, {@code results} and {@code
 * .git}) are copied to {@code <work-dir>/peer-src} and built there. The client secret goes to the
 * child as an argument (the peer benchmark has no other way) and is masked wherever the command or
 * the child's output is logged. Not thread-safe: one run at a time.
 */
final class PeerBench {
  private static final Logger LOG = LoggerFactory.getLogger(PeerBench.class);
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);
  private static final Set<String> NOT_COPIED = Set.of("target", "results", ".git");

  /** What a peer run needs besides the sandbox. */
  record Params(
      int orders,
      int streamsOrders,
      int warmupOrders,
      long latencyMs,
      int partitions,
      Duration timeout,
      String bootstrap,
      String clientId,
      Secret clientSecret) {}

  /** The peer benchmark did not build, did not run to its end, or wrote no readable results. */
  static final class PeerFailure extends Exception {
    PeerFailure(String message) {
      super(message);
    }

    PeerFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final Path dir;
  private final Path workDir;

  PeerBench(Path dir, Path workDir) {
    this.dir = dir.toAbsolutePath().normalize();
    this.workDir = workDir;
  }

  /**
   * Why {@code dir} cannot be a peer benchmark (no such directory, no {@code pom.xml}), or null
   * when it can. Checked when the arguments are parsed.
   */
  static String problem(Path dir) {
    if (!Files.isDirectory(dir)) {
      return "--peers " + dir + ": no such directory";
    }
    if (!Files.isRegularFile(dir.resolve("pom.xml"))) {
      return "--peers " + dir + ": no pom.xml (a Maven project is expected)";
    }
    return null;
  }

  /**
   * Copies DIR to {@code <work-dir>/peer-src} and builds it ({@code DIR/mvnw}, else {@code mvn} on
   * the PATH, else this project's {@code ./mvnw}; {@code -B -q -DskipTests package}, with this
   * JVM's {@code java.home} as {@code JAVA_HOME}); the runnable jar it built.
   */
  Path build() throws PeerFailure {
    Path src = workDir.resolve("peer-src");
    Path log = workDir.resolve("peers-build.log");
    try {
      copy(dir, src);
    } catch (IOException e) {
      throw new PeerFailure("cannot copy " + dir + " to " + src + ": " + e.getMessage(), e);
    }
    List<String> cmd = new ArrayList<>(maven(src));
    cmd.addAll(
        List.of(
            "-B",
            "-q",
            "-Dstyle.color=never",
            "-DskipTests",
            "-f",
            src.resolve("pom.xml").toString(),
            "package"));
    LOG.info("peers: building {} (a copy in {}): {}; log {}", dir, src, String.join(" ", cmd), log);
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(src.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    int code;
    try {
      Process p = ChildJvm.track(pb.start());
      if (!p.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        throw new PeerFailure(
            "the build did not finish within " + BUILD_TIMEOUT.toMinutes() + " min; log " + log);
      }
      code = p.exitValue();
    } catch (IOException e) {
      throw new PeerFailure("cannot start " + cmd.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PeerFailure("interrupted while building", e);
    }
    if (code != 0) {
      throw new PeerFailure(
          "the build exited with " + code + "; last lines of " + log + ":\n" + tail(log, 20));
    }
    return builtJar(src.resolve("target"));
  }

  /**
   * Runs the built peer benchmark against {@code sandbox} and the bench's broker and reads its
   * results: one row per peer of {@link PeerResults#ALL} (a peer without a result gets a {@code no
   * result} row). The sandbox's store is emptied first; the warm-up (if any) runs at 0 ms, the
   * measured peers at {@link Params#latencyMs()}, which the sandbox has again afterwards.
   */
  List<PeerResults.Row> run(Path jar, TwikitSandbox sandbox, Params params) throws PeerFailure {
    Path json = workDir.resolve("peers.json");
    Path log = workDir.resolve("peers.log");
    List<String> cmd = command(jar, sandbox, params, json);
    List<String> shown = masked(cmd, params.clientSecret());
    LOG.info(
        "=== peers: {} ({} orders, streams-sync {}, warm-up {} orders at 0 ms) at {} ms, log {} ===",
        dir,
        params.orders(),
        params.streamsOrders(),
        params.warmupOrders(),
        params.latencyMs(),
        log);
    LOG.info("peers: {}", String.join(" ", shown));
    sandbox.deleteAllConfigurations();
    Duration latency = Duration.ofMillis(params.latencyMs());
    sandbox.setLatency(params.warmupOrders() > 0 ? Duration.ZERO : latency);
    try {
      Files.deleteIfExists(json);
      Process p =
          ChildJvm.track(
              new ProcessBuilder(cmd)
                  .directory(workDir.toFile())
                  .redirectErrorStream(true)
                  .start());
      Thread pump =
          Thread.ofPlatform()
              .name("peers-log")
              .daemon()
              .start(() -> pump(p, log, params.clientSecret(), sandbox, latency));
      if (!p.waitFor(params.timeout().toSeconds(), TimeUnit.SECONDS)) {
        ChildJvm.stop(p, "The peer benchmark");
        throw new PeerFailure(
            "the peer benchmark did not finish within "
                + params.timeout().toSeconds()
                + " s (--peer-timeout-s); log "
                + log);
      }
      pump.join(Duration.ofSeconds(10));
      LOG.info("peers: exited with {}", p.exitValue());
      if (!Files.isRegularFile(json)) {
        throw new PeerFailure(
            "the peer benchmark exited with "
                + p.exitValue()
                + " and wrote no results; last lines of "
                + log
                + ":\n"
                + tail(log, 20));
      }
      return PeerResults.complete(PeerResults.parse(json), PeerResults.ALL);
    } catch (IOException e) {
      throw new PeerFailure(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PeerFailure("interrupted while the peer benchmark ran", e);
    } finally {
      sandbox.setLatency(latency);
    }
  }

  /** The peer benchmark's command line (with the secret: never log it as is). */
  List<String> command(Path jar, TwikitSandbox sandbox, Params params, Path json) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (Runtime.version().feature() >= 24) {
      cmd.add("--sun-misc-unsafe-memory-access=allow"); // as its run.sh: Kafka's Unsafe warning
    }
    cmd.addAll(List.of("-Xms1g", "-Xmx4g", "-jar", jar.toString()));
    cmd.addAll(
        List.of(
            "--peer",
            "all",
            "--orders",
            Integer.toString(params.orders()),
            "--streams-orders",
            Integer.toString(params.streamsOrders()),
            "--warmup-orders",
            Integer.toString(params.warmupOrders()),
            // only its per-peer timeout estimate uses it with an external API
            "--latency-ms",
            Long.toString(params.latencyMs()),
            "--partitions",
            Integer.toString(params.partitions()),
            "--api-url",
            stripSlash(sandbox.apiUrl().toString()),
            "--token-url",
            sandbox.tokenUrl().toString(),
            "--client-id",
            params.clientId(),
            "--client-secret",
            params.clientSecret().revealAsString(),
            "--bootstrap",
            params.bootstrap(),
            "--json",
            json.toString()));
    return cmd;
  }

  /** {@code cmd} with every occurrence of the secret replaced by {@code ****}, for the log. */
  static List<String> masked(List<String> cmd, Secret secret) {
    String s = secret.revealAsString();
    return cmd.stream().map(a -> a.replace(s, "****")).toList();
  }

  /**
   * Copies the child's output to {@code log} (the secret masked); sets the sandbox to the measured
   * latency once the peer benchmark's warm-up is over (its {@code warm-up done} line, or the header
   * of its first measured peer).
   */
  private static void pump(
      Process p, Path log, Secret secret, TwikitSandbox sandbox, Duration latency) {
    String s = secret.revealAsString();
    boolean measuring = false;
    try (BufferedReader in =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (!measuring && isMeasuredPhase(line)) {
          measuring = true;
          sandbox.deleteAllConfigurations();
          sandbox.setLatency(latency);
          LOG.info("peers: warm-up over, sandbox at {} ms", latency.toMillis());
        }
        out.write(line.replace(s, "****"));
        out.write('\n');
        out.flush();
      }
    } catch (IOException e) {
      LOG.warn("peers: copying the peer benchmark's output to {} failed: {}", log, e.toString());
    }
  }

  /** A line of the peer benchmark's log that ends its warm-up or starts a measured peer. */
  static boolean isMeasuredPhase(String line) {
    return line.contains("warm-up done in")
        || (line.contains("] === ") && !line.contains("(warm-up"));
  }

  /** The Maven command: DIR's wrapper, else {@code mvn} on the PATH, else this project's mvnw. */
  private List<String> maven(Path src) throws PeerFailure {
    Path wrapper = src.resolve("mvnw");
    if (Files.isRegularFile(wrapper)) {
      wrapper.toFile().setExecutable(true);
      return List.of(wrapper.toString());
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(java.io.File.pathSeparator)) {
        Path mvn = Path.of(d, "mvn");
        if (Files.isExecutable(mvn)) {
          return List.of(mvn.toString());
        }
      }
    }
    Path ours = ownWrapper();
    if (ours != null) {
      return List.of(ours.toString());
    }
    throw new PeerFailure(
        "no Maven to build "
            + dir
            + ": it has no mvnw, there is no mvn on the PATH, and this"
            + " project's ./mvnw was not found");
  }

  /** This project's {@code mvnw}: from the working directory upwards, then beside bench.jar. */
  private static Path ownWrapper() {
    List<Path> candidates = new ArrayList<>();
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      candidates.add(d);
    }
    try {
      Path self =
          Path.of(PeerBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // services/bench/target/bench.jar -> the project root
      for (int i = 0; i < 4 && self != null; i++) {
        self = self.getParent();
      }
      if (self != null) {
        candidates.add(self);
      }
    } catch (Exception e) {
      // not from a file: the working-directory candidates remain
    }
    return candidates.stream()
        .filter(d -> Files.isRegularFile(d.resolve("services/bench/pom.xml")))
        .map(d -> d.resolve("mvnw"))
        .filter(Files::isRegularFile)
        .findFirst()
        .orElse(null);
  }

  /** The runnable jar in {@code target}: a jar with a Main-Class, not a sources or original jar. */
  static Path builtJar(Path target) throws PeerFailure {
    List<Path> jars;
    try (Stream<Path> s = Files.list(target)) {
      jars =
          s.filter(f -> f.getFileName().toString().endsWith(".jar"))
              .filter(
                  f -> {
                    String n = f.getFileName().toString();
                    return !n.startsWith("original-")
                        && !n.endsWith("-sources.jar")
                        && !n.endsWith("-javadoc.jar")
                        && !n.endsWith("-tests.jar");
                  })
              .filter(PeerBench::hasMainClass)
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new PeerFailure("the build left no " + target + ": " + e.getMessage(), e);
    }
    if (jars.size() != 1) {
      throw new PeerFailure(
          "expected one runnable jar (with a Main-Class) in " + target + ", found " + jars);
    }
    return jars.get(0);
  }

  private static boolean hasMainClass(Path jar) {
    try (JarFile j = new JarFile(jar.toFile())) {
      return j.getManifest() != null
          && j.getManifest().getMainAttributes().getValue("Main-Class") != null;
    } catch (IOException e) {
      return false;
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path f : (Iterable<Path>) s::iterator) {
        Path rel = from.relativize(f);
        if (rel.getNameCount() > 0 && NOT_COPIED.contains(rel.getName(0).toString())) {
          continue;
        }
        Path dest = to.resolve(rel.toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(f, dest, StandardCopyOption.REPLACE_EXISTING);
          dest.toFile().setWritable(true, true);
        }
      }
    }
    to.toFile().setWritable(true, true);
    try (Stream<Path> s = Files.walk(to)) {
      s.filter(Files::isDirectory).forEach(d -> d.toFile().setWritable(true, true));
    }
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static String tail(Path log, int lines) {
    return ChildJvm.tail(log, lines);
  }
}
