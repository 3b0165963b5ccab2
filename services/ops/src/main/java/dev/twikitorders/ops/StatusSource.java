package dev.twikitorders.ops;

/**
 * Makes a deployable's {@link StatusReport}: called by {@link OpsServer} on every {@code
 * /status.json} request, from its serving threads, so it must be thread-safe and quick (read meters
 * and states; never call a remote system).
 */
@FunctionalInterface
public interface StatusSource {
  StatusReport status();
}
