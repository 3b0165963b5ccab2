package dev.twikitorders.enricher.config;

import dev.twikitorders.auth.Secret;
import java.util.List;

/**
 * The Confluent-compatible schema registry.
 *
 * @param url null when not set; {@code mock://<scope>} for an in-memory registry
 * @param basicAuth {@code user:password} for HTTP Basic, or null
 * @param maxResponseBytes the largest registry response body accepted
 */
public record RegistrySettings(String url, Secret basicAuth, int maxResponseBytes) {
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

  public static final Setting MAX_RESPONSE_BYTES =
      new Setting(
          "schema.registry.max.response.bytes",
          "4194304",
          false,
          "Largest schema registry response body accepted, in bytes; a larger one fails the call"
              + " (an outage, not bad data).");

  static final List<Setting> SETTINGS = List.of(URL, BASIC_AUTH, MAX_RESPONSE_BYTES);

  static RegistrySettings read(SettingValues v) {
    return new RegistrySettings(
        v.string(URL),
        v.secret(BASIC_AUTH),
        v.integer(MAX_RESPONSE_BYTES, 1, Integer.MAX_VALUE - 8));
  }

  @Override
  public String toString() {
    return "RegistrySettings[url="
        + url
        + ", basicAuth="
        + (basicAuth == null ? "none" : "****")
        + ", maxResponseBytes="
        + maxResponseBytes
        + "]";
  }
}
