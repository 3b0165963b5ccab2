package dev.twikitorders.settings;

/**
 * A bad or missing setting; the message names the setting and where its value came from, never a
 * secret value.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
