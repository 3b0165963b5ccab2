package dev.twikitorders.auth.tls;

import java.util.Locale;

/**
 * The format of a TLS key or trust file.
 *
 * <p>Thread-safety: immutable.
 */
public enum StoreType {
  /** A PKCS#12 key store ({@code .p12}, {@code .pfx}); the default. */
  PKCS12,
  /** A Java key store ({@code .jks}), the JDK's legacy format. */
  JKS,
  /**
   * PEM text: {@code CERTIFICATE} blocks, and for a key a PKCS#8 {@code PRIVATE KEY} or {@code
   * ENCRYPTED PRIVATE KEY} block in a file of its own.
   */
  PEM;

  /**
   * The type named by {@code value} (case-insensitive; {@code P12} and {@code PFX} mean PKCS12), or
   * {@code defaultType} when {@code value} is null or blank.
   *
   * @param settingName named in the error for an unknown value
   * @throws IllegalArgumentException for an unknown value, naming the setting and the choices
   */
  public static StoreType parse(String value, StoreType defaultType, String settingName) {
    if (value == null || value.isBlank()) {
      return defaultType;
    }
    return switch (value.strip().toUpperCase(Locale.ROOT)) {
      case "PKCS12", "P12", "PFX" -> PKCS12;
      case "JKS" -> JKS;
      case "PEM" -> PEM;
      default ->
          throw new IllegalArgumentException(
              settingName + " must be PKCS12, JKS or PEM, was '" + value.strip() + "'");
    };
  }
}
