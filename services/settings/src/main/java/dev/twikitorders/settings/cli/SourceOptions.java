package dev.twikitorders.settings.cli;

import dev.twikitorders.settings.ConfigSources;
import dev.twikitorders.settings.SettingsCatalog;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The configuration options every command of every deployable shares, as a picocli mixin: {@code
 * --config FILE} and {@code --set KEY=VALUE}. {@link #sources} merges them with the environment in
 * the documented precedence (defaults &lt; file &lt; environment &lt; flags); each application adds
 * its own shortcut flags ({@link #flag}) after {@code --set}.
 */
public final class SourceOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Properties file with settings (keys as in the README's settings table).")
  Path configFile;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      mapFallbackValue = "",
      description =
          "Any setting, e.g. --set kafka.security.protocol=SSL. Repeatable. Secrets are refused"
              + " here (command lines are visible to other users): give them in the environment or"
              + " the --config file.")
  Map<String, String> set = new LinkedHashMap<>();

  /**
   * The defaults of {@code catalog}, then the {@code --config} file, the environment, {@code
   * --set}.
   */
  public ConfigSources sources(SettingsCatalog catalog, Map<String, String> env) {
    ConfigSources sources = new ConfigSources(catalog);
    if (configFile != null) {
      sources.file(configFile);
    }
    sources.environment(env);
    set.forEach((k, v) -> sources.flag(k, v, "--set " + k));
    return sources;
  }

  /** Sets {@code key} from a dedicated flag named {@code flag} when it was given. */
  public static void flag(ConfigSources sources, String key, String value, String flag) {
    if (value != null) {
      sources.flag(key, value, flag);
    }
  }
}
