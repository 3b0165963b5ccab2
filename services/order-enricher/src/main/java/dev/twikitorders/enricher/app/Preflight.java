package dev.twikitorders.enricher.app;

import dev.twikitorders.enricher.config.ConfigException;
import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.enricher.config.KafkaSettings;
import dev.twikitorders.enricher.config.RegistrySettings;
import dev.twikitorders.enricher.config.Setting;
import dev.twikitorders.enricher.config.TopicSettings;
import dev.twikitorders.enricher.config.TwikitSettings;
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
    Map<String, Object> m = new HashMap<>(config.kafka().overrides());
    m.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
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
              + config.kafka().bootstrapServers()
              + " (setting "
              + describe(KafkaSettings.BOOTSTRAP_SERVERS)
              + "): "
              + rootMessage(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException("interrupted while checking Kafka");
    } catch (RuntimeException e) {
      throw new ConfigException(
          "invalid Kafka client settings ("
              + describe(KafkaSettings.BOOTSTRAP_SERVERS)
              + " or kafka.* pass-through): "
              + rootMessage(e));
    }
  }

  static void ensureTopics(EnricherConfig config) {
    List<String> names =
        List.of(
            config.topics().orderEvents(),
            config.topics().erp(),
            config.topics().fulfillment(),
            config.topics().deadLetters());
    try (Admin admin = Admin.create(adminConfig(config))) {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS);
      List<String> missing = names.stream().filter(n -> !existing.contains(n)).toList();
      if (missing.isEmpty()) {
        return;
      }
      if (!config.topics().create()) {
        throw new ConfigException(
            "topics "
                + missing
                + " do not exist; create them or set "
                + describe(TopicSettings.CREATE)
                + " to true");
      }
      List<NewTopic> topics = new ArrayList<>();
      for (String name : missing) {
        topics.add(
            new NewTopic(
                name,
                Optional.of(config.topics().partitions()),
                Optional.of(config.topics().replicationFactor())));
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
          "cannot create topics at " + config.kafka().bootstrapServers() + ": " + rootMessage(e));
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
              + config.registry().url()
              + " (setting "
              + describe(RegistrySettings.URL)
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
              + config.twikit().apiUrl()
              + " (setting "
              + describe(TwikitSettings.API_URL)
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
                + config.twikit().tokenUrl()
                + " rejected client id '"
                + config.twikit().clientId()
                + "' (settings "
                + describe(TwikitSettings.CLIENT_ID)
                + ", "
                + describe(TwikitSettings.CLIENT_SECRET)
                + ", "
                + describe(TwikitSettings.SCOPE)
                + "): "
                + te.getMessage());
      }
      if (te != null
          && (te.kind() == TwikitException.Kind.UNAUTHORIZED
              || te.kind() == TwikitException.Kind.FORBIDDEN)) {
        throw new ConfigException(
            "the Twikit API refused the access token of client id '"
                + config.twikit().clientId()
                + "' (check "
                + describe(TwikitSettings.SCOPE)
                + " and "
                + describe(TwikitSettings.TOKEN_URL)
                + "): "
                + te.getMessage());
      }
      throw new ConfigException(
          "cannot use the Twikit API at "
              + config.twikit().apiUrl()
              + " with token endpoint "
              + config.twikit().tokenUrl()
              + " (settings "
              + describe(TwikitSettings.API_URL)
              + ", "
              + describe(TwikitSettings.TOKEN_URL)
              + "): "
              + rootMessage(e));
    } catch (TimeoutException e) {
      throw new ConfigException(
          "the Twikit API at "
              + config.twikit().apiUrl()
              + " did not answer within "
              + TIMEOUT_S
              + " s (setting "
              + describe(TwikitSettings.API_URL)
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
