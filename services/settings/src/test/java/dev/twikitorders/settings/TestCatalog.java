package dev.twikitorders.settings;

import java.util.List;
import java.util.Set;

/** A small application's settings, as a second deployable would declare them. */
final class TestCatalog {
  static final Setting NAME = new Setting("app.name", "orders", false, "Name.");
  static final Setting PORT = new Setting("app.port", "8080", false, "Port.");
  static final Setting URL = new Setting("upstream.url", null, false, "Upstream | base URL.");
  static final Setting TOKEN = new Setting("upstream.token", null, true, "Token.");
  static final Setting TOKEN_FILE =
      new Setting("upstream.token.file", null, false, "File holding the token.");
  static final Setting API_KEY = new Setting("upstream.api.key", null, true, "API key.");
  static final Setting VERBOSE = new Setting("app.verbose", "false", false, "Verbose.");
  static final Setting MODE = new Setting("app.mode", "fast", false, "Mode.");
  static final Setting TIMEOUT = new Setting("app.timeout.ms", "500", false, "Timeout.");
  static final Setting DATA_DIR = new Setting("app.data.dir", null, false, "Data directory.");
  static final Setting TOPIC = new Setting("app.topic", "orders", false, "Topic.");

  static final TlsSettingGroup TLS = TlsSettingGroup.of("upstream", "the upstream API");

  static final List<Setting> ALL =
      java.util.stream.Stream.concat(
              List.of(
                  NAME,
                  PORT,
                  URL,
                  TOKEN,
                  TOKEN_FILE,
                  API_KEY,
                  VERBOSE,
                  MODE,
                  TIMEOUT,
                  DATA_DIR,
                  TOPIC)
                  .stream(),
              TLS.settings().stream())
          .toList();

  enum Mode {
    FAST,
    SAFE_AND_SLOW
  }

  /** Without pass-through. */
  static final SettingsCatalog PLAIN =
      SettingsCatalog.of(ALL)
          .withRefusalAdvice(
              TOKEN,
              "put it in a file and set " + TOKEN_FILE.env() + " (or --upstream-token-file)");

  static final SettingsCatalog.PassThrough LIB =
      new SettingsCatalog.PassThrough(
          "lib.", "LIB_", "Library settings", Set.of("LIB_HOME"), k -> k.contains("password"));

  /** With the {@code lib.} / {@code LIB_} pass-through. */
  static final SettingsCatalog WITH_LIB = PLAIN.withPassThrough(LIB);

  private TestCatalog() {}
}
