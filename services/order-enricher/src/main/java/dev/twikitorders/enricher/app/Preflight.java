package dev.twikitorders.enricher.app;

import dev.twikitorders.enricher.config.ConfigException;
import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.enricher.config.Setting;
import dev.twikitorders.enricher.config.Settings;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.twikit.TwikitApi;
import dev.twikitorders.twikit.TwikitException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Start-up checks: each failure is a {@link ConfigException} that names the setting to fix. */
final class Preflight {
  /**
   * A UUID the API does not know: reading it proves reachability and credentials without side
   * effects.
   */
  static final String PROBE_ID = "00000000-0000-0000-0000-000000000000";

  private static final long TIMEOUT_S = 30;

  private Preflight() {}

  static Map<String, Object> adminConfig(EnricherConfig config) {
    Map<String, Object> m = new HashMap<>(config.kafkaOverrides());
    m.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    m.put(
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
        (int) TimeUnit.SECONDS.toMillis(TIMEOUT_S));
    m.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    // drop Streams-only and producer/consumer-only keys the admin client would warn about
    m.keySet()
        .removeIf(
            k ->
                k.startsWith("producer.")
                    || k.startsWith("consumer.")
                    || k.startsWith("main.consumer.")
                    || k.startsWith("restore.consumer.")
                    || k.startsWith("global.consumer.")
                    || k.startsWith("admin."));
    return m;
  }

  static void checkKafka(EnricherConfig config) {
    try (Admin admin = Admin.create(adminConfig(config))) {
      admin.describeCluster().clusterId().get(TIMEOUT_S, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new ConfigException(
          "cannot reach Kafka at "
              + config.bootstrapServers()
              + " (setting "
              + describe(Settings.BOOTSTRAP_SERVERS)
              + "): "
              + rootMessage(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException("interrupted while checking Kafka");
    } catch (RuntimeException e) {
      throw new ConfigException(
          "invalid Kafka client settings ("
              + describe(Settings.BOOTSTRAP_SERVERS)
              + " or kafka.* pass-through): "
              + rootMessage(e));
    }
  }

  static void ensureTopics(EnricherConfig config) {
    List<String> names =
        List.of(
            config.orderEventsTopic(),
            config.erpTopic(),
            config.fulfillmentTopic(),
            config.deadLetterTopic());
    try (Admin admin = Admin.create(adminConfig(config))) {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS);
      List<String> missing = names.stream().filter(n -> !existing.contains(n)).toList();
      if (missing.isEmpty()) {
        return;
      }
      if (!config.createTopics()) {
        throw new ConfigException(
            "topics "
                + missing
                + " do not exist; create them or set "
                + describe(Settings.CREATE_TOPICS)
                + " to true");
      }
      List<NewTopic> topics = new ArrayList<>();
      for (String name : missing) {
        topics.add(
            new NewTopic(
                name,
                Optional.of(config.topicPartitions()),
                Optional.of(config.topicReplication())));
      }
      try {
        admin.createTopics(topics).all().get(TIMEOUT_S, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new ConfigException(
          "cannot create topics at " + config.bootstrapServers() + ": " + rootMessage(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException("interrupted while creating topics");
    }
  }

  static void checkRegistry(EnricherConfig config, SchemaRegistryClient registry) {
    try {
      registry.subjects();
    } catch (RuntimeException e) {
      throw new ConfigException(
          "cannot use the schema registry at "
              + config.schemaRegistryUrl()
              + " (setting "
              + describe(Settings.SCHEMA_REGISTRY_URL)
              + "): "
              + rootMessage(e));
    }
  }

  static void checkTwikit(EnricherConfig config, TwikitApi twikit) {
    try {
      twikit.status().get(TIMEOUT_S, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new ConfigException(
          "cannot reach the Twikit API at "
              + config.twikitApiUrl()
              + " (setting "
              + describe(Settings.TWIKIT_API_URL)
              + "): "
              + rootMessage(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException("interrupted while checking Twikit");
    }
    try {
      twikit.compatibility(PROBE_ID).get(TIMEOUT_S, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      TwikitException te = TwikitException.unwrap(e).orElse(null);
      if (te != null
          && (te.kind() == TwikitException.Kind.NOT_FOUND
              || te.kind() == TwikitException.Kind.BAD_REQUEST)) {
        return; // the token was accepted; the probe id is unknown, as intended
      }
      if (te != null && te.kind() == TwikitException.Kind.CREDENTIALS_REJECTED) {
        throw new ConfigException(
            "the Twikit token endpoint "
                + config.twikitTokenUrl()
                + " rejected client id '"
                + config.twikitClientId()
                + "' (settings "
                + describe(Settings.TWIKIT_CLIENT_ID)
                + ", "
                + describe(Settings.TWIKIT_CLIENT_SECRET)
                + ", "
                + describe(Settings.TWIKIT_SCOPE)
                + "): "
                + te.getMessage());
      }
      if (te != null
          && (te.kind() == TwikitException.Kind.UNAUTHORIZED
              || te.kind() == TwikitException.Kind.FORBIDDEN)) {
        throw new ConfigException(
            "the Twikit API refused the access token of client id '"
                + config.twikitClientId()
                + "' (check "
                + describe(Settings.TWIKIT_SCOPE)
                + " and "
                + describe(Settings.TWIKIT_TOKEN_URL)
                + "): "
                + te.getMessage());
      }
      throw new ConfigException(
          "cannot use the Twikit API at "
              + config.twikitApiUrl()
              + " with token endpoint "
              + config.twikitTokenUrl()
              + " (settings "
              + describe(Settings.TWIKIT_API_URL)
              + ", "
              + describe(Settings.TWIKIT_TOKEN_URL)
              + "): "
              + rootMessage(e));
    } catch (TimeoutException e) {
      throw new ConfigException(
          "the Twikit API at "
              + config.twikitApiUrl()
              + " did not answer within "
              + TIMEOUT_S
              + " s (setting "
              + describe(Settings.TWIKIT_API_URL)
              + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException("interrupted while checking Twikit");
    }
  }

  private static String describe(Setting s) {
    return s.key() + " / " + s.env();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }
}
