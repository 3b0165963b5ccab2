package dev.twikitorders.settings;

import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.tls.KeyMaterial;
import dev.twikitorders.auth.tls.SslContexts;
import dev.twikitorders.auth.tls.StoreType;
import dev.twikitorders.auth.tls.TlsMaterialException;
import dev.twikitorders.auth.tls.TlsSettings;
import dev.twikitorders.auth.tls.TrustMaterial;
import java.nio.file.Path;
import java.util.List;

/**
 * The TLS settings of one HTTPS link, {@code <prefix>.ssl.*} (the order enricher's {@code
 * twikit.ssl.*} for the Twikit API and its identity provider, {@code schema.registry.ssl.*} for the
 * registry), named like Kafka's {@code ssl.*} settings: a trust store (PKCS12, JKS or a PEM file of
 * CA certificates) and a key store for mutual TLS (PKCS12, JKS, or PEM: certificate chain plus
 * PKCS#8 key file). Passwords come from files only.
 *
 * <p>{@link #read} loads the files once ({@link SslContexts#build}), so a missing file, a wrong
 * password or a key that does not match its certificate stops the start with a {@link
 * ConfigException} naming the setting, never a password.
 *
 * <p>Immutable and thread-safe.
 */
public record TlsSettingGroup(
    String prefix,
    Setting truststoreLocation,
    Setting truststoreType,
    Setting truststorePasswordFile,
    Setting keystoreLocation,
    Setting keystoreType,
    Setting keystorePasswordFile,
    Setting keyPasswordFile,
    Setting keystoreKeyLocation) {

  /**
   * The eight {@code <prefix>.ssl.*} settings of one link, their descriptions naming {@code what}
   * it connects to (e.g. {@code the schema registry}). Each application lists {@link #settings()}
   * in its catalog and reads the group with {@link #read}.
   */
  public static TlsSettingGroup of(String prefix, String what) {
    String p = prefix + ".ssl.";
    return new TlsSettingGroup(
        prefix,
        new Setting(
            p + "truststore.location",
            null,
            false,
            "CAs to trust for "
                + what
                + " instead of the JVM's: a PKCS12 or JKS trust store, or a PEM file of CA"
                + " certificates."),
        new Setting(p + "truststore.type", "PKCS12", false, "PKCS12, JKS or PEM."),
        new Setting(
            p + "truststore.password.file",
            null,
            false,
            "File holding the trust store password (none for PEM; optional for PKCS12)."),
        new Setting(
            p + "keystore.location",
            null,
            false,
            "Client certificate for mutual TLS with "
                + what
                + ": a PKCS12 or JKS key store, or with type PEM the certificate chain file (leaf"
                + " first)."),
        new Setting(p + "keystore.type", "PKCS12", false, "PKCS12, JKS or PEM."),
        new Setting(
            p + "keystore.password.file",
            null,
            false,
            "File holding the key store password (PKCS12 and JKS)."),
        new Setting(
            p + "key.password.file",
            null,
            false,
            "File holding the key password: of the key entry (PKCS12/JKS; default the store"
                + " password), or of an encrypted PKCS#8 PEM key."),
        new Setting(
            p + "keystore.key.location",
            null,
            false,
            "The private key (PKCS#8 PEM, plain or encrypted) when the key store type is PEM."));
  }

  /** The group's settings, in table order. */
  public List<Setting> settings() {
    return List.of(
        truststoreLocation,
        truststoreType,
        truststorePasswordFile,
        keystoreLocation,
        keystoreType,
        keystorePasswordFile,
        keyPasswordFile,
        keystoreKeyLocation);
  }

  /**
   * The typed TLS settings, with every file loaded once to check it.
   *
   * @throws ConfigException naming the setting at fault, never a password
   */
  public TlsSettings read(SettingValues v) {
    Path trustFile = v.path(truststoreLocation);
    Path keyStoreFile = v.path(keystoreLocation);
    Path keyFile = v.path(keystoreKeyLocation);
    StoreType trustType = type(v, truststoreType);
    StoreType keyType = type(v, keystoreType);
    Secret trustPassword = v.secretFile(truststorePasswordFile);
    Secret storePassword = v.secretFile(keystorePasswordFile);
    Secret keyPassword = v.secretFile(keyPasswordFile);
    TrustMaterial trust = null;
    if (trustFile != null) {
      try {
        trust = new TrustMaterial(trustFile, trustType, trustPassword);
      } catch (IllegalArgumentException e) {
        throw v.bad(truststorePasswordFile, e.getMessage());
      }
    } else if (trustPassword != null) {
      throw v.bad(truststorePasswordFile, "is set without " + truststoreLocation.key());
    }
    KeyMaterial key = null;
    if (keyStoreFile != null) {
      try {
        if (keyType == StoreType.PEM) {
          if (keyFile == null) {
            throw v.bad(
                keystoreKeyLocation,
                "must name the private key file: " + keystoreType.key() + " is PEM");
          }
          if (storePassword != null) {
            throw v.bad(
                keystorePasswordFile,
                "is for PKCS12 and JKS stores; a PEM key's password goes in "
                    + keyPasswordFile.key());
          }
          key = KeyMaterial.pem(keyStoreFile, keyFile, keyPassword);
        } else {
          if (keyFile != null) {
            throw v.bad(
                keystoreKeyLocation,
                "is only for key store type PEM; " + keystoreType.key() + " is " + keyType);
          }
          key = KeyMaterial.store(keyStoreFile, keyType, storePassword, keyPassword);
        }
      } catch (ConfigException e) {
        throw e;
      } catch (IllegalArgumentException e) {
        throw v.bad(keystoreLocation, e.getMessage());
      }
    } else if (keyFile != null || storePassword != null || keyPassword != null) {
      throw v.bad(
          keystoreLocation, "is not set, but other " + prefix + ".ssl.keystore/key settings are");
    }
    TlsSettings tls = new TlsSettings(trust, key);
    if (!tls.isDefault()) {
      try {
        SslContexts.build(tls);
      } catch (TlsMaterialException e) {
        Setting named =
            trustFile != null && trustFile.equals(e.file())
                ? truststoreLocation
                : keyFile != null && keyFile.equals(e.file())
                    ? keystoreKeyLocation
                    : keystoreLocation;
        throw v.bad(named, e.getMessage());
      }
    }
    return tls;
  }

  private static StoreType type(SettingValues v, Setting s) {
    try {
      return StoreType.parse(v.string(s), StoreType.PKCS12, s.key());
    } catch (IllegalArgumentException e) {
      throw v.bad(s, e.getMessage());
    }
  }
}
