package dev.twikitorders.enricher.config;

import dev.twikitorders.connections.KafkaConnection;
import dev.twikitorders.connections.RegistrySettings;
import dev.twikitorders.ops.MetricsSettings;
import dev.twikitorders.settings.Setting;
import dev.twikitorders.settings.SettingsCatalog;
import java.util.List;
import java.util.Map;
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
  public static final String KAFKA_PREFIX = KafkaConnection.PREFIX;

  /** Prefix of pass-through Kafka settings in the environment: {@code KAFKA_SECURITY_PROTOCOL}. */
  public static final String KAFKA_ENV_PREFIX = KafkaConnection.ENV_PREFIX;

  /** The pass-through Kafka client and Streams settings: {@link KafkaConnection#PASS_THROUGH}. */
  public static final SettingsCatalog.PassThrough KAFKA_PASS_THROUGH = KafkaConnection.PASS_THROUGH;

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
}
