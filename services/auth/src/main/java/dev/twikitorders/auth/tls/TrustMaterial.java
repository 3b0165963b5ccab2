package dev.twikitorders.auth.tls;

import dev.twikitorders.auth.Secret;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The certificate authorities to trust instead of the JVM's default ones: a PKCS12 or JKS trust
 * store, or a PEM file of one or more {@code CERTIFICATE} blocks.
 *
 * <p>Invariants: {@code file} and {@code type} are set; a PEM file has no password. Nothing is read
 * until {@link SslContexts#build(TlsSettings)}.
 *
 * <p>Thread-safety: immutable and thread-safe. {@link #toString()} never shows the password.
 *
 * @param file the trust store or PEM file
 * @param type its format
 * @param password the store password, or null: a store is then read without its integrity check
 *     (and a PKCS12 store whose certificates are encrypted shows none); always null for PEM
 */
public record TrustMaterial(Path file, StoreType type, Secret password) {

  public TrustMaterial {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(type, "type");
    if (type == StoreType.PEM && password != null) {
      throw new IllegalArgumentException(
          "the PEM trust file " + file + " takes no password: remove the trust store password");
    }
  }

  /** CA certificates in a PEM file. */
  public static TrustMaterial pem(Path file) {
    return new TrustMaterial(file, StoreType.PEM, null);
  }

  /** A PKCS12 trust store. */
  public static TrustMaterial pkcs12(Path file, Secret password) {
    return new TrustMaterial(file, StoreType.PKCS12, password);
  }

  /** A JKS trust store. */
  public static TrustMaterial jks(Path file, Secret password) {
    return new TrustMaterial(file, StoreType.JKS, password);
  }

  @Override
  public String toString() {
    return "TrustMaterial[file="
        + file
        + ", type="
        + type
        + ", password="
        + (password == null ? "none" : "****")
        + "]";
  }
}
