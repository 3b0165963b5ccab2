package dev.twikitorders.enricher.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The catalog of every setting, gathered from the groups that define them ({@link KafkaSettings},
 * {@link RegistrySettings}, {@link TwikitSettings}, {@link TopicSettings}, {@link
 * EnrichmentSettings}, {@link MetricsSettings}, {@link StartupSettings}). A new setting is declared
 * and read in its group only; the README's settings table ({@code settings --markdown}) and the
 * docker-compose check follow from this list.
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

  private Settings() {}

  public static Map<String, Setting> byKey() {
    Map<String, Setting> m = new LinkedHashMap<>();
    ALL.forEach(s -> m.put(s.key(), s));
    return m;
  }
}
