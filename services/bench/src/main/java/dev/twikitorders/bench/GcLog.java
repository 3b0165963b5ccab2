package dev.twikitorders.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heap figures of a child JVM from its unified GC log ({@code -Xlog:gc:file=...}): lines such as
 * {@code GC(3) Pause Young (Normal) (G1 Evacuation Pause) 52M->12M(256M) 3.210ms}. The peak heap in
 * use is the largest "before" value (heap use only grows between collections). The live set ({@code
 * maxLiveMb}) is the largest "after" value of the full collections that ran because the heap was
 * full (ParallelGC and Serial leave old-generation garbage in place until then, so their young
 * "after" values overstate it); without such a collection (G1, or a short run) it is the largest
 * "after" value of any collection, an upper bound.
 *
 * <p>Immutable.
 */
record GcLog(
    double peakUsedMb, double maxLiveMb, double maxCommittedMb, int collections, double pauseMs) {
  private static final Pattern HEAP =
      Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)(?:\\s+(\\d+\\.\\d+)ms)?");

  static GcLog parse(List<String> lines) {
    double peak = -1;
    double live = -1;
    double liveAfterFull = -1;
    double committed = -1;
    int count = 0;
    double pause = 0;
    for (String line : lines) {
      Matcher m = HEAP.matcher(line);
      if (!m.find()) {
        continue;
      }
      count++;
      peak = Math.max(peak, mb(m.group(1), m.group(2)));
      live = Math.max(live, mb(m.group(3), m.group(4)));
      if (line.contains("Pause Full") && !line.contains("Metadata GC Threshold")) {
        liveAfterFull = Math.max(liveAfterFull, mb(m.group(3), m.group(4)));
      }
      committed = Math.max(committed, mb(m.group(5), m.group(6)));
      if (m.group(7) != null && line.contains("Pause")) {
        pause += Double.parseDouble(m.group(7));
      }
    }
    return new GcLog(peak, liveAfterFull >= 0 ? liveAfterFull : live, committed, count, pause);
  }

  static GcLog read(Path file) {
    try {
      return Files.exists(file) ? parse(Files.readAllLines(file)) : parse(List.of());
    } catch (IOException e) {
      return parse(List.of());
    }
  }

  private static double mb(String value, String unit) {
    double v = Double.parseDouble(value);
    return switch (unit) {
      case "K" -> v / 1024;
      case "G" -> v * 1024;
      default -> v;
    };
  }
}
