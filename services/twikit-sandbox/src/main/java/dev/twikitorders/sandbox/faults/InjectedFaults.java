package dev.twikitorders.sandbox.faults;

import dev.twikitorders.sandbox.api.Operation;
import dev.twikitorders.sandbox.faults.FaultController.Decision;
import dev.twikitorders.sandbox.http.Replies;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Carries out the server model and a fault {@link Decision} for one request, the same way for every
 * endpoint that takes faults (the API operations, the sink): take a token of the rate limit
 * (refused: 429 at once, with {@code Retry-After}, {@code RateLimit-Limit} and {@code
 * RateLimit-Remaining: 0}); wait for a capacity slot; wait the injected latency on a timer holding
 * the slot; free the slot; then answer the injected error (with {@code Retry-After} on 429 and
 * 503), hold the request (for a while, then serve it; or for ever), or serve it (malformed when the
 * decision says so). Operations the faults do not apply to ({@link Faults#appliesTo}) skip the
 * server model.
 *
 * <p>Stateless; runs on the request's event loop (a request granted a slot by another thread is
 * handed back to its own event loop).
 */
public final class InjectedFaults {
  private static final CharSequence RATELIMIT_LIMIT =
      HttpHeaders.createOptimized("ratelimit-limit");
  private static final CharSequence RATELIMIT_REMAINING =
      HttpHeaders.createOptimized("ratelimit-remaining");
  private static final CharSequence ZERO = HttpHeaders.createOptimized("0");

  private InjectedFaults() {}

  /**
   * @param faults the fault state and server model of the sandbox
   * @param op the request's operation
   * @param serve answers the request normally; its argument says whether to send a malformed body
   * @param fail answers the injected error status ({@code Retry-After} is already set)
   * @param rateLimited answers 429 with this body (the rate limit's headers are already set; the
   *     refusal is already counted as {@code rateLimited})
   * @param hungForever counts a request that is never answered (its connection stays open)
   */
  public static void carryOut(
      Vertx vertx,
      HttpServerRequest req,
      FaultController faults,
      Operation op,
      Consumer<Boolean> serve,
      IntConsumer fail,
      Consumer<byte[]> rateLimited,
      Runnable hungForever) {
    if (!faults.current().appliesTo(op)) {
      run(vertx, req, faults.decide(op), serve, fail, hungForever);
      return;
    }
    Admission admission = faults.admission();
    Admission.Refusal refusal = admission.tryTake();
    if (refusal != null) {
      req.response()
          .putHeader(Replies.RETRY_AFTER, Long.toString(refusal.retryAfterSeconds()))
          .putHeader(RATELIMIT_LIMIT, Long.toString(limitHeader(refusal.rate())))
          .putHeader(RATELIMIT_REMAINING, ZERO);
      rateLimited.accept(
          Replies.oauthError(
              "rate_limited",
              "more than "
                  + formatRate(refusal.rate())
                  + " requests per second; retry after Retry-After seconds"));
      return;
    }
    Decision d = faults.decide(op);
    Context context = Vertx.currentContext();
    long arrived = admission.now();
    Runnable inService =
        () -> {
          if (d.delayMs() > 0) {
            vertx.setTimer(
                d.delayMs(),
                t -> {
                  admission.release();
                  admission.served(arrived);
                  afterDelay(vertx, req, d, serve, fail, hungForever);
                });
          } else {
            admission.release();
            admission.served(arrived);
            afterDelay(vertx, req, d, serve, fail, hungForever);
          }
        };
    admission.acquire(
        () -> {
          if (context == null || Vertx.currentContext() == context) {
            inService.run();
          } else {
            context.runOnContext(v -> inService.run());
          }
        });
  }

  /** {@code RateLimit-Limit}: the rate rounded to a whole number, at least 1. */
  static long limitHeader(double rate) {
    return Math.max(1, Math.round(rate));
  }

  private static String formatRate(double rate) {
    return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
  }

  private static void run(
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
