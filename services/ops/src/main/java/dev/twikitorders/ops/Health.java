package dev.twikitorders.ops;

/**
 * An application's health decisions, asked by {@link OpsServer} on every probe: {@code
 * /health/live} answers {@link #live()}, {@code /health/ready} and {@code /health} answer {@link
 * #ready()}.
 *
 * <p>Implementations are called from the server's serving threads, possibly concurrently, and must
 * be thread-safe and quick (read state, do not wait on I/O). A runtime exception thrown here is
 * answered with a bare 500 and logged.
 */
public interface Health {
  /** Liveness, for a restart probe: false only when restarting the process would help. */
  Verdict live();

  /** Readiness, for a readiness probe: true only while the application does its work. */
  Verdict ready();
}
