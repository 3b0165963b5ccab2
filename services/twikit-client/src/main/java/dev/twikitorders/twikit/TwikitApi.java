package dev.twikitorders.twikit;

import dev.twikitorders.twikit.model.ApiStatus;
import dev.twikitorders.twikit.model.BatchUpdateResult;
import dev.twikitorders.twikit.model.Compatibility;
import dev.twikitorders.twikit.model.Configuration;
import dev.twikitorders.twikit.model.ConfigurationUpdate;
import dev.twikitorders.twikit.model.Filtered;
import dev.twikitorders.twikit.model.Parameters;
import dev.twikitorders.twikit.model.Summary;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The Twikit REST API, non-blocking. Every method returns at once; the future completes with the
 * parsed value or exceptionally with a {@link TwikitException} (see {@link
 * TwikitException#unwrap}). Calls beyond {@link TwikitClientConfig#maxInFlight()} wait in a queue,
 * they do not fail.
 *
 * <p>Futures complete on the client's I/O threads: do not block in dependent stages, use the {@code
 * *Async} variants with your own executor for slow work.
 *
 * <p>Cancelling a returned future ({@code future.cancel(true)}) ends the call: no further attempt
 * is made (a scheduled retry is dropped, a place in the in-flight queue is given up, a call waiting
 * for a token does not send), and the HTTP exchange in flight is aborted. Cancel the returned
 * future itself: cancelling a dependent stage does not reach it.
 *
 * <p>Arguments are checked at once: a null or blank configuration id throws {@link
 * IllegalArgumentException} (or {@link NullPointerException}) from the method itself.
 *
 * <p>Thread-safety: implementations are thread-safe; share one instance per application.
 */
public interface TwikitApi extends AutoCloseable {

  /** {@code GET /status}; needs no token. */
  CompletableFuture<ApiStatus> status();

  /** {@code GET /configurations/{id}}. */
  CompletableFuture<Configuration> configuration(String configurationId);

  /** {@code GET /configurations/{id}/compatibility}. */
  CompletableFuture<Compatibility> compatibility(String configurationId);

  /** {@code GET /configurations/{id}/summary}. */
  CompletableFuture<Summary> summary(String configurationId);

  /** {@code GET /configurations/{id}/parameters}. */
  CompletableFuture<Parameters> parameters(String configurationId);

  /** {@code GET /configurations/{id}/filtered}. */
  CompletableFuture<Filtered> filtered(String configurationId);

  /**
   * {@code POST /configurations/{id}}: updates one configuration and returns it as updated. The
   * update's {@code uuid}, when set, must equal {@code configurationId}. Retried like a read
   * (updates are idempotent).
   */
  CompletableFuture<Configuration> update(String configurationId, ConfigurationUpdate update);

  /**
   * {@code POST /configurations}: updates several configurations in one call; every update needs a
   * {@code uuid}. Unknown ids are reported in {@link BatchUpdateResult#notFound()}, not as failure.
   */
  CompletableFuture<BatchUpdateResult> updateMany(List<ConfigurationUpdate> updates);

  /**
   * Closes the client: fails calls still queued or waiting for a retry with {@link
   * TwikitException.Kind#UNAVAILABLE}, aborts exchanges in flight, releases connections and threads
   * and removes the client's meters. Idempotent.
   */
  @Override
  void close();
}
