package dev.twikitorders.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU use over a window, as a share of all cores: the pipeline's child JVM, this JVM (broker,
 * Twikit sandbox, load producer, verifier) and everything else on the machine (from {@code
 * /proc/stat}; the registry's child JVM is idle during a round and counts as "other"). A window
 * with much "other" CPU was disturbed by unrelated processes: treat its rates with care.
 *
 * <p>Not thread-safe; one per window.
 */
final class CpuMeter {
  /** Percentages of all cores; -1 when unknown. */
  record Usage(double pipelinePct, double benchPct, double otherPct) {}

  private final ProcessHandle pipeline;
  private final long wall0 = System.nanoTime();
  private final long bench0 = benchCpuNanos();
  private final long pipeline0;
  private final long[] system0 = systemJiffies();

  /**
   * @param pipeline the pipeline's process, or null when there is none (the raw ceiling)
   */
  CpuMeter(ProcessHandle pipeline) {
    this.pipeline = pipeline;
    this.pipeline0 = cpuNanos(pipeline);
  }

  Usage stop() {
    long wall = System.nanoTime() - wall0;
    int cores = Runtime.getRuntime().availableProcessors();
    double bench = share(benchCpuNanos(), bench0, wall, cores);
    double pipe = pipeline == null ? 0 : share(cpuNanos(pipeline), pipeline0, wall, cores);
    long[] system1 = systemJiffies();
    double other = -1;
    if (system0 != null && system1 != null && system1[1] > system0[1]) {
      double busy = 100.0 * (system1[0] - system0[0]) / (system1[1] - system0[1]);
      other = Math.max(0, busy - Math.max(0, bench) - Math.max(0, pipe));
    }
    return new Usage(pipeline == null ? -1 : pipe, bench, other);
  }

  private static double share(long now, long then, long wallNanos, int cores) {
    return now < 0 || then < 0 || wallNanos <= 0 ? -1 : 100.0 * (now - then) / wallNanos / cores;
  }

  static long cpuNanos(ProcessHandle process) {
    if (process == null) {
      return -1;
    }
    return process.info().totalCpuDuration().map(d -> d.toNanos()).orElse(-1L);
  }

  private static long benchCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getProcessCpuTime()
        : -1;
  }

  /** {busy, total} jiffies over all CPUs, or null where /proc/stat is not readable. */
  private static long[] systemJiffies() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      long idle = 0;
      for (int i = 1;
          i < f.length && i <= 8;
          i++) { // user nice system idle iowait irq softirq steal
        long v = Long.parseLong(f[i]);
        total += v;
        if (i == 4 || i == 5) {
          idle += v;
        }
      }
      return new long[] {total - idle, total};
    } catch (Exception e) {
      return null;
    }
  }
}
