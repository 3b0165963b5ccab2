package dev.twikitorders.auth.tls;

import dev.twikitorders.auth.Secret;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The client certificate and private key presented for mutual TLS: a {@link Store} (PKCS12 or JKS)
 * or a {@link Pem} certificate chain file plus private key file.
 *
 * <p>Nothing is read until {@link SslContexts#build(TlsSettings)}.
 *
 * <p>Thread-safety: immutable and thread-safe. {@code toString()} never shows a password.
 */
public sealed interface KeyMaterial permits KeyMaterial.Store, KeyMaterial.Pem {

  /** The format. */
  StoreType type();

  /** A PKCS12 or JKS key store. */
  static KeyMaterial store(Path file, StoreType type, Secret storePassword, Secret keyPassword) {
    return new Store(file, type, storePassword, keyPassword);
  }

  /** A PKCS12 key store whose key has the store password. */
  static KeyMaterial pkcs12(Path file, Secret storePassword) {
    return new Store(file, StoreType.PKCS12, storePassword, null);
  }

  /**
   * A PEM certificate chain and PKCS#8 private key.
   *
   * @param keyPassword the password of an {@code ENCRYPTED PRIVATE KEY}; null for a plain key
   */
  static KeyMaterial pem(Path certificateChain, Path privateKey, Secret keyPassword) {
    return new Pem(certificateChain, privateKey, keyPassword);
  }

  /**
   * A PKCS12 or JKS key store holding at least one private key with its certificate chain. Every
   * private key entry is offered; the TLS stack picks one the server accepts.
   *
   * <p>Invariants: {@code type} is PKCS12 or JKS; {@code storePassword} is set.
   *
   * @param keyPassword the password of the key entries, or null when it is the store password
   */
  record Store(Path file, StoreType type, Secret storePassword, Secret keyPassword)
      implements KeyMaterial {
    public Store {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(type, "type");
      if (type == StoreType.PEM) {
        throw new IllegalArgumentException(
            "PEM key material is a certificate chain file plus a private key file: use"
                + " KeyMaterial.pem");
      }
      Objects.requireNonNull(storePassword, "the key store password of " + file);
    }

    @Override
    public String toString() {
      return "KeyMaterial.Store[file="
          + file
          + ", type="
          + type
          + ", storePassword=****, keyPassword="
          + (keyPassword == null ? "store password" : "****")
          + "]";
    }
  }

  /**
   * A PEM certificate chain (leaf first, then intermediates; the same file may also hold the key)
   * and a PEM private key: PKCS#8 {@code PRIVATE KEY}, or {@code ENCRYPTED PRIVATE KEY} (PBES2,
   * e.g. {@code openssl pkcs8 -topk8 -v2 aes-256-cbc}) with {@code keyPassword}. RSA, EC and EdDSA
   * keys. PKCS#1 ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}) keys are refused with
   * the {@code openssl pkcs8 -topk8} command that converts them.
   *
   * <p>Invariants: both files are set.
   *
   * @param keyPassword the password of an encrypted key; null for an unencrypted one
   */
  record Pem(Path certificateChain, Path privateKey, Secret keyPassword) implements KeyMaterial {
    public Pem {
      Objects.requireNonNull(certificateChain, "certificateChain");
      Objects.requireNonNull(privateKey, "privateKey");
    }

    @Override
    public StoreType type() {
      return StoreType.PEM;
    }

    @Override
    public String toString() {
      return "KeyMaterial.Pem[certificateChain="
          + certificateChain
          + ", privateKey="
          + privateKey
          + ", keyPassword="
          + (keyPassword == null ? "none" : "****")
          + "]";
    }
  }
}
