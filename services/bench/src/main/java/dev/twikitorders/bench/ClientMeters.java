package dev.twikitorders.bench;

/**
 * The Twikit client's meters in a pipeline child's Prometheus {@code /metrics}: the in-flight limit
 * ({@code twikit_client_concurrency_limit}), the calls in flight and the rate cap ({@code
 * twikit_client_rate_limit}).
 *
 * <p>Thread-safe (stateless but for the shared HTTP client).
 */
final class ClientMeters {

  /** One scrape. */
  record Sample(long atNanos, double limit, double inFlight, double rate) {}

  private ClientMeters() {}

  /** The meters of the child serving on {@code port}, or null when it does not answer. */
  static Sample scrape(int port) {
    String text = MetricsScrape.fetch(port);
    return text == null ? null : parse(System.nanoTime(), text);
  }

  /** Parses the Prometheus text format for the meters named above. */
  static Sample parse(long atNanos, String text) {
    double limit = -1;
    double inFlight = -1;
    double rate = -1;
    for (String line : text.split("\n")) {
      if (line.startsWith("#")) {
        continue;
      }
      int close = line.lastIndexOf('}');
      String value =
          (close < 0 ? line.substring(line.indexOf(' ') + 1) : line.substring(close + 1))
              .trim()
              .split(" ")[0];
      double v;
      try {
        v = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        continue;
      }
      if (line.startsWith("twikit_client_concurrency_limit")) {
        limit = v;
      } else if (line.startsWith("twikit_client_inflight")) {
        inFlight = v;
      } else if (line.startsWith("twikit_client_rate_limit")) {
        rate = v;
      }
    }
    return new Sample(atNanos, limit, inFlight, rate);
  }

  /**
   * Scrapes the child on {@code port} once a second on a daemon thread, from {@link #start} to
   * {@link #stop}, and keeps every answer.
   *
   * <p>Thread-safety: {@link #stop} may be called from any thread, once.
   */
  static final class Recorder implements AutoCloseable {
    private final java.util.List<Sample> samples =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private final java.util.concurrent.ScheduledExecutorService timer =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "client-meters");
              t.setDaemon(true);
              return t;
            });
    private final int port;

    private Recorder(int port) {
      this.port = port;
    }

    static Recorder start(int port) {
      Recorder r = new Recorder(port);
      r.timer.scheduleAtFixedRate(r::sample, 0, 1, java.util.concurrent.TimeUnit.SECONDS);
      return r;
    }

    private void sample() {
      Sample s = scrape(port);
      if (s != null) {
        samples.add(s);
      }
    }

    /** Stops, takes one last sample, and returns them all in order. */
    java.util.List<Sample> stop() {
      timer.shutdownNow();
      try {
        timer.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      sample();
      synchronized (samples) {
        return java.util.List.copyOf(samples);
      }
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }
}
