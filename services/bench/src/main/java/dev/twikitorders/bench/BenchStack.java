package dev.twikitorders.bench;

import dev.twikitorders.localstack.LocalStack;
import dev.twikitorders.sandbox.SandboxConfig;
import dev.twikitorders.sandbox.TwikitSandbox;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded stack every bench command runs on: a KRaft broker, the schema registry (child JVM)
 * and the Twikit sandbox with client id {@value #CLIENT_ID}. Shared by the rounds ({@link
 * BenchMain}) and the soak ({@link SoakBench}).
 */
final class BenchStack {
  static final String CLIENT_ID = "bench";
  private static final Logger LOG = LoggerFactory.getLogger(BenchStack.class);

  private BenchStack() {}

  /** Starts the stack; the sandbox answers after {@code latency}. */
  static LocalStack start(String clientSecret, Duration latency) {
    LOG.info(
        "Starting the embedded stack: KRaft broker, schema registry (child JVM), Twikit sandbox ({}"
            + " ms)",
        latency.toMillis());
    LocalStack stack =
        LocalStack.builder()
            .service(
                TwikitSandbox.class,
                () ->
                    TwikitSandbox.start(
                        SandboxConfig.builder()
                            .port(0)
                            .clientId(CLIENT_ID)
                            .clientSecret(clientSecret)
                            .latency(latency)
                            .build()))
            .start();
    LOG.info(
        "Stack up: Kafka {}, registry {}, Twikit {}",
        stack.bootstrapServers(),
        stack.schemaRegistryUrl(),
        stack.service(TwikitSandbox.class).apiUrl());
    return stack;
  }

  /** Closes {@code c} if set, logging (not throwing) a failure: the bench's results stand. */
  static void closeQuietly(AutoCloseable c, String what) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      LOG.warn("{} close: {}", what, e.toString());
    }
  }
}
