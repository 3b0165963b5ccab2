package dev.twikitorders.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sources merged in precedence order, unknown keys, pass-through and secrets on the command line.
 */
class ConfigSourcesTest {
  @TempDir Path dir;

  @Test
  void defaultsApplyWhenNothingIsSet() {
    SettingValues v = new ConfigSources(TestCatalog.PLAIN).settingValues();
    assertThat(v.string(TestCatalog.NAME)).isEqualTo("orders");
    assertThat(v.integer(TestCatalog.PORT, 1, 65_535)).isEqualTo(8080);
    assertThat(v.string(TestCatalog.URL)).isNull();
    assertThat(new ConfigSources(TestCatalog.PLAIN).values().get("app.name").origin())
        .isEqualTo("default");
  }

  @Test
  void precedenceIsDefaultsThenFileThenEnvironmentThenFlags() throws IOException {
    Path file = dir.resolve("app.properties");
    Files.writeString(file, "app.name=from-file\napp.port=1\napp.mode=safe_and_slow\n");
    ConfigSources sources =
        new ConfigSources(TestCatalog.PLAIN)
            .file(file)
            .environment(Map.of("APP_PORT", "2", "APP_MODE", "fast"))
            .flag("app.mode", "safe_and_slow", "--mode");
    SettingValues v = sources.settingValues();
    assertThat(v.string(TestCatalog.NAME)).isEqualTo("from-file");
    assertThat(v.integer(TestCatalog.PORT, 1, 65_535)).isEqualTo(2);
    assertThat(v.enumValue(TestCatalog.MODE, TestCatalog.Mode.class))
        .isEqualTo(TestCatalog.Mode.SAFE_AND_SLOW);
    assertThat(v.string(TestCatalog.VERBOSE)).isEqualTo("false");
    assertThat(sources.values().get("app.name").origin()).isEqualTo("file " + file);
    assertThat(sources.values().get("app.port").origin()).isEqualTo("environment APP_PORT");
    assertThat(sources.values().get("app.mode").origin()).isEqualTo("flag --mode");
  }

  @Test
  void setWinsAndClearRestoresTheDefault() {
    ConfigSources sources =
        new ConfigSources(TestCatalog.PLAIN)
            .environment(Map.of("APP_PORT", "2", "UPSTREAM_URL", "http://h"))
            .set("app.port", "3", "embedded server");
    assertThat(sources.values().get("app.port"))
        .isEqualTo(new ConfigSources.Value("3", "embedded server"));
    sources.clear("app.port").clear("upstream.url");
    assertThat(sources.values().get("app.port"))
        .isEqualTo(new ConfigSources.Value("8080", "default"));
    assertThat(sources.values()).doesNotContainKey("upstream.url");
  }

  @Test
  void unknownKeysAreErrorsNamingKeyAndSource() throws IOException {
    Path file = dir.resolve("app.properties");
    Files.writeString(file, "app.nmae=x\n");
    assertThatThrownBy(() -> new ConfigSources(TestCatalog.PLAIN).file(file))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "unknown setting 'app.nmae' (file "
                + file
                + "); known settings are listed by --help and in the README");
    assertThatThrownBy(() -> new ConfigSources(TestCatalog.WITH_LIB).flag("app.prot", "1", "--set"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "unknown setting 'app.prot' (flag --set); known settings are listed by --help and in"
                + " the README, Library settings take the prefix 'lib.'");
    assertThatThrownBy(() -> new ConfigSources(TestCatalog.PLAIN).flag("lib.x", "1", "--set"))
        .hasMessageContaining("unknown setting 'lib.x'");
    assertThatThrownBy(() -> new ConfigSources(TestCatalog.PLAIN).file(dir.resolve("missing")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cannot read config file " + dir.resolve("missing"));
  }

  @Test
  void unknownEnvironmentVariablesAreIgnored() {
    ConfigSources sources =
        new ConfigSources(TestCatalog.PLAIN).environment(Map.of("PATH", "/bin", "LIB_X", "1"));
    assertThat(sources.values()).doesNotContainKeys("path", "lib.x");
    assertThat(sources.settingValues().passThrough()).isEmpty();
  }

  @Test
  void passThroughSettingsComeFromFilesFlagsAndTheEnvironment() throws IOException {
    Path file = dir.resolve("app.properties");
    Files.writeString(file, "lib.retries=3\nlib.empty=\n");
    SettingValues v =
        new ConfigSources(TestCatalog.WITH_LIB)
            .file(file)
            .environment(Map.of("LIB_SECURITY_PROTOCOL", "SSL", "LIB_HOME", "/opt/lib"))
            .flag("lib.linger.ms", "5", "--set lib.linger.ms")
            .settingValues();
    assertThat(v.passThrough())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("retries", "3", "security.protocol", "SSL", "linger.ms", "5"));
    assertThat(v.passThrough(new Setting("lib.retries", null, false, "handled elsewhere")))
        .doesNotContainKey("retries");
  }

  @Test
  void secretsAreRefusedOnTheCommandLineNamingWhatToUseInstead() {
    assertThatThrownBy(
            () ->
                new ConfigSources(TestCatalog.PLAIN)
                    .flag("upstream.token", "t0k3n", "--set upstream.token"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "setting upstream.token (flag --set upstream.token) is a secret and is refused on the"
                + " command line, which other users of the machine can read: put it in a file and"
                + " set UPSTREAM_TOKEN_FILE (or --upstream-token-file)");
    assertThatThrownBy(
            () ->
                new ConfigSources(TestCatalog.PLAIN)
                    .flag("upstream.api.key", "k3y", "--set upstream.api.key"))
        .isInstanceOf(ConfigException.class)
        .hasMessageEndingWith(
            "set the environment variable UPSTREAM_API_KEY or the key in the --config file")
        .hasMessageNotContaining("k3y");
    assertThatThrownBy(
            () ->
                new ConfigSources(TestCatalog.WITH_LIB)
                    .flag("lib.ssl.key.password", "pa55", "--set lib.ssl.key.password"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("LIB_SSL_KEY_PASSWORD")
        .hasMessageNotContaining("pa55");
    // the same settings are accepted from the environment and files
    SettingValues v =
        new ConfigSources(TestCatalog.WITH_LIB)
            .environment(Map.of("UPSTREAM_TOKEN", "t0k3n", "LIB_SSL_KEY_PASSWORD", "pa55"))
            .settingValues();
    assertThat(v.secret(TestCatalog.TOKEN).revealAsString()).isEqualTo("t0k3n");
    assertThat(v.secret(TestCatalog.TOKEN).toString()).doesNotContain("t0k3n");
    assertThat(v.passThrough()).containsEntry("ssl.key.password", "pa55");
  }

  @Test
  void aValueNeverShowsInItsToString() {
    ConfigSources sources =
        new ConfigSources(TestCatalog.PLAIN).environment(Map.of("UPSTREAM_TOKEN", "t0k3n"));
    assertThat(sources.values().toString()).doesNotContain("t0k3n").contains("environment");
  }
}
