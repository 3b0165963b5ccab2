package dev.twikitorders.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline under test as a child JVM: {@code java -jar order-enricher.jar run --set ...}, so
 * that its heap (GC log) and CPU are measured apart from the broker, sandbox and load generator in
 * this JVM. The client secret goes through the environment, everything else through {@code --set};
 * the child's environment is cleaned of settings this shell may hold ({@code KAFKA_*}, {@code
 * TWIKIT_*}, ...), so only what the bench passes applies. Output goes to a log file in the work
 * directory.
 *
 * <p>Not thread-safe.
 */
final class PipelineProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineProcess.class);

  private final Process process;
  private final Path log;
  private final Path gcLog;

  private PipelineProcess(Process process, Path log, Path gcLog) {
    this.process = process;
    this.log = log;
    this.gcLog = gcLog;
  }

  static PipelineProcess start(
      ChildJvm jvm,
      Path jar,
      Path workDir,
      String name,
      Map<String, String> settings,
      String clientSecret)
      throws IOException {
    Path log = workDir.resolve(name + ".log");
    Path gcLog = workDir.resolve(name + "-gc.log");
    List<String> cmd = jvm.command(gcLog);
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.add("run");
    settings.forEach(
        (k, v) -> {
          cmd.add("--set");
          cmd.add(k + "=" + v);
        });
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    ChildJvm.cleanEnvironment(pb, clientSecret);
    LOG.info(
        "Starting the pipeline ({}): {} ... run ({} settings), log {}",
        name,
        cmd.get(0),
        settings.size(),
        log);
    return new PipelineProcess(ChildJvm.track(pb.start()), log, gcLog);
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  /**
   * Waits until Kafka Streams reports RUNNING (its state-change log line).
   *
   * @throws IllegalStateException when the child exits or the timeout passes first
   */
  void awaitRunning(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log)
          && Files.readString(log, StandardCharsets.UTF_8).contains("-> RUNNING")) {
        return;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the pipeline exited with code "
                + process.exitValue()
                + " before running; "
                + "last lines of "
                + log
                + ":\n"
                + tail(40));
      }
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
    throw new IllegalStateException(
        "the pipeline did not reach RUNNING within "
            + timeout
            + "; last lines of "
            + log
            + ":\n"
            + tail(40));
  }

  boolean alive() {
    return process.isAlive();
  }

  /**
   * SIGKILL, as a crash: no shutdown hook, no commit, no leaving the group. Returns once the
   * process is gone.
   */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the pipeline did not die within 60 s of SIGKILL");
    }
  }

  GcLog gc() {
    return GcLog.read(gcLog);
  }

  String tail(int lines) {
    return ChildJvm.tail(log, lines);
  }

  /**
   * Stops it as an operator would (SIGTERM: the shutdown hook closes Kafka Streams), killing it
   * after 45 s.
   */
  @Override
  public void close() {
    ChildJvm.stop(process, "The pipeline");
  }
}
