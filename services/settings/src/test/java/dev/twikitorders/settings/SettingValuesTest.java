package dev.twikitorders.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Typed reads: every error names the setting and the source of its value, never a secret. */
class SettingValuesTest {
  @TempDir Path dir;

  private static SettingValues env(Map<String, String> env) {
    return new ConfigSources(TestCatalog.PLAIN).environment(env).settingValues();
  }

  @Test
  void integersAreBoundedAndNameTheirOrigin() {
    assertThat(env(Map.of("APP_PORT", "9000")).integer(TestCatalog.PORT, 1, 65_535))
        .isEqualTo(9000);
    assertThatThrownBy(() -> env(Map.of("APP_PORT", "lots")).integer(TestCatalog.PORT, 1, 65_535))
        .isInstanceOf(ConfigException.class)
        .hasMessage("setting app.port (environment APP_PORT) must be an integer, was 'lots'");
    assertThatThrownBy(() -> env(Map.of("APP_PORT", "70000")).integer(TestCatalog.PORT, 1, 65_535))
        .hasMessage(
            "setting app.port (environment APP_PORT) must be between 1 and 65535, was 70000");
  }

  @Test
  void millisecondsHaveAMinimum() {
    assertThat(env(Map.of()).millis(TestCatalog.TIMEOUT, 1)).isEqualTo(Duration.ofMillis(500));
    assertThatThrownBy(() -> env(Map.of("APP_TIMEOUT_MS", "0")).millis(TestCatalog.TIMEOUT, 1))
        .hasMessage("setting app.timeout.ms (environment APP_TIMEOUT_MS) must be >= 1 ms, was 0");
    assertThatThrownBy(() -> env(Map.of("APP_TIMEOUT_MS", "1s")).millis(TestCatalog.TIMEOUT, 1))
        .hasMessageContaining("must be a number of milliseconds, was '1s'");
  }

  @Test
  void booleansAcceptTrueYesOneAndTheirOpposites() {
    for (String yes : new String[] {"true", "YES", "1"}) {
      assertThat(env(Map.of("APP_VERBOSE", yes)).bool(TestCatalog.VERBOSE)).as(yes).isTrue();
    }
    for (String no : new String[] {"False", "no", "0"}) {
      assertThat(env(Map.of("APP_VERBOSE", no)).bool(TestCatalog.VERBOSE)).as(no).isFalse();
    }
    assertThatThrownBy(() -> env(Map.of("APP_VERBOSE", "maybe")).bool(TestCatalog.VERBOSE))
        .hasMessage(
            "setting app.verbose (environment APP_VERBOSE) must be true or false, was 'maybe'");
  }

  @Test
  void enumsAreCaseInsensitiveAndListTheirLabels() {
    assertThat(
            env(Map.of("APP_MODE", "SAFE_and_slow"))
                .enumValue(TestCatalog.MODE, TestCatalog.Mode.class))
        .isEqualTo(TestCatalog.Mode.SAFE_AND_SLOW);
    assertThatThrownBy(
            () ->
                env(Map.of("APP_MODE", "turbo"))
                    .enumValue(TestCatalog.MODE, TestCatalog.Mode.class))
        .hasMessage(
            "setting app.mode (environment APP_MODE) must be one of fast, safe_and_slow, was"
                + " 'turbo'");
    assertThat(SettingValues.label(TestCatalog.Mode.SAFE_AND_SLOW)).isEqualTo("safe_and_slow");
  }

  @Test
  void urlsMustBeHttpWithAHost() {
    assertThat(env(Map.of()).url(TestCatalog.URL)).isNull();
    assertThat(env(Map.of("UPSTREAM_URL", "https://h:8443/v1")).url(TestCatalog.URL))
        .isEqualTo(URI.create("https://h:8443/v1"));
    assertThatThrownBy(() -> env(Map.of("UPSTREAM_URL", "ftp://h")).url(TestCatalog.URL))
        .hasMessage(
            "setting upstream.url (environment UPSTREAM_URL) must be an http(s) URL with a host,"
                + " was 'ftp://h'");
    assertThatThrownBy(() -> env(Map.of("UPSTREAM_URL", "http://h h")).url(TestCatalog.URL))
        .hasMessageContaining("is not a URL: 'http://h h'");
  }

  @Test
  void pathsTopicsAndRequiredValues() {
    assertThat(env(Map.of()).path(TestCatalog.DATA_DIR)).isNull();
    assertThat(env(Map.of("APP_DATA_DIR", "/var/data")).path(TestCatalog.DATA_DIR))
        .isEqualTo(Path.of("/var/data"));
    assertThatThrownBy(() -> env(Map.of("APP_DATA_DIR", "a\0b")).path(TestCatalog.DATA_DIR))
        .hasMessageContaining(
            "setting app.data.dir (environment APP_DATA_DIR) is not a valid path");
    assertThat(env(Map.of()).topic(TestCatalog.TOPIC)).isEqualTo("orders");
    assertThatThrownBy(() -> env(Map.of("APP_TOPIC", "bad topic!")).topic(TestCatalog.TOPIC))
        .hasMessageContaining("setting app.topic (environment APP_TOPIC) is not a legal");
    assertThatThrownBy(() -> env(Map.of("APP_NAME", "")).required(TestCatalog.NAME))
        .hasMessage("setting app.name (environment APP_NAME) must not be empty");
    assertThat(env(Map.of("APP_NAME", "")).stringOrEmpty(TestCatalog.NAME)).isEmpty();
    assertThatThrownBy(() -> env(Map.of()).required(TestCatalog.URL))
        .hasMessage(
            "setting upstream.url (not set; environment variable UPSTREAM_URL) must not be empty");
  }

  @Test
  void aSecretFileIsReadStrippedAndItsErrorsHoldNoSecret() throws IOException {
    Path file = Files.writeString(dir.resolve("token"), "t0k3n-from-file\n");
    assertThat(
            env(Map.of("UPSTREAM_TOKEN_FILE", file.toString()))
                .secretFile(TestCatalog.TOKEN_FILE)
                .revealAsString())
        .isEqualTo("t0k3n-from-file");
    assertThat(env(Map.of()).secretFile(TestCatalog.TOKEN_FILE)).isNull();
    Path empty = Files.writeString(dir.resolve("empty"), " \n");
    assertThatThrownBy(
            () ->
                env(Map.of("UPSTREAM_TOKEN_FILE", empty.toString()))
                    .secretFile(TestCatalog.TOKEN_FILE))
        .hasMessage(
            "setting upstream.token.file (environment UPSTREAM_TOKEN_FILE) names file "
                + empty
                + ", which is empty");
    Path missing = dir.resolve("missing");
    assertThatThrownBy(
            () ->
                env(Map.of("UPSTREAM_TOKEN_FILE", missing.toString()))
                    .secretFile(TestCatalog.TOKEN_FILE))
        .hasMessage(
            "setting upstream.token.file (environment UPSTREAM_TOKEN_FILE) names file "
                + missing
                + ", which cannot be read: NoSuchFileException");
  }

  @Test
  void aBadSecretNamesTheSettingOnly() {
    SettingValues v = env(Map.of("UPSTREAM_API_KEY", "k3y-value"));
    assertThat(v.bad(TestCatalog.API_KEY, "is refused upstream").getMessage())
        .isEqualTo("setting upstream.api.key (environment UPSTREAM_API_KEY) is refused upstream");
    assertThat(v.secret(TestCatalog.API_KEY).toString()).doesNotContain("k3y");
  }

  @Test
  void requireNamesEveryWayToGiveAMissingSetting() {
    assertThatThrownBy(() -> Setting.require(null, TestCatalog.URL))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "missing setting upstream.url: set the environment variable UPSTREAM_URL, the key in"
                + " the --config file, or --set upstream.url=...");
    Setting.require("x", TestCatalog.URL);
    assertThat(Setting.envOf("a.b-c.d")).isEqualTo("A_B_C_D");
  }
}
