package dev.twikitorders.twikit;

import dev.twikitorders.auth.Secret;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * A key store or trust store file for TLS: the client key store for mutual TLS, or a trust store of
 * the CAs to accept instead of the JVM default ones.
 *
 * <p>Thread-safety: immutable and thread-safe. {@link #toString()} never shows the password.
 *
 * @param path the file
 * @param type {@code PKCS12} (default) or {@code JKS}
 * @param password the store password (also used as key password for a key store)
 */
public record KeyStoreSettings(Path path, String type, Secret password) {

  public KeyStoreSettings {
    Objects.requireNonNull(path, "path");
    type = type == null ? "PKCS12" : type.toUpperCase(Locale.ROOT);
    Objects.requireNonNull(password, "password");
  }

  /** A PKCS12 store. */
  public static KeyStoreSettings pkcs12(Path path, Secret password) {
    return new KeyStoreSettings(path, "PKCS12", password);
  }

  /** A JKS store. */
  public static KeyStoreSettings jks(Path path, Secret password) {
    return new KeyStoreSettings(path, "JKS", password);
  }

  @Override
  public String toString() {
    return "KeyStoreSettings[path=" + path + ", type=" + type + ", password=****]";
  }
}
