package dev.twikitorders.enricher.it;

import dev.twikitorders.localstack.LocalStack;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.SchemaRegistryClients;
import dev.twikitorders.sandbox.SandboxConfig;
import dev.twikitorders.sandbox.TwikitSandbox;
import java.time.Duration;
import java.util.UUID;

/**
 * One test class's infrastructure: the LocalStack (embedded KRaft broker, Apicurio registry child
 * JVM) with the Twikit sandbox on loopback, a registry client, and client credentials with a
 * distinctive secret. Topics are created per {@link PipelineRun}.
 *
 * <p>Thread-safe to close.
 */
final class ItStack implements AutoCloseable {
  static final String CLIENT_ID = "it-client";

  private final LocalStack stack;
  private final TwikitSandbox sandbox;
  private final SchemaRegistryClient registry;
  private final String clientSecret;

  private ItStack(LocalStack stack, String clientSecret) {
    this.stack = stack;
    this.sandbox = stack.service(TwikitSandbox.class);
    this.registry = SchemaRegistryClients.create(stack.schemaRegistryUrl());
    this.clientSecret = clientSecret;
  }

  /** Starts the stack; the sandbox answers after {@code latency} plus up to {@code spread}. */
  static ItStack start(Duration latency, Duration spread) {
    String secret = "it-SECRET-" + UUID.randomUUID();
    LocalStack stack =
        LocalStack.builder()
            .service(
                TwikitSandbox.class,
                () ->
                    TwikitSandbox.start(
                        SandboxConfig.builder()
                            .port(0)
                            .clientId(CLIENT_ID)
                            .clientSecret(secret)
                            .latency(latency)
                            .latencySpread(spread)
                            .build()))
            .start();
    return new ItStack(stack, secret);
  }

  TwikitSandbox sandbox() {
    return sandbox;
  }

  SchemaRegistryClient registry() {
    return registry;
  }

  String bootstrapServers() {
    return stack.bootstrapServers();
  }

  String clientSecret() {
    return clientSecret;
  }

  PipelineRun.Infrastructure infra() {
    return new PipelineRun.Infrastructure(
        stack.bootstrapServers(),
        stack.schemaRegistryUrl(),
        sandbox.apiUrl().toString(),
        sandbox.tokenUrl().toString(),
        CLIENT_ID,
        clientSecret);
  }

  /** New unique names, with the four topics created (3 partitions each). */
  PipelineRun newRun(String name) {
    PipelineRun run = PipelineRun.unique(name, infra());
    stack.kafka().createTopics(3, run.input(), run.erp(), run.fulfillment(), run.deadLetters());
    return run;
  }

  @Override
  public void close() {
    try {
      registry.close();
    } finally {
      stack.close();
    }
  }
}
