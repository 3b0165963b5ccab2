package dev.twikitorders.enricher.config;

import dev.twikitorders.twikit.Secret;
import java.util.List;

/**
 * The Confluent-compatible schema registry.
 *
 * @param url null when not set; {@code mock://<scope>} for an in-memory registry
 * @param basicAuth {@code user:password} for HTTP Basic, or null
 */
public record RegistrySettings(String url, Secret basicAuth) {
  public static final Setting URL =
      new Setting(
          "schema.registry.url",
          null,
          false,
          "Confluent-compatible schema registry URL(s), comma separated; `mock://<scope>` for an"
              + " in-memory one.");
  public static final Setting BASIC_AUTH =
      new Setting(
          "schema.registry.basic.auth.user.info",
          null,
          true,
          "`user:password` for the schema registry (HTTP Basic).");

  static final List<Setting> SETTINGS = List.of(URL, BASIC_AUTH);

  static RegistrySettings read(SettingValues v) {
    return new RegistrySettings(v.string(URL), v.secret(BASIC_AUTH));
  }

  @Override
  public String toString() {
    return "RegistrySettings[url="
        + url
        + ", basicAuth="
        + (basicAuth == null ? "none" : "****")
        + "]";
  }
}
