package dev.twikitorders.delivery.config;

import dev.twikitorders.auth.AuthSettings;
import dev.twikitorders.connections.KafkaConnection;
import dev.twikitorders.connections.RegistrySettings;
import dev.twikitorders.ops.MetricsSettings;
import dev.twikitorders.settings.ConfigException;
import dev.twikitorders.settings.ConfigSources;
import dev.twikitorders.settings.Setting;
import dev.twikitorders.settings.SettingValues;
import dev.twikitorders.settings.SettingsCatalog;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The delivery service's typed, validated configuration, built from {@link ConfigSources} (defaults
 * &lt; properties file &lt; environment &lt; command-line flags): Kafka ({@code
 * kafka.bootstrap.servers} and the {@code kafka.*} pass-through), the schema registry ({@code
 * schema.registry.*}), the delivery itself ({@code delivery.*}) and the metrics endpoint ({@code
 * metrics.*}).
 *
 * <p>Addresses may be null here: each command checks what it needs ({@link #requireKafka()}, {@link
 * #requireEndpoint()}). Immutable and thread-safe; {@link #toString()} never shows a secret.
 */
public record DeliveryConfig(
    KafkaConnection kafka,
    RegistrySettings registry,
    DeliverySettings delivery,
    MetricsSettings metrics) {

  /** Every setting of the delivery service, in the order of its README table. */
  public static final List<Setting> ALL =
      Stream.of(
              List.of(KafkaConnection.BOOTSTRAP_SERVERS),
              RegistrySettings.SETTINGS,
              DeliverySettings.SETTINGS,
              MetricsSettings.SETTINGS)
          .flatMap(List::stream)
          .toList();

  /** {@link #ALL}, the Kafka pass-through and advice for the secrets refused on command lines. */
  public static final SettingsCatalog CATALOG =
      SettingsCatalog.of(ALL)
          .withPassThrough(KafkaConnection.PASS_THROUGH)
          .withRefusalAdvice(
              DeliverySettings.AUTH.clientSecret(),
              "put it in a file and set " + DeliverySettings.AUTH.clientSecretFile().env())
          .withRefusalAdvice(
              DeliverySettings.AUTH.apiKey(),
              "put it in a file and set " + DeliverySettings.AUTH.apiKeyFile().env())
          .withRefusalAdvice(
              DeliverySettings.AUTH.headers(),
              "put the lines in a file and set " + DeliverySettings.AUTH.headersFile().env());

  public DeliveryConfig {
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(metrics, "metrics");
  }

  /** Validates and types the merged sources; every error names the setting and its origin. */
  public static DeliveryConfig from(ConfigSources sources) {
    SettingValues v = sources.settingValues();
    return new DeliveryConfig(
        KafkaConnection.read(v),
        RegistrySettings.read(v),
        DeliverySettings.read(v),
        MetricsSettings.read(v));
  }

  /**
   * @throws ConfigException naming the first unset Kafka or registry setting
   */
  public DeliveryConfig requireKafka() {
    kafka.require();
    registry.require();
    return this;
  }

  /**
   * The endpoint's authentication.
   *
   * @throws ConfigException naming {@code delivery.url} when unset, or the first missing setting of
   *     the auth scheme
   */
  public AuthSettings requireEndpoint() {
    Setting.require(delivery.url(), DeliverySettings.URL);
    return delivery.auth().auth();
  }
}
