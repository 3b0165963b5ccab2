package dev.twikitorders.bench;

import dev.twikitorders.enricher.config.Settings;
import dev.twikitorders.enricher.config.TwikitSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The JVM options every measured child JVM of the bench gets, the pipeline's and the raw client's
 * alike, so that the raw ceiling and the pipeline run the Twikit client under the same heap limit,
 * garbage collector and flags: {@code java -Xmx<xmx> -XX:+Use<gc> -Xlog:gc:file=<gcLog> <extra>}.
 *
 * @param xmx the heap limit, e.g. {@code 512m}
 * @param gc the collector's HotSpot name without {@code Use}, e.g. {@code ParallelGC}
 * @param extra further options (profilers, tuning), after the bench's own
 */
record ChildJvm(String xmx, String gc, List<String> extra) {
  ChildJvm {
    extra = List.copyOf(extra);
  }

  /** {@code java} and its options, up to (not including) the main class or {@code -jar}. */
  List<String> command(Path gcLog) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + xmx);
    cmd.add("-XX:+Use" + gc);
    cmd.add("-Xlog:gc:file=" + gcLog);
    if (Runtime.version().feature() >= 24) {
      cmd.add("--sun-misc-unsafe-memory-access=allow");
    }
    cmd.addAll(extra);
    return cmd;
  }

  /**
   * Cleans a child's environment of settings this shell may hold ({@code KAFKA_*}, {@code
   * TWIKIT_*}, ...), so that only what the bench passes applies, and hands it the client secret.
   */
  static void cleanEnvironment(ProcessBuilder pb, String clientSecret) {
    Map<String, String> env = pb.environment();
    Map<String, String> clean = new HashMap<>(env);
    for (String key : env.keySet()) {
      boolean setting = Settings.ALL.stream().anyMatch(s -> s.env().equals(key));
      if (setting
          || key.startsWith("KAFKA_")
          || key.startsWith("TWIKIT_")
          || key.startsWith("SCHEMA_REGISTRY_")
          || key.startsWith("TOPIC_")
          || key.equals("JAVA_TOOL_OPTIONS")) {
        clean.remove(key);
      }
    }
    env.clear();
    env.putAll(clean);
    env.put(TwikitSettings.CLIENT_SECRET.env(), clientSecret);
  }

  /** Children still running; killed when this JVM exits, so an aborted run leaves none behind. */
  private static final java.util.Set<Process> LIVE =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "child-jvms"));
  }

  /** Registers a started child: it is killed if this JVM exits (Ctrl-C, SIGTERM) before it. */
  static Process track(Process process) {
    LIVE.add(process);
    process.onExit().thenRun(() -> LIVE.remove(process));
    return process;
  }

  /** The last {@code lines} lines of a child's log, for error messages. */
  static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /**
   * Stops a child as an operator would: SIGTERM (its shutdown hook closes it cleanly), killing it
   * when it has not exited within 45 s.
   *
   * @param what names the child in the warning
   */
  static void stop(Process process, String what) {
    process.destroy();
    try {
      if (!process.waitFor(45, java.util.concurrent.TimeUnit.SECONDS)) {
        org.slf4j.LoggerFactory.getLogger(ChildJvm.class)
            .warn("{} did not stop within 45 s; killing it", what);
        process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** The options as one line, for the report. */
  String describe() {
    List<String> opts = new ArrayList<>(List.of("-Xmx" + xmx, "-XX:+Use" + gc));
    opts.addAll(extra);
    return String.join(" ", opts);
  }
}
