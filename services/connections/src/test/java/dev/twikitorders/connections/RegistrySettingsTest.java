package dev.twikitorders.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.settings.ConfigException;
import dev.twikitorders.settings.ConfigSources;
import dev.twikitorders.settings.SettingsCatalog;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The schema registry's settings, as any application lists and reads them. */
class RegistrySettingsTest {
  static final SettingsCatalog CATALOG = SettingsCatalog.of(RegistrySettings.SETTINGS);

  private static RegistrySettings read(Map<String, String> env) {
    return RegistrySettings.read(new ConfigSources(CATALOG).environment(env).settingValues());
  }

  @Test
  void defaultsAndTheSettingsOfTheTable() {
    assertThat(RegistrySettings.SETTINGS)
        .startsWith(
            RegistrySettings.URL,
            RegistrySettings.BASIC_AUTH,
            RegistrySettings.MAX_RESPONSE_BYTES,
            RegistrySettings.ALLOW_INSECURE_HTTP)
        .containsAll(RegistrySettings.TLS.settings())
        .hasSize(4 + 8);
    RegistrySettings r = read(Map.of());
    assertThat(r.url()).isNull();
    assertThat(r.basicAuth()).isNull();
    assertThat(r.maxResponseBytes()).isEqualTo(4_194_304);
    assertThat(r.allowInsecureHttp()).isFalse();
    assertThat(r.tls().isDefault()).isTrue();
  }

  @Test
  void requireNamesTheUrlAndItsVariable() {
    assertThatThrownBy(() -> read(Map.of()).require())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url")
        .hasMessageContaining("SCHEMA_REGISTRY_URL");
    RegistrySettings r = read(Map.of("SCHEMA_REGISTRY_URL", "mock://tests"));
    assertThat(r.require()).isSameAs(r);
  }

  @Test
  void plainHttpToANonLoopbackHostIsRefusedUnlessAllowed() {
    assertThatThrownBy(
            () -> read(Map.of("SCHEMA_REGISTRY_URL", "https://r1.example,http://r2.example:8081")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url")
        .hasMessageContaining("r2.example")
        .hasMessageContaining("SCHEMA_REGISTRY_ALLOW_INSECURE_HTTP");
    assertThat(
            read(Map.of(
                    "SCHEMA_REGISTRY_URL", "http://r2.example:8081",
                    "SCHEMA_REGISTRY_ALLOW_INSECURE_HTTP", "true"))
                .url())
        .isEqualTo("http://r2.example:8081");
    assertThat(read(Map.of("SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081")).url())
        .isEqualTo("http://127.0.0.1:8081");
  }

  @Test
  void theCredentialsNeverShow() {
    RegistrySettings r =
        read(
            Map.of(
                "SCHEMA_REGISTRY_URL", "https://r.example",
                "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "user:registry-pa55"));
    assertThat(r.basicAuth().revealAsString()).isEqualTo("user:registry-pa55");
    assertThat(r.toString()).contains("https://r.example").doesNotContain("registry-pa55");
    assertThatThrownBy(
            () ->
                new ConfigSources(CATALOG)
                    .flag("schema.registry.basic.auth.user.info", "u:pa55-x", "--set"))
        .isInstanceOf(ConfigException.class)
        .hasMessageNotContaining("pa55-x");
  }
}
