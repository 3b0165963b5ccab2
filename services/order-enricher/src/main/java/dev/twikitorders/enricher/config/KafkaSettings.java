package dev.twikitorders.enricher.config;

import dev.twikitorders.connections.KafkaConnection;
import dev.twikitorders.settings.ConfigException;
import dev.twikitorders.settings.Setting;
import dev.twikitorders.settings.SettingValues;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where the pipeline's Kafka cluster is ({@link KafkaConnection}: the bootstrap servers and the
 * pass-through Kafka client and Streams settings, {@code kafka.<setting>} / {@code
 * KAFKA_<SETTING>}) and how this instance joins it as a Kafka Streams application.
 *
 * <p>Immutable and thread-safe; {@link #toString()} shows the pass-through keys only.
 *
 * @param connection the cluster; its bootstrap servers are null when not set: {@code run}, {@code
 *     replay} and {@code dlq} refuse to start without them
 * @param stateDir null: Kafka Streams' default (a folder under {@code java.io.tmpdir})
 * @param groupInstanceId the static group membership id of this instance, or null: derived at start
 *     from the host name and a free slot under the state directory
 */
public record KafkaSettings(
    KafkaConnection connection,
    String applicationId,
    int numStreamThreads,
    String stateDir,
    String groupInstanceId) {
  /** {@link KafkaConnection#BOOTSTRAP_SERVERS}. */
  public static final Setting BOOTSTRAP_SERVERS = KafkaConnection.BOOTSTRAP_SERVERS;

  public static final Setting APPLICATION_ID =
      new Setting(
          "application.id",
          "twikit-order-enricher",
          false,
          "Kafka Streams application id (consumer group, transactional ids, internal topic"
              + " prefix).");
  public static final Setting NUM_STREAM_THREADS =
      new Setting("num.stream.threads", "1", false, "Kafka Streams threads of this instance.");
  public static final Setting STATE_DIR =
      new Setting(
          "state.dir",
          null,
          false,
          "Kafka Streams state directory (default: a folder under java.io.tmpdir).");

  public static final Setting GROUP_INSTANCE_ID =
      new Setting(
          "kafka.group.instance.id",
          null,
          false,
          "Static group membership id of this instance (Kafka Streams appends `-<thread>`), so that"
              + " a restarted instance gets its partitions back at once. Default: `<host name>-<n>`,"
              + " n the lowest free slot under state.dir, whose state directory is"
              + " `<state.dir>/<n>`. When set, each instance needs its own value.");

  static final List<Setting> SETTINGS =
      List.of(BOOTSTRAP_SERVERS, APPLICATION_ID, NUM_STREAM_THREADS, STATE_DIR, GROUP_INSTANCE_ID);

  public KafkaSettings {
    Objects.requireNonNull(connection, "connection");
  }

  static KafkaSettings read(SettingValues v) {
    return new KafkaSettings(
        KafkaConnection.read(v, GROUP_INSTANCE_ID),
        v.required(APPLICATION_ID),
        v.integer(NUM_STREAM_THREADS, 1, 1_000),
        v.string(STATE_DIR),
        groupInstanceId(v));
  }

  /** The bootstrap servers of {@link #connection()}; null when not set. */
  public String bootstrapServers() {
    return connection.bootstrapServers();
  }

  /**
   * The pass-through settings of {@link #connection()}, without the {@code kafka.} prefix; they win
   * over the pipeline's own Kafka defaults.
   */
  public Map<String, String> overrides() {
    return connection.overrides();
  }

  private static String groupInstanceId(SettingValues v) {
    String id = v.string(GROUP_INSTANCE_ID);
    // it becomes part of the consumers' group.instance.id and of the transactional ids
    if (id != null && !id.matches("[A-Za-z0-9._-]{1,200}")) {
      throw v.bad(
          GROUP_INSTANCE_ID, "must be 1 to 200 letters, digits, '.', '_' or '-', was '" + id + "'");
    }
    return id;
  }

  /** Shows the pass-through keys only: their values may hold credentials (sasl.jaas.config). */
  @Override
  public String toString() {
    return "KafkaSettings[bootstrapServers="
        + bootstrapServers()
        + ", applicationId="
        + applicationId
        + ", numStreamThreads="
        + numStreamThreads
        + ", stateDir="
        + stateDir
        + ", groupInstanceId="
        + groupInstanceId
        + ", overrides="
        + overrides().keySet()
        + "]";
  }

  /**
   * The effective whole-number value of a Kafka client or Streams setting: {@link
   * KafkaConnection#effective}.
   *
   * @throws ConfigException naming the setting when its value is not a whole number
   */
  public long effective(long fallback, String... keys) {
    return connection.effective(fallback, keys);
  }
}
