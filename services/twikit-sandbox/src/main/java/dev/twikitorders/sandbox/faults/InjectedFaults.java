package dev.twikitorders.sandbox.faults;

import dev.twikitorders.sandbox.faults.FaultController.Decision;
import dev.twikitorders.sandbox.http.Replies;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Carries out a fault {@link Decision} for one request, the same way for every endpoint that takes
 * faults (the API operations, the sink): wait the injected latency on a timer, then answer the
 * injected error (with {@code Retry-After} on 429 and 503), hold the request (for a while, then
 * serve it; or for ever), or serve it (malformed when the decision says so).
 *
 * <p>Stateless; runs on the request's event loop.
 */
public final class InjectedFaults {
  private InjectedFaults() {}

  /**
   * @param serve answers the request normally; its argument says whether to send a malformed body
   * @param fail answers the injected error status ({@code Retry-After} is already set)
   * @param hungForever counts a request that is never answered (its connection stays open)
   */
  public static void carryOut(
      Vertx vertx,
      HttpServerRequest req,
      Decision d,
      Consumer<Boolean> serve,
      IntConsumer fail,
      Runnable hungForever) {
    if (d == Decision.NONE) {
      serve.accept(false);
    } else if (d.delayMs() > 0) {
      vertx.setTimer(d.delayMs(), t -> afterDelay(vertx, req, d, serve, fail, hungForever));
    } else {
      afterDelay(vertx, req, d, serve, fail, hungForever);
    }
  }

  private static void afterDelay(
      Vertx vertx,
      HttpServerRequest req,
      Decision d,
      Consumer<Boolean> serve,
      IntConsumer fail,
      Runnable hungForever) {
    if (d.failStatus() != 0) {
      int status = d.failStatus();
      if (status == 429 || status == 503) {
        req.response().putHeader(Replies.RETRY_AFTER, Long.toString(d.retryAfterSeconds()));
      }
      fail.accept(status);
    } else if (d.hang()) {
      if (d.hangMs() > 0) {
        vertx.setTimer(d.hangMs(), t -> serve.accept(d.malformed()));
      } else {
        hungForever.run();
      }
    } else {
      serve.accept(d.malformed());
    }
  }
}
