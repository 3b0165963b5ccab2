package dev.twikitorders.auth.tls;

/**
 * What a TLS client trusts and presents. Turn it into an {@link javax.net.ssl.SSLContext} with
 * {@link SslContexts#build(TlsSettings)}.
 *
 * <p>Thread-safety: immutable and thread-safe. {@link #toString()} never shows a password.
 *
 * @param trust the CAs to trust, or null for the JVM's default CAs ({@code cacerts} or {@code
 *     javax.net.ssl.trustStore})
 * @param key the client certificate and key for mutual TLS, or null to present none
 */
public record TlsSettings(TrustMaterial trust, KeyMaterial key) {

  /** The JVM's default CAs, no client certificate. */
  public static final TlsSettings DEFAULT = new TlsSettings(null, null);

  /** Trust {@code trust}, present no client certificate. */
  public static TlsSettings trusting(TrustMaterial trust) {
    return new TlsSettings(trust, null);
  }

  /** A copy presenting {@code key} (null for none). */
  public TlsSettings withKey(KeyMaterial key) {
    return new TlsSettings(trust, key);
  }

  /** A copy trusting {@code trust} (null for the JVM's default CAs). */
  public TlsSettings withTrust(TrustMaterial trust) {
    return new TlsSettings(trust, key);
  }

  /** Whether this is {@link #DEFAULT}: JVM default CAs and no client certificate. */
  public boolean isDefault() {
    return trust == null && key == null;
  }

  @Override
  public String toString() {
    return "TlsSettings[trust="
        + (trust == null ? "JVM default CAs" : trust)
        + ", key="
        + (key == null ? "none" : key)
        + "]";
  }
}
