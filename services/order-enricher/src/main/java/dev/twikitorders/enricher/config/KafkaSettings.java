package dev.twikitorders.enricher.config;

import java.util.List;
import java.util.Map;

/**
 * Where the pipeline's Kafka cluster is and how this instance joins it, plus the pass-through Kafka
 * client and Streams settings ({@code kafka.<setting>} / {@code KAFKA_<SETTING>}).
 *
 * @param bootstrapServers null when not set: {@code run}, {@code replay} and {@code dlq} refuse to
 *     start without it
 * @param stateDir null: Kafka Streams' default (a folder under {@code java.io.tmpdir})
 * @param overrides pass-through settings without the {@code kafka.} prefix; they win over the
 *     pipeline's own Kafka defaults
 */
public record KafkaSettings(
    String bootstrapServers,
    String applicationId,
    int numStreamThreads,
    String stateDir,
    Map<String, String> overrides) {
  public static final Setting BOOTSTRAP_SERVERS =
      new Setting(
          "kafka.bootstrap.servers",
          null,
          false,
          "Kafka bootstrap servers; required by `run`, `replay` and `dlq`.");
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

  static final List<Setting> SETTINGS =
      List.of(BOOTSTRAP_SERVERS, APPLICATION_ID, NUM_STREAM_THREADS, STATE_DIR);

  public KafkaSettings {
    overrides = Map.copyOf(overrides);
  }

  static KafkaSettings read(SettingValues v) {
    return new KafkaSettings(
        v.string(BOOTSTRAP_SERVERS),
        v.required(APPLICATION_ID),
        v.integer(NUM_STREAM_THREADS, 1, 1_000),
        v.string(STATE_DIR),
        v.kafkaPassThrough(BOOTSTRAP_SERVERS));
  }

  /** Shows the pass-through keys only: their values may hold credentials (sasl.jaas.config). */
  @Override
  public String toString() {
    return "KafkaSettings[bootstrapServers="
        + bootstrapServers
        + ", applicationId="
        + applicationId
        + ", numStreamThreads="
        + numStreamThreads
        + ", stateDir="
        + stateDir
        + ", overrides="
        + overrides.keySet()
        + "]";
  }
}
