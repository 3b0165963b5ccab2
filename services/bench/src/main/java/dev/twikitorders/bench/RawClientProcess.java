package dev.twikitorders.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The raw ceiling's child JVM ({@link RawClientMain}) under the bench's control: same JVM options
 * as the pipeline, same settings, so the Twikit client is measured as the pipeline runs it, only
 * without Kafka. Its log (stderr) goes to a file in the work directory.
 *
 * <p>Not thread-safe.
 */
final class RawClientProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RawClientProcess.class);

  private final Process process;
  private final Writer commands;
  private final BufferedReader answers;
  private final Path log;

  private RawClientProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
    this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.answers =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  static RawClientProcess start(
      ChildJvm jvm, Path workDir, Map<String, String> settings, String clientSecret)
      throws IOException {
    Path log = workDir.resolve("raw-client.log");
    List<String> cmd = jvm.command(workDir.resolve("raw-client-gc.log"));
    cmd.add("-Dlogback.configurationFile=logback-bench.xml");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(RawClientMain.class.getName());
    settings.forEach(
        (k, v) -> {
          cmd.add("--set");
          cmd.add(k + "=" + v);
        });
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
    ChildJvm.cleanEnvironment(pb, clientSecret);
    LOG.info(
        "Starting the raw client JVM: {} ... {}, log {}",
        cmd.get(0),
        RawClientMain.class.getSimpleName(),
        log);
    return new RawClientProcess(ChildJvm.track(pb.start()), log);
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  /** One {@link RawCeiling} window after an unmeasured warm-up, in the child. */
  RawCeiling.Result run(Duration warmup, Duration measure) throws IOException {
    commands.write("run " + warmup.toMillis() + " " + measure.toMillis() + "\n");
    commands.flush();
    String answer;
    while ((answer = answers.readLine()) != null && !answer.startsWith("result ")) {
      LOG.info(
          "raw client JVM: {}", answer); // the JVM's own output (e.g. -Xlog or JFR start-up lines)
    }
    if (answer == null) {
      throw new IOException(
          "the raw client JVM exited; last lines of " + log + ":\n" + ChildJvm.tail(log, 30));
    }
    String[] f = answer.split(" ");
    return new RawCeiling.Result(
        Double.parseDouble(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]));
  }

  @Override
  public void close() {
    try {
      commands.write("quit\n");
      commands.flush();
    } catch (IOException e) {
      // already gone
    }
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
