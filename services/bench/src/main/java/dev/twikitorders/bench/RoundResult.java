package dev.twikitorders.bench;

/**
 * One row of the results: a raw-ceiling window or a pipeline round. Rates are per second over the
 * round's window (first produce to last line complete); latencies in ms (-1 = not measured); CPU in
 * percent of all cores (-1 = unknown); heap in MB of the pipeline's child JVM (-1 = no pipeline).
 *
 * @param round name of the round (raw, sync, async, async-0ms, sustained, half-rate)
 * @param targetRate the producing rate in lines/s, 0 for a backlog
 * @param peakApiCallsPerSec the best average API call rate over a window as long as a raw-ceiling
 *     window ({@code --raw-seconds}) inside the round: its steady state; -1 when the round is
 *     shorter
 * @param verdict "ok", or what broke (conservation or ordering)
 */
record RoundResult(
    String round,
    String mode,
    long latencyMs,
    int orders,
    long lines,
    double targetRate,
    double seconds,
    double linesPerSec,
    long apiCalls,
    double apiCallsPerSec,
    double peakApiCallsPerSec,
    long p50,
    long p95,
    long p99,
    long maxLatency,
    long tokens,
    double peakHeapMb,
    double liveHeapMb,
    double gcPauseMs,
    double pipelineCpuPct,
    double benchCpuPct,
    double otherCpuPct,
    long missingErp,
    long missingFulfillment,
    long duplicates,
    long unknown,
    long orderViolations,
    long deadLetters,
    String verdict) {

  boolean ok() {
    return verdict.equals("ok");
  }

  boolean isPipeline() {
    return !mode.equals("raw");
  }
}
