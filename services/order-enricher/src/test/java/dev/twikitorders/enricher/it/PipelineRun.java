package dev.twikitorders.enricher.it;

import dev.twikitorders.connections.RegistrySettings;
import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.enricher.config.KafkaSettings;
import dev.twikitorders.enricher.config.Settings;
import dev.twikitorders.enricher.config.TopicSettings;
import dev.twikitorders.enricher.config.TwikitSettings;
import dev.twikitorders.settings.ConfigSources;
import dev.twikitorders.settings.Setting;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The names one test uses (topics, application id), unique per test so that tests sharing a broker
 * never see each other's records, and the settings that point the enricher at the test's
 * infrastructure: as a typed config for an in-process app, or as environment variables for a child
 * process.
 *
 * @param infra bootstrap servers, registry URL and Twikit endpoints and credentials
 */
record PipelineRun(
    String name,
    String input,
    String erp,
    String fulfillment,
    String deadLetters,
    String applicationId,
    Infrastructure infra) {

  /** Where the test's Kafka, registry and Twikit sandbox are, and the client credentials. */
  record Infrastructure(
      String bootstrapServers,
      String schemaRegistryUrl,
      String twikitApiUrl,
      String twikitTokenUrl,
      String clientId,
      String clientSecret) {
    @Override
    public String toString() {
      return "Infrastructure["
          + bootstrapServers
          + ", "
          + schemaRegistryUrl
          + ", "
          + twikitApiUrl
          + "]";
    }
  }

  static PipelineRun unique(String name, Infrastructure infra) {
    String id = name + "-" + UUID.randomUUID().toString().substring(0, 8);
    return new PipelineRun(
        id, id + ".order-events", id + ".erp", id + ".fulfillment", id + ".dlq", "it-" + id, infra);
  }

  /**
   * The settings as property keys: infrastructure, topics, application id, state dir, 3 partitions,
   * a 10 s session timeout, then extras.
   */
  Map<String, String> settings(Path stateDir, Map<String, String> extra) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put(KafkaSettings.BOOTSTRAP_SERVERS.key(), infra.bootstrapServers());
    s.put(RegistrySettings.URL.key(), infra.schemaRegistryUrl());
    s.put(TwikitSettings.API_URL.key(), infra.twikitApiUrl());
    s.put(TwikitSettings.TOKEN_URL.key(), infra.twikitTokenUrl());
    s.put(TwikitSettings.CLIENT_ID.key(), infra.clientId());
    s.put(TwikitSettings.CLIENT_SECRET.key(), infra.clientSecret());
    s.put(TopicSettings.ORDER_EVENTS.key(), input);
    s.put(TopicSettings.ERP.key(), erp);
    s.put(TopicSettings.FULFILLMENT.key(), fulfillment);
    s.put(TopicSettings.DEAD_LETTERS.key(), deadLetters);
    s.put(KafkaSettings.APPLICATION_ID.key(), applicationId);
    s.put(KafkaSettings.STATE_DIR.key(), stateDir.toString());
    s.put(TopicSettings.PARTITIONS.key(), "3");
    // Kafka Streams does not leave the group on close: a stopped or killed member holds its tasks
    // until its session times out (45 s by default); keep restarts in the tests quick
    s.put(Settings.KAFKA_PREFIX + "session.timeout.ms", "10000");
    s.putAll(extra);
    return s;
  }

  /** The typed configuration of an in-process app (each value set as the test says). */
  EnricherConfig config(Path stateDir, Map<String, String> extra) {
    ConfigSources sources = new ConfigSources(Settings.CATALOG);
    settings(stateDir, extra).forEach((k, v) -> sources.set(k, v, "test setting " + k));
    return EnricherConfig.from(sources);
  }

  /**
   * The same settings as the environment variables of a child process ({@code TWIKIT_CLIENT_ID},
   * ...).
   */
  Map<String, String> environment(Path stateDir, Map<String, String> extra) {
    Map<String, String> env = new LinkedHashMap<>();
    settings(stateDir, extra).forEach((k, v) -> env.put(Setting.envOf(k), v));
    return env;
  }

  /** Creates the four topics through the Admin API and waits until the broker confirms them. */
  void createTopics(int partitions) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      admin
          .createTopics(
              Stream.of(input, erp, fulfillment, deadLetters)
                  .map(t -> new NewTopic(t, Optional.of(partitions), Optional.empty()))
                  .toList())
          .all()
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create the topics of " + this, e.getCause());
    }
  }

  @Override
  public String toString() {
    return "PipelineRun[" + name + "]";
  }
}
