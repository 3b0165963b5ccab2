package dev.twikitorders.connections;

import dev.twikitorders.settings.ConfigException;
import dev.twikitorders.settings.Setting;
import dev.twikitorders.settings.SettingValues;
import dev.twikitorders.settings.SettingsCatalog;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * How an application reaches its Kafka cluster: {@code kafka.bootstrap.servers} and the
 * pass-through Kafka client settings ({@code kafka.<setting>} in files and {@code --set}, {@code
 * KAFKA_<SETTING>} in the environment: security and the like), and the client configurations built
 * from them. An application lists {@link #BOOTSTRAP_SERVERS} in its catalog, gives the catalog
 * {@link #PASS_THROUGH}, reads the connection with {@link #read} and checks it with {@link
 * #require()} when it needs Kafka.
 *
 * <p>Overrides may carry client-specific prefixes as Kafka Streams knows them ({@code producer.},
 * {@code consumer.}, {@code main.consumer.}, {@code restore.consumer.}, {@code global.consumer.},
 * {@code admin.}): {@link #common()} leaves them out, {@link #prefixed(String)} gives those of one
 * prefix without it.
 *
 * <p>Immutable and thread-safe. Override values may hold credentials ({@code sasl.jaas.config}):
 * {@link #toString()} shows their keys only.
 *
 * @param bootstrapServers null when not set: {@link #require()} refuses it
 * @param overrides pass-through settings without the {@code kafka.} prefix; they win over the
 *     application's own Kafka defaults
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> overrides) {
  public static final Setting BOOTSTRAP_SERVERS =
      new Setting(
          "kafka.bootstrap.servers",
          null,
          false,
          "Kafka bootstrap servers; required by every command that reads or writes Kafka.");

  /** Prefix of pass-through Kafka client settings in files and {@code --set}. */
  public static final String PREFIX = "kafka.";

  /** Prefix of pass-through Kafka settings in the environment: {@code KAFKA_SECURITY_PROTOCOL}. */
  public static final String ENV_PREFIX = "KAFKA_";

  /** Environment variables that belong to Kafka's scripts, not to client configuration. */
  private static final Set<String> IGNORED_ENV =
      Set.of(
          "KAFKA_HOME",
          "KAFKA_OPTS",
          "KAFKA_HEAP_OPTS",
          "KAFKA_JVM_PERFORMANCE_OPTS",
          "KAFKA_LOG4J_OPTS",
          "KAFKA_JMX_OPTS",
          "KAFKA_DEBUG",
          "KAFKA_GC_LOG_OPTS",
          "KAFKA_LOG_DIR",
          "KAFKA_LOG_LEVEL");

  /**
   * The pass-through Kafka client settings: {@code kafka.<setting>} in files and {@code --set},
   * {@code KAFKA_<SETTING>} in the environment (not the variables of Kafka's scripts, such as
   * {@code KAFKA_HEAP_OPTS}); JAAS configurations and passwords are secrets.
   */
  public static final SettingsCatalog.PassThrough PASS_THROUGH =
      new SettingsCatalog.PassThrough(
          PREFIX, ENV_PREFIX, "Kafka client settings", IGNORED_ENV, KafkaConnection::isSecret);

  private static final String[] CLIENT_PREFIXES = {
    "producer.", "consumer.", "main.consumer.", "restore.consumer.", "global.consumer.", "admin."
  };

  public KafkaConnection {
    overrides = Map.copyOf(overrides);
  }

  /**
   * The connection: {@link #BOOTSTRAP_SERVERS} (null when unset) and the pass-through settings of
   * the catalog ({@link #PASS_THROUGH}) except it and {@code notPassedThrough}, the application's
   * own {@code kafka.*} settings.
   */
  public static KafkaConnection read(SettingValues v, Setting... notPassedThrough) {
    Setting[] handled = new Setting[notPassedThrough.length + 1];
    handled[0] = BOOTSTRAP_SERVERS;
    System.arraycopy(notPassedThrough, 0, handled, 1, notPassedThrough.length);
    return new KafkaConnection(v.string(BOOTSTRAP_SERVERS), v.passThrough(handled));
  }

  /**
   * This, when the bootstrap servers are set.
   *
   * @throws ConfigException naming {@code kafka.bootstrap.servers} and its variable when unset
   */
  public KafkaConnection require() {
    Setting.require(bootstrapServers, BOOTSTRAP_SERVERS);
    return this;
  }

  /**
   * The effective whole-number value of a Kafka client or Streams setting: the first of {@code
   * keys} (pass-through {@code kafka.*} overrides, most specific prefix first) that is set, else
   * {@code fallback}.
   *
   * @throws ConfigException naming the setting when its value is not a whole number
   */
  public long effective(long fallback, String... keys) {
    for (String key : keys) {
      String value = overrides.get(key);
      if (value != null) {
        try {
          return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
          throw new ConfigException(
              "setting kafka." + key + " must be a whole number, was '" + value + "'");
        }
      }
    }
    return fallback;
  }

  /**
   * The bootstrap servers and the overrides without client-prefixed keys (and without Kafka
   * Streams' own prefixes). A new mutable map.
   */
  public Map<String, Object> common() {
    Map<String, Object> m = new HashMap<>();
    overrides.forEach(
        (k, v) -> {
          if (!isClientPrefixed(k)) {
            m.put(k, v);
          }
        });
    m.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return m;
  }

  /**
   * The overrides under {@code prefix} (e.g. {@code consumer.}), the prefix stripped. A new mutable
   * map.
   */
  public Map<String, Object> prefixed(String prefix) {
    Map<String, Object> m = new HashMap<>();
    overrides.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            m.put(k.substring(prefix.length()), v);
          }
        });
    return m;
  }

  /**
   * An admin client: {@link #common()}, then the {@code admin.} overrides, then a 30 s default API
   * timeout and a 10 s request timeout. A new mutable map.
   */
  public Map<String, Object> admin() {
    Map<String, Object> m = common();
    m.putAll(prefixed("admin."));
    m.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    m.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    return m;
  }

  /**
   * A consumer of raw bytes for bounded jobs: no group (it cannot touch a live application's
   * group), never commits, reads committed data only, positions set by {@code seek} (a position
   * that falls off the log is an error, not a jump). {@link #common()}, then the {@code consumer.}
   * overrides, then these. A new mutable map.
   */
  public Map<String, Object> groupLessConsumer(String clientId, int maxPollRecords) {
    Map<String, Object> m = common();
    m.putAll(prefixed("consumer."));
    m.remove(ConsumerConfig.GROUP_ID_CONFIG);
    m.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    m.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    m.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    m.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    m.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    m.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
    m.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    m.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return m;
  }

  /**
   * An idempotent transactional producer of raw bytes ({@code acks=all}, lz4, 5 ms linger), its
   * client id the transactional id. {@link #common()}, then the {@code producer.} overrides, then
   * these. A new mutable map.
   */
  public Map<String, Object> transactionalProducer(String transactionalId) {
    Map<String, Object> m = common();
    m.putAll(prefixed("producer."));
    m.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
    m.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    m.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    m.put(ProducerConfig.ACKS_CONFIG, "all");
    m.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    m.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    m.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    m.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return m;
  }

  /** Kafka client settings that hold credentials: JAAS configurations and passwords. */
  static boolean isSecret(String key) {
    return key.endsWith("sasl.jaas.config")
        || key.contains("password")
        || key.endsWith("sasl.oauthbearer.client.credentials.client.secret");
  }

  private static boolean isClientPrefixed(String key) {
    for (String prefix : CLIENT_PREFIXES) {
      if (key.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** Shows the pass-through keys only: their values may hold credentials (sasl.jaas.config). */
  @Override
  public String toString() {
    return "KafkaConnection[bootstrapServers="
        + bootstrapServers
        + ", overrides="
        + overrides.keySet()
        + "]";
  }
}
