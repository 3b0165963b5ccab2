package dev.twikitorders.enricher.config;

import dev.twikitorders.settings.Setting;
import dev.twikitorders.settings.SettingsCatalog;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The catalog of every setting, gathered from the groups that define them ({@link KafkaSettings},
 * {@link RegistrySettings}, {@link TwikitSettings}, {@link TopicSettings}, {@link
 * EnrichmentSettings}, {@link MetricsSettings}, {@link StartupSettings}). A new setting is declared
 * and read in its group only; the README's settings table ({@code settings --markdown}) and the
 * docker-compose check follow from this list. Immutable.
 */
public final class Settings {
  /** Every setting, in the order of the README's table. */
  public static final List<Setting> ALL =
      Stream.of(
              KafkaSettings.SETTINGS,
              RegistrySettings.SETTINGS,
              TwikitSettings.SETTINGS,
              TopicSettings.SETTINGS,
              EnrichmentSettings.SETTINGS,
              MetricsSettings.SETTINGS,
              StartupSettings.SETTINGS)
          .flatMap(List::stream)
          .toList();

  /** Prefix of pass-through Kafka client and Streams settings in files and {@code --set}. */
  public static final String KAFKA_PREFIX = "kafka.";

  /** Prefix of pass-through Kafka settings in the environment: {@code KAFKA_SECURITY_PROTOCOL}. */
  public static final String KAFKA_ENV_PREFIX = "KAFKA_";

  /** Environment variables that belong to Kafka's scripts, not to client configuration. */
  private static final Set<String> IGNORED_KAFKA_ENV =
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
   * The pass-through Kafka client and Streams settings: {@code kafka.<setting>} in files and {@code
   * --set}, {@code KAFKA_<SETTING>} in the environment; JAAS configurations and passwords are
   * secrets.
   */
  public static final SettingsCatalog.PassThrough KAFKA_PASS_THROUGH =
      new SettingsCatalog.PassThrough(
          KAFKA_PREFIX,
          KAFKA_ENV_PREFIX,
          "Kafka client settings",
          IGNORED_KAFKA_ENV,
          Settings::isKafkaSecret);

  /**
   * The order enricher's catalog: {@link #ALL}, the Kafka pass-through, and the client secret's
   * advice to use its file.
   */
  public static final SettingsCatalog CATALOG =
      SettingsCatalog.of(ALL)
          .withPassThrough(KAFKA_PASS_THROUGH)
          .withRefusalAdvice(
              TwikitSettings.CLIENT_SECRET,
              "put it in a file and set "
                  + TwikitSettings.CLIENT_SECRET_FILE.env()
                  + " (or --twikit-client-secret-file), or set the environment variable "
                  + TwikitSettings.CLIENT_SECRET.env());

  private Settings() {}

  /** Every setting by key, in the order of {@link #ALL}. */
  public static Map<String, Setting> byKey() {
    return CATALOG.byKey();
  }

  /** Kafka client settings that hold credentials: JAAS configurations and passwords. */
  static boolean isKafkaSecret(String key) {
    return key.endsWith("sasl.jaas.config")
        || key.contains("password")
        || key.endsWith("sasl.oauthbearer.client.credentials.client.secret");
  }
}
