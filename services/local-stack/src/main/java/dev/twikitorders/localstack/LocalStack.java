package dev.twikitorders.localstack;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The infrastructure the pipeline needs, on this machine, without Docker: an {@link EmbeddedKafka}
 * broker, an {@link EmbeddedSchemaRegistry} and any further services registered with {@link
 * Builder#service}.
 *
 * <p>All components start in parallel (the registry's JVM start-up overlaps the broker's); {@link
 * #close()} stops them in the reverse order of registration: extra services (last first), registry,
 * broker. If one component fails to start, those that did start are closed before the failure is
 * thrown.
 *
 * <p>Extension point: a service such as the Twikit sandbox is plugged in by type, without this
 * module depending on it:
 *
 * <pre>{@code
 * try (LocalStack stack = LocalStack.builder()
 *         .topics(3, "order-events", "erp.configuration-summaries")
 *         .service(TwikitSandbox.class, () -> TwikitSandbox.start(0))
 *         .start()) {
 *     String api = stack.service(TwikitSandbox.class).baseUrl();
 *     ...
 * }
 * }</pre>
 *
 * <p>Thread-safe once started; {@link #close()} is idempotent.
 */
public final class LocalStack implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

  /**
   * Starts one extra service of a {@link LocalStack}; runs on its own thread, in parallel with the
   * others.
   */
  @FunctionalInterface
  public interface ServiceStarter<T extends AutoCloseable> {
    T start() throws Exception;
  }

  private final EmbeddedKafka kafka;
  private final EmbeddedSchemaRegistry schemaRegistry;
  private final Map<Class<?>, AutoCloseable> services;

  /** Everything to close, in start-registration order. */
  private final List<AutoCloseable> components;

  private boolean closed;

  private LocalStack(
      EmbeddedKafka kafka,
      EmbeddedSchemaRegistry schemaRegistry,
      Map<Class<?>, AutoCloseable> services,
      List<AutoCloseable> components) {
    this.kafka = kafka;
    this.schemaRegistry = schemaRegistry;
    this.services = Map.copyOf(services);
    this.components = List.copyOf(components);
  }

  /** Starts a broker and a registry with default settings. */
  public static LocalStack start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  public EmbeddedKafka kafka() {
    return kafka;
  }

  /** {@code bootstrap.servers} of the broker. */
  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  /**
   * The registry.
   *
   * @throws IllegalStateException if the stack was built {@linkplain
   *     Builder#withoutSchemaRegistry() without one}
   */
  public EmbeddedSchemaRegistry schemaRegistry() {
    if (schemaRegistry == null) {
      throw new IllegalStateException("This local stack was started without a schema registry");
    }
    return schemaRegistry;
  }

  /** Base URL of the registry's Confluent-compatible API ({@code schema.registry.url}). */
  public String schemaRegistryUrl() {
    return schemaRegistry().url();
  }

  /**
   * The extra service registered under {@code type}.
   *
   * @throws IllegalArgumentException if no service was registered under that type
   */
  public <T extends AutoCloseable> T service(Class<T> type) {
    AutoCloseable service = services.get(type);
    if (service == null) {
      throw new IllegalArgumentException(
          "No service of type " + type.getName() + " in this local stack");
    }
    return type.cast(service);
  }

  /**
   * Stops every component, in the reverse order of registration; the first failure is thrown,
   * others suppressed.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    RuntimeException failure = closeAll(components);
    if (failure != null) {
      throw failure;
    }
  }

  private static RuntimeException closeAll(List<AutoCloseable> components) {
    IllegalStateException failure = null;
    for (int i = components.size() - 1; i >= 0; i--) {
      try {
        components.get(i).close();
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        if (failure == null) {
          failure = new IllegalStateException("Errors while stopping the local stack");
        }
        failure.addSuppressed(e);
      }
    }
    return failure;
  }

  @Override
  public String toString() {
    return "LocalStack[kafka="
        + kafka.bootstrapServers()
        + (schemaRegistry == null ? "" : ", schemaRegistry=" + schemaRegistry.url())
        + (services.isEmpty()
            ? ""
            : ", services=" + services.keySet().stream().map(Class::getSimpleName).toList())
        + "]";
  }

  /** What to start. Not thread-safe. */
  public static final class Builder {
    private final Map<String, String> kafkaConfig = new LinkedHashMap<>();
    private EmbeddedKafka.Builder kafka = EmbeddedKafka.builder();
    private final List<NewTopic> topics = new ArrayList<>();
    private EmbeddedSchemaRegistry.Builder schemaRegistry = EmbeddedSchemaRegistry.builder();
    private final Map<Class<?>, ServiceStarter<?>> services = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Broker settings on top of {@link EmbeddedKafka#DEFAULT_BROKER_CONFIG} (and on top of those of
     * a {@link #kafka(EmbeddedKafka.Builder) given broker builder}).
     */
    public Builder kafkaConfig(Map<String, String> overrides) {
      kafkaConfig.putAll(overrides);
      return this;
    }

    /**
     * The broker to start, e.g. {@code EmbeddedKafka.builder().tlsListeners(...)} for SSL and
     * SASL_SSL listeners; {@link #kafkaConfig} settings are added to a copy of it at {@link
     * #start()}.
     */
    public Builder kafka(EmbeddedKafka.Builder kafka) {
      this.kafka = Objects.requireNonNull(kafka, "kafka");
      return this;
    }

    /** Topics to create once the broker is up (replication factor 1). */
    public Builder topics(int partitions, String... names) {
      for (String name : names) {
        topics.add(new NewTopic(name, partitions, (short) 1));
      }
      return this;
    }

    /** Topics to create once the broker is up. */
    public Builder topics(Collection<NewTopic> newTopics) {
      topics.addAll(newTopics);
      return this;
    }

    /** Registry settings (jar, heap, default compatibility, timeouts). */
    public Builder schemaRegistry(EmbeddedSchemaRegistry.Builder registry) {
      this.schemaRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** No embedded registry, e.g. when {@code SCHEMA_REGISTRY_URL} points at a running one. */
    public Builder withoutSchemaRegistry() {
      this.schemaRegistry = null;
      return this;
    }

    /**
     * Registers an extra service, started in parallel with the broker and the registry, closed
     * before them, and looked up with {@link LocalStack#service(Class)}.
     */
    public <T extends AutoCloseable> Builder service(
        Class<T> type, ServiceStarter<? extends T> starter) {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(starter, "starter");
      if (services.putIfAbsent(type, starter) != null) {
        throw new IllegalArgumentException(
            "A service of type " + type.getName() + " is already registered");
      }
      return this;
    }

    /**
     * Starts every component in parallel and waits for all of them.
     *
     * @throws IllegalStateException if any component fails to start; the others are stopped first
     */
    public LocalStack start() {
      long startNanos = System.nanoTime();
      EmbeddedKafka.Builder kafkaBuilder = kafka.copy().brokerConfig(kafkaConfig);
      List<NewTopic> newTopics = List.copyOf(topics);
      EmbeddedSchemaRegistry.Builder registryBuilder = schemaRegistry;

      List<String> names = new ArrayList<>();
      List<Future<? extends AutoCloseable>> futures = new ArrayList<>();
      try (ExecutorService executor =
          Executors.newThreadPerTaskExecutor(
              Thread.ofPlatform().name("local-stack-start-", 0).daemon().factory())) {
        names.add("kafka");
        futures.add(
            executor.submit(
                () -> {
                  EmbeddedKafka kafka = kafkaBuilder.start();
                  try {
                    if (!newTopics.isEmpty()) {
                      kafka.createTopics(newTopics);
                    }
                  } catch (RuntimeException e) {
                    kafka.close();
                    throw e;
                  }
                  return kafka;
                }));
        if (registryBuilder != null) {
          names.add("schema registry");
          futures.add(executor.submit(registryBuilder::start));
        }
        services.forEach(
            (type, starter) -> {
              names.add(type.getSimpleName());
              Callable<AutoCloseable> start =
                  () ->
                      Objects.requireNonNull(
                          starter.start(),
                          () -> "the starter of " + type.getName() + " returned null");
              futures.add(executor.submit(start));
            });
        // executor.close() waits for every start to finish, successful or not
      }

      List<AutoCloseable> started = new ArrayList<>();
      IllegalStateException failure = null;
      for (int i = 0; i < futures.size(); i++) {
        try {
          started.add(futures.get(i).get());
        } catch (ExecutionException | InterruptedException e) {
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
          }
          if (failure == null) {
            failure =
                new IllegalStateException(
                    "The local stack did not start: " + names.get(i) + " failed",
                    e instanceof ExecutionException ? e.getCause() : e);
          } else {
            failure.addSuppressed(e instanceof ExecutionException ? e.getCause() : e);
          }
          started.add(null);
        }
      }
      if (failure != null) {
        RuntimeException closeFailure =
            closeAll(started.stream().filter(Objects::nonNull).toList());
        if (closeFailure != null) {
          failure.addSuppressed(closeFailure);
        }
        throw failure;
      }

      EmbeddedKafka kafka = (EmbeddedKafka) started.get(0);
      EmbeddedSchemaRegistry registry =
          registryBuilder == null ? null : (EmbeddedSchemaRegistry) started.get(1);
      Map<Class<?>, AutoCloseable> extra = new LinkedHashMap<>();
      int index = registryBuilder == null ? 1 : 2;
      for (Class<?> type : services.keySet()) {
        extra.put(type, started.get(index++));
      }
      LocalStack stack = new LocalStack(kafka, registry, extra, started);
      log.info(
          "Local stack started in {} ms: {}", (System.nanoTime() - startNanos) / 1_000_000, stack);
      return stack;
    }
  }
}
