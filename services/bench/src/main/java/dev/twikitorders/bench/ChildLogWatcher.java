package dev.twikitorders.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Follows one pipeline child's log as it grows (the lines written since the last {@link #poll}),
 * for the soak report: WARN and ERROR lines by the second they were seen (the report bins them by
 * minute of the run), "Pipeline paused" lines, and the first Kafka Streams transition to RUNNING.
 * The log format is the pipeline's ({@code HH:mm:ss.SSS LEVEL [thread] logger - message}).
 *
 * <p>Not thread-safe: the soak's main thread polls it.
 */
final class ChildLogWatcher {
  private static final int SAMPLES = 8;

  private final Path log;
  private long position;
  private final StringBuilder partial = new StringBuilder();
  private final Map<Long, Long> warnsBySecond = new TreeMap<>();
  private final Map<Long, Long> errorsBySecond = new TreeMap<>();
  private final List<String> pausedLines = new ArrayList<>();
  private final List<String> errorSamples = new ArrayList<>();
  private long paused;
  private long warns;
  private long errors;
  private long runningAt = -1;

  ChildLogWatcher(Path log) {
    this.log = log;
  }

  /** Reads what was appended since the last call. */
  void poll() {
    if (!Files.exists(log)) {
      return;
    }
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long length = f.length();
      if (length <= position) {
        return;
      }
      byte[] bytes = new byte[(int) Math.min(length - position, 8 << 20)];
      f.seek(position);
      f.readFully(bytes);
      position += bytes.length;
      partial.append(new String(bytes, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return; // the next poll tries again
    }
    long now = System.currentTimeMillis();
    long second = now / 1000;
    int start = 0;
    for (int nl; (nl = partial.indexOf("\n", start)) >= 0; start = nl + 1) {
      line(partial.substring(start, nl), second, now);
    }
    partial.delete(0, start);
  }

  private void line(String line, long second, long now) {
    String level = line.length() > 18 ? line.substring(13, 18).trim() : "";
    if (level.equals("WARN")) {
      warns++;
      warnsBySecond.merge(second, 1L, Long::sum);
    } else if (level.equals("ERROR")) {
      errors++;
      errorsBySecond.merge(second, 1L, Long::sum);
      if (errorSamples.size() < SAMPLES) {
        errorSamples.add(line);
      }
    }
    if (line.contains("Pipeline paused")) {
      paused++;
      if (pausedLines.size() < SAMPLES) {
        pausedLines.add(line);
      }
    }
    if (runningAt < 0 && line.contains("-> RUNNING")) {
      runningAt = now;
    }
  }

  Path log() {
    return log;
  }

  /** WARN lines by the epoch second they were seen. */
  Map<Long, Long> warnsBySecond() {
    return warnsBySecond;
  }

  /** ERROR lines by the epoch second they were seen. */
  Map<Long, Long> errorsBySecond() {
    return errorsBySecond;
  }

  long warns() {
    return warns;
  }

  long errors() {
    return errors;
  }

  long paused() {
    return paused;
  }

  List<String> pausedLines() {
    return pausedLines;
  }

  List<String> errorSamples() {
    return errorSamples;
  }

  /** When the first transition to RUNNING was seen (epoch ms), or -1. */
  long runningAt() {
    return runningAt;
  }
}
