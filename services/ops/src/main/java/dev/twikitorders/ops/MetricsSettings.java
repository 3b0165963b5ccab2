package dev.twikitorders.ops;

import dev.twikitorders.settings.Setting;
import dev.twikitorders.settings.SettingValues;
import java.util.List;

/**
 * Where a deployable serves its {@link OpsServer}: {@code metrics.port} and {@code
 * metrics.bind.address}, the same settings in every application. Immutable.
 *
 * @param port 0: no endpoint
 */
public record MetricsSettings(String bindAddress, int port) {
  public static final Setting PORT =
      new Setting(
          "metrics.port",
          "0",
          false,
          "Port of the HTTP endpoint serving /metrics (Prometheus), /health/live and /health/ready"
              + " (/health = ready); 0 = off.");
  public static final Setting BIND_ADDRESS =
      new Setting(
          "metrics.bind.address",
          "0.0.0.0",
          false,
          "Address the metrics and health endpoint listens on: 0.0.0.0 every interface (what a"
              + " container needs), 127.0.0.1 this host only.");

  public static final List<Setting> SETTINGS = List.of(PORT, BIND_ADDRESS);

  public static MetricsSettings read(SettingValues v) {
    String address = v.required(BIND_ADDRESS);
    if (!address.matches("[A-Za-z0-9.:\\[\\]-]{1,253}")) {
      throw v.bad(BIND_ADDRESS, "must be an IP address or a host name, was '" + address + "'");
    }
    return new MetricsSettings(address, v.integer(PORT, 0, 65_535));
  }

  public boolean enabled() {
    return port > 0;
  }
}
