package dev.twikitorders.twikit;

import dev.twikitorders.sandbox.TwikitSandbox;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throughput of the client against an in-process sandbox at 0 ms latency: keeps {@code maxInFlight}
 * (256) GETs outstanding for a fixed time and prints requests per second.
 *
 * <p>Run: {@code java -cp <test classpath> dev.twikitorders.twikit.ClientThroughputMain [seconds]
 * [HTTP_1_1|HTTP_2] [maxInFlight]}; see the module README for the exact Maven command.
 */
public final class ClientThroughputMain {

  /** -Dsync=true issues the next call from the completing (I/O) thread, to compare. */
  private static final boolean SYNC = Boolean.getBoolean("sync");

  private ClientThroughputMain() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    HttpProtocol protocol = args.length > 1 ? HttpProtocol.valueOf(args[1]) : HttpProtocol.HTTP_1_1;
    int inFlight = args.length > 2 ? Integer.parseInt(args[2]) : 256;
    try (TwikitSandbox sb = SandboxSupport.start();
        TwikitApi api =
            TwikitClient.create(
                SandboxSupport.config(sb).httpProtocol(protocol).maxInFlight(inFlight).build())) {
      String id = SandboxSupport.knownId();
      run(api, id, inFlight, Duration.ofSeconds(2)); // warm-up
      long ok = run(api, id, inFlight, Duration.ofSeconds(seconds));
      System.out.printf(
          "protocol=%s maxInFlight=%d duration=%ds requests=%d -> %.0f requests/s%n",
          protocol, inFlight, seconds, ok, ok / (double) seconds);
    }
  }

  private static long run(TwikitApi api, String id, int inFlight, Duration duration)
      throws InterruptedException {
    long end = System.nanoTime() + duration.toNanos();
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    CountDownLatch done = new CountDownLatch(inFlight);
    for (int i = 0; i < inFlight; i++) {
      loop(api, id, end, ok, failed, done);
    }
    done.await();
    if (failed.get() > 0) {
      System.out.println("failed calls: " + failed.get());
    }
    return ok.get();
  }

  /** One closed-loop worker: issues the next call when the previous completes. */
  private static void loop(
      TwikitApi api, String id, long end, AtomicLong ok, AtomicLong failed, CountDownLatch done) {
    if (System.nanoTime() >= end) {
      done.countDown();
      return;
    }
    // async continuation: a call that fails fast (breaker open) completes at once, and a
    // synchronous
    // continuation would recurse until the stack overflows
    java.util.function.BiConsumer<Object, Throwable> next =
        (v, e) -> {
          (e == null ? ok : failed).incrementAndGet();
          loop(api, id, end, ok, failed, done);
        };
    if (SYNC) {
      api.compatibility(id).whenComplete(next);
    } else {
      api.compatibility(id).whenCompleteAsync(next);
    }
  }
}
