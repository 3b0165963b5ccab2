package dev.twikitorders.enricher.replay;

import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar with rate and ETA, redrawn in place ({@code \r}) on stderr at most every
 * 250 ms. A disabled one prints nothing.
 *
 * <p>Not thread-safe: driven by the job thread.
 */
public final class Progress {
  private static final long REDRAW_NANOS = 250_000_000L;
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final boolean enabled;
  private final LongSupplier nanoTime;
  private String label = "";
  private long total;
  private long started;
  private long lastDraw;
  private boolean drawn;

  public Progress(PrintWriter err, boolean enabled) {
    this(err, enabled, System::nanoTime);
  }

  Progress(PrintWriter err, boolean enabled, LongSupplier nanoTime) {
    this.err = err;
    this.enabled = enabled;
    this.nanoTime = nanoTime;
  }

  /** A progress bar that prints nothing. */
  public static Progress none() {
    return new Progress(new PrintWriter(PrintWriter.nullWriter()), false);
  }

  /** Starts a phase of {@code total} units (records). */
  public void start(String label, long total) {
    this.label = label;
    this.total = total;
    this.started = nanoTime.getAsLong();
    this.lastDraw = 0;
  }

  /** Reports {@code done} units; redraws when due. {@code detail} may be empty. */
  public void update(long done, String detail) {
    if (!enabled) {
      return;
    }
    long now = nanoTime.getAsLong();
    if (drawn && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    drawn = true;
    err.print("\r" + line(done, detail, now) + "   ");
    err.flush();
  }

  /** Draws the final state and ends the line. */
  public void finish(long done, String detail) {
    if (!enabled) {
      return;
    }
    err.println("\r" + line(done, detail, nanoTime.getAsLong()) + "   ");
    err.flush();
    drawn = false;
  }

  String line(long done, String detail, long now) {
    double fraction = total <= 0 ? 1.0 : Math.min(1.0, (double) done / total);
    int filled = (int) Math.round(fraction * WIDTH);
    double seconds = Math.max(1e-9, (now - started) / 1e9);
    double rate = done / seconds;
    String eta;
    if (done >= total) {
      eta = "done";
    } else if (done == 0 || rate <= 0) {
      eta = "ETA --:--";
    } else {
      eta = "ETA " + clock((long) Math.ceil((total - done) / rate));
    }
    return String.format(
        "%s [%s%s] %3d%% %d/%d, %.0f/s, %s%s",
        label,
        "#".repeat(filled),
        ".".repeat(WIDTH - filled),
        (int) Math.floor(fraction * 100),
        done,
        total,
        rate,
        eta,
        detail == null || detail.isEmpty() ? "" : ", " + detail);
  }

  static String clock(long seconds) {
    long h = seconds / 3600;
    long m = (seconds % 3600) / 60;
    long s = seconds % 60;
    return h > 0 ? String.format("%d:%02d:%02d", h, m, s) : String.format("%d:%02d", m, s);
  }
}
