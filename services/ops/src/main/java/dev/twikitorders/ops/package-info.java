/**
 * The operations endpoint shared by the deployables: {@link dev.twikitorders.ops.OpsServer} serves
 * a Prometheus meter registry on {@code /metrics} and an application's {@link
 * dev.twikitorders.ops.Health} on {@code /health}, {@code /health/live} and {@code /health/ready},
 * with the JDK's {@code com.sun.net.httpserver}.
 *
 * <p>The module knows no Kafka and no application: each application registers its own meters and
 * decides its own liveness and readiness ({@link dev.twikitorders.ops.Verdict}).
 *
 * <p>Threading: requests are served by a bounded pool of daemon threads owned by the server; the
 * {@link dev.twikitorders.ops.Health} given to it is called from those threads, concurrently, on
 * every probe, and must be thread-safe. {@link dev.twikitorders.ops.Verdict} is immutable.
 */
package dev.twikitorders.ops;
