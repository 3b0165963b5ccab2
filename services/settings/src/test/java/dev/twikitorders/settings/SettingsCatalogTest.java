package dev.twikitorders.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsCatalogTest {
  @Test
  void looksSettingsUpByKeyAndVariableInTableOrder() {
    assertThat(TestCatalog.PLAIN.settings()).isEqualTo(TestCatalog.ALL);
    assertThat(TestCatalog.PLAIN.byKey().keySet())
        .containsExactlyElementsOf(TestCatalog.ALL.stream().map(Setting::key).toList());
    assertThat(TestCatalog.PLAIN.byEnv("UPSTREAM_SSL_TRUSTSTORE_LOCATION"))
        .isEqualTo(TestCatalog.TLS.truststoreLocation());
    assertThat(TestCatalog.PLAIN.passThrough()).isNull();
    assertThat(TestCatalog.WITH_LIB.passThrough()).isEqualTo(TestCatalog.LIB);
    assertThat(TestCatalog.WITH_LIB.isPassThrough("lib.retries")).isTrue();
    assertThat(TestCatalog.WITH_LIB.isPassThrough("app.port")).isFalse();
    assertThat(TestCatalog.PLAIN.isPassThrough("lib.retries")).isFalse();
  }

  @Test
  void duplicateKeysOrVariablesAreRefused() {
    Setting a = new Setting("a.b", null, false, "A.");
    assertThatThrownBy(() -> SettingsCatalog.of(List.of(a, a)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a.b");
    assertThatThrownBy(
            () -> SettingsCatalog.of(List.of(a, new Setting("a-b", null, false, "A too."))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("A_B");
  }

  @Test
  void refusalAdviceIsForSecretsOfTheCatalogOnly() {
    assertThatThrownBy(() -> TestCatalog.PLAIN.withRefusalAdvice(TestCatalog.NAME, "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                TestCatalog.PLAIN.withRefusalAdvice(
                    new Setting("other.secret", null, true, "Other."), "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
