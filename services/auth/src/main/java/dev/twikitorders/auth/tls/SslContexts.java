package dev.twikitorders.auth.tls;

import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.tls.TlsMaterialException.Problem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the {@link SSLContext} that {@link TlsSettings} describe, with the JDK only: key stores
 * through {@link KeyStore}, PEM certificates through {@link CertificateFactory}, PKCS#8 keys
 * through {@link KeyFactory} (RSA, EC, EdDSA, RSASSA-PSS), encrypted PKCS#8 through {@link
 * EncryptedPrivateKeyInfo} (PBES2 as written by {@code openssl pkcs8 -topk8 -v2 aes-256-cbc}, and
 * whatever PBE scheme the JDK offers).
 *
 * <p>Every file is read, and checked, when {@link #build} is called: a missing file, a wrong
 * password, a key store without a private key, a trust file without a certificate, a certificate
 * that does not belong to its key (checked by signing and verifying), a file that is not PEM, a
 * PKCS#1 or SEC1 key (refused with the {@code openssl pkcs8 -topk8} command that converts it) each
 * fail with a {@link TlsMaterialException} naming the file and the problem, never a password.
 *
 * <p>Thread-safety: stateless and thread-safe; the returned context is the JDK's (thread-safe).
 */
public final class SslContexts {

  /** Larger files are refused unread: no TLS material comes close. */
  static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

  private static final String TRUST_STORE = "TLS trust store";
  private static final String TRUST_PEM = "TLS trust file (PEM)";
  private static final String KEY_STORE = "TLS key store";
  private static final String CHAIN_PEM = "TLS certificate chain (PEM)";
  private static final String KEY_PEM = "TLS private key (PEM)";
  private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "EdDSA", "RSASSA-PSS");
  private static final SecureRandom RANDOM = new SecureRandom();

  private SslContexts() {}

  /**
   * A TLS context trusting {@link TlsSettings#trust()} (the JVM's default CAs when null) and
   * presenting {@link TlsSettings#key()} (no client certificate when null). Reads every file now.
   *
   * @throws TlsMaterialException when a file is missing, unreadable, of the wrong type, not opened
   *     by its password, or its content is unusable; the message names the file and the problem
   */
  public static SSLContext build(TlsSettings settings) {
    Objects.requireNonNull(settings, "settings");
    TrustManager[] trust = settings.trust() == null ? null : trustManagers(settings.trust());
    KeyManager[] keys = settings.key() == null ? null : keyManagers(settings.key());
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys, trust, null); // null: the JVM's default CAs / no client certificate
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot set up TLS: " + e.getMessage(), e);
    }
  }

  // ---- trust ----

  private static TrustManager[] trustManagers(TrustMaterial material) {
    KeyStore trusted;
    if (material.type() == StoreType.PEM) {
      List<X509Certificate> certificates = certificates(material.file(), TRUST_PEM, false);
      trusted = emptyStore();
      try {
        for (int i = 0; i < certificates.size(); i++) {
          trusted.setCertificateEntry("ca-" + i, certificates.get(i));
        }
      } catch (KeyStoreException e) {
        throw new IllegalStateException("cannot hold certificates in memory", e);
      }
    } else {
      trusted = load(material.file(), material.type(), material.password(), TRUST_STORE);
      if (countCertificates(trusted) == 0) {
        throw new TlsMaterialException(
            Problem.NO_CERTIFICATE,
            material.file(),
            TRUST_STORE
                + " "
                + name(material.file())
                + ": holds no certificate"
                + (material.password() == null
                    ? " it can read without a password (the certificates of a PKCS12 store are"
                        + " usually encrypted: set the trust store password)"
                    : ""),
            null);
      }
    }
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trusted);
      return factory.getTrustManagers();
    } catch (GeneralSecurityException e) {
      throw new TlsMaterialException(
          Problem.BAD_FORMAT,
          material.file(),
          TRUST_STORE
              + " "
              + name(material.file())
              + ": cannot be used to check certificates: "
              + e.getClass().getSimpleName(),
          e);
    }
  }

  private static int countCertificates(KeyStore store) {
    try {
      int count = 0;
      for (String alias : Collections.list(store.aliases())) {
        if (store.getCertificate(alias) != null) {
          count++;
        }
      }
      return count;
    } catch (KeyStoreException e) {
      throw new IllegalStateException("key store not loaded", e);
    }
  }

  // ---- keys ----

  private record Entry(String alias, PrivateKey key, X509Certificate[] chain) {}

  private static KeyManager[] keyManagers(KeyMaterial material) {
    List<Entry> entries =
        switch (material) {
          case KeyMaterial.Store store -> storeEntries(store);
          case KeyMaterial.Pem pem -> List.of(pemEntry(pem));
        };
    // one in-memory store with one throw-away password: entries may have had different ones
    char[] password = UUID.randomUUID().toString().toCharArray();
    try {
      KeyStore store = emptyStore();
      for (Entry e : entries) {
        store.setKeyEntry(e.alias(), e.key(), password, e.chain());
      }
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, password);
      return factory.getKeyManagers();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot hold the TLS key in memory: " + e.getClass().getSimpleName(), e);
    } finally {
      Secret.wipe(password);
    }
  }

  private static List<Entry> storeEntries(KeyMaterial.Store material) {
    Path file = material.file();
    KeyStore store = load(file, material.type(), material.storePassword(), KEY_STORE);
    Secret keyPassword =
        material.keyPassword() != null ? material.keyPassword() : material.storePassword();
    List<Entry> entries = new ArrayList<>();
    try {
      for (String alias : Collections.list(store.aliases())) {
        if (!store.isKeyEntry(alias)) {
          continue;
        }
        Key key;
        char[] password = keyPassword.reveal();
        try {
          key = store.getKey(alias, password);
        } catch (UnrecoverableKeyException e) {
          throw new TlsMaterialException(
              Problem.WRONG_PASSWORD,
              file,
              KEY_STORE
                  + " "
                  + name(file)
                  + ": "
                  + (material.keyPassword() == null
                      ? "the store password does not open the key of entry '"
                          + alias
                          + "': set the key password"
                      : "the key password does not open the key of entry '" + alias + "'"),
              null);
        } catch (NoSuchAlgorithmException e) {
          throw new TlsMaterialException(
              Problem.UNSUPPORTED,
              file,
              KEY_STORE
                  + " "
                  + name(file)
                  + ": the key of entry '"
                  + alias
                  + "' is protected by an algorithm this JVM lacks: "
                  + e.getMessage(),
              e);
        } finally {
          Secret.wipe(password);
        }
        if (!(key instanceof PrivateKey privateKey)) {
          continue; // a secret key entry: nothing for TLS
        }
        Certificate[] chain = store.getCertificateChain(alias);
        if (chain == null || chain.length == 0) {
          throw new TlsMaterialException(
              Problem.NO_CERTIFICATE,
              file,
              KEY_STORE + " " + name(file) + ": entry '" + alias + "' has no certificate chain",
              null);
        }
        X509Certificate[] x509 = new X509Certificate[chain.length];
        for (int i = 0; i < chain.length; i++) {
          if (!(chain[i] instanceof X509Certificate c)) {
            throw new TlsMaterialException(
                Problem.BAD_FORMAT,
                file,
                KEY_STORE + " " + name(file) + ": entry '" + alias + "' holds a non-X.509 chain",
                null);
          }
          x509[i] = c;
        }
        if (!matches(privateKey, x509[0])) {
          throw new TlsMaterialException(
              Problem.KEY_MISMATCH,
              file,
              KEY_STORE
                  + " "
                  + name(file)
                  + ": the certificate of entry '"
                  + alias
                  + "' does not match its private key",
              null);
        }
        entries.add(new Entry(alias, privateKey, x509));
      }
    } catch (KeyStoreException e) {
      throw new IllegalStateException("key store not loaded", e);
    }
    if (entries.isEmpty()) {
      throw new TlsMaterialException(
          Problem.NO_KEY,
          file,
          KEY_STORE
              + " "
              + name(file)
              + ": holds no private key entry (only certificates: is it a trust store?)",
          null);
    }
    return entries;
  }

  private static Entry pemEntry(KeyMaterial.Pem material) {
    List<X509Certificate> chain = certificates(material.certificateChain(), CHAIN_PEM, true);
    PrivateKey key = privateKey(material.privateKey(), material.keyPassword());
    if (!matches(key, chain.get(0))) {
      throw new TlsMaterialException(
          Problem.KEY_MISMATCH,
          material.certificateChain(),
          CHAIN_PEM
              + " "
              + name(material.certificateChain())
              + ": its first certificate ("
              + chain.get(0).getSubjectX500Principal().getName()
              + ") does not match the private key in "
              + name(material.privateKey())
              + " (the leaf certificate must come first)",
          null);
    }
    return new Entry("client", key, chain.toArray(X509Certificate[]::new));
  }

  /** Whether {@code key} signs what {@code certificate}'s public key verifies. */
  private static boolean matches(PrivateKey key, X509Certificate certificate) {
    String algorithm;
    AlgorithmParameterSpec parameters = null;
    switch (key.getAlgorithm().toUpperCase(Locale.ROOT)) {
      case "RSA" -> algorithm = "SHA256withRSA";
      case "EC" -> algorithm = "SHA256withECDSA";
      case "EDDSA", "ED25519", "ED448" -> algorithm = "EdDSA";
      case "DSA" -> algorithm = "SHA256withDSA";
      case "RSASSA-PSS" -> {
        algorithm = "RSASSA-PSS";
        parameters =
            key instanceof RSAKey rsa && rsa.getParams() != null
                ? rsa.getParams()
                : new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);
      }
      default -> {
        return true; // an algorithm we cannot test: the handshake will tell
      }
    }
    byte[] challenge = new byte[32];
    RANDOM.nextBytes(challenge);
    try {
      Signature signer = Signature.getInstance(algorithm);
      if (parameters != null) {
        signer.setParameter(parameters);
      }
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      if (parameters != null) {
        verifier.setParameter(parameters);
      }
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (InvalidKeyException | SignatureException e) {
      return false; // e.g. an EC certificate for an RSA key
    } catch (NoSuchAlgorithmException | InvalidAlgorithmParameterException e) {
      return true; // cannot test here: the handshake will tell
    }
  }

  // ---- PEM ----

  private static List<X509Certificate> certificates(Path file, String role, boolean keysAllowed) {
    List<Pem.Block> blocks = Pem.read(read(file, role), file, role);
    List<X509Certificate> certificates = new ArrayList<>();
    CertificateFactory factory;
    try {
      factory = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("this JVM cannot read X.509 certificates", e);
    }
    for (Pem.Block block : blocks) {
      if (block.label().equals("CERTIFICATE")) {
        try {
          certificates.add(
              (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
        } catch (CertificateException e) {
          throw new TlsMaterialException(
              Problem.BAD_FORMAT,
              file,
              role
                  + " "
                  + name(file)
                  + ": certificate number "
                  + (certificates.size() + 1)
                  + " cannot be parsed: "
                  + e.getMessage(),
              e);
        }
      } else if (!(keysAllowed && block.label().endsWith("PRIVATE KEY"))) {
        throw new TlsMaterialException(
            Problem.NOT_PEM,
            file,
            role
                + " "
                + name(file)
                + ": holds a "
                + block.label()
                + " block where only CERTIFICATE blocks belong"
                + (block.label().endsWith("PRIVATE KEY")
                    ? " (a trust file holds CA certificates, never a key)"
                    : ""),
            null);
      }
    }
    if (certificates.isEmpty()) {
      throw new TlsMaterialException(
          Problem.NO_CERTIFICATE,
          file,
          role + " " + name(file) + ": holds no -----BEGIN CERTIFICATE----- block",
          null);
    }
    return certificates;
  }

  private static PrivateKey privateKey(Path file, Secret password) {
    List<Pem.Block> keys = new ArrayList<>();
    for (Pem.Block block : Pem.read(read(file, KEY_PEM), file, KEY_PEM)) {
      if (block.label().endsWith("PRIVATE KEY")) {
        keys.add(block);
      } else if (!block.label().equals("CERTIFICATE") && !block.label().equals("EC PARAMETERS")) {
        throw new TlsMaterialException(
            Problem.NOT_PEM,
            file,
            KEY_PEM
                + " "
                + name(file)
                + ": holds a "
                + block.label()
                + " block; expected a PRIVATE KEY or ENCRYPTED PRIVATE KEY block",
            null);
      }
    }
    if (keys.isEmpty()) {
      throw new TlsMaterialException(
          Problem.NO_KEY,
          file,
          KEY_PEM + " " + name(file) + ": holds no -----BEGIN PRIVATE KEY----- block",
          null);
    }
    if (keys.size() > 1) {
      throw new TlsMaterialException(
          Problem.BAD_FORMAT,
          file,
          KEY_PEM + " " + name(file) + ": holds " + keys.size() + " private keys; keep only one",
          null);
    }
    Pem.Block key = keys.get(0);
    return switch (key.label()) {
      case "PRIVATE KEY" -> {
        if (password != null) {
          throw new TlsMaterialException(
              Problem.PASSWORD_MISMATCH,
              file,
              KEY_PEM
                  + " "
                  + name(file)
                  + ": the key is not encrypted but a key password is set: remove the key"
                  + " password",
              null);
        }
        yield pkcs8(key.der(), file);
      }
      case "ENCRYPTED PRIVATE KEY" -> {
        if (password == null) {
          throw new TlsMaterialException(
              Problem.PASSWORD_MISMATCH,
              file,
              KEY_PEM + " " + name(file) + ": the key is encrypted: set the key password",
              null);
        }
        yield pkcs8(decrypt(key.der(), password, file), file);
      }
      case "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY" ->
          throw new TlsMaterialException(
              Problem.UNSUPPORTED,
              file,
              KEY_PEM
                  + " "
                  + name(file)
                  + ": holds a "
                  + switch (key.label()) {
                    case "RSA PRIVATE KEY" -> "PKCS#1";
                    case "EC PRIVATE KEY" -> "SEC1";
                    default -> "traditional OpenSSL";
                  }
                  + " key (-----BEGIN "
                  + key.label()
                  + "-----)"
                  + (key.hasHeaders() ? ", encrypted the legacy way," : "")
                  + " which is not supported: convert it to PKCS#8 with `openssl pkcs8 -topk8"
                  + " -nocrypt -in "
                  + file
                  + " -out key.pk8.pem` (or, to keep it encrypted, `-v2 aes-256-cbc` instead of"
                  + " `-nocrypt`) and use the new file",
              null);
      default ->
          throw new TlsMaterialException(
              Problem.UNSUPPORTED,
              file,
              KEY_PEM
                  + " "
                  + name(file)
                  + ": holds a "
                  + key.label()
                  + " block, which is not supported; expected a PKCS#8 PRIVATE KEY or ENCRYPTED"
                  + " PRIVATE KEY block",
              null);
    };
  }

  private static byte[] decrypt(byte[] der, Secret password, Path file) {
    EncryptedPrivateKeyInfo info;
    try {
      info = new EncryptedPrivateKeyInfo(der);
    } catch (IOException e) {
      throw new TlsMaterialException(
          Problem.BAD_FORMAT,
          file,
          KEY_PEM + " " + name(file) + ": the ENCRYPTED PRIVATE KEY block is damaged",
          e);
    }
    String algorithm = pbeAlgorithm(info);
    SecretKeyFactory keyFactory;
    Cipher cipher;
    try {
      keyFactory = SecretKeyFactory.getInstance(algorithm);
      cipher = Cipher.getInstance(algorithm);
    } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
      throw new TlsMaterialException(
          Problem.UNSUPPORTED,
          file,
          KEY_PEM
              + " "
              + name(file)
              + ": the key is encrypted with "
              + algorithm
              + ", which this JVM cannot decrypt: re-encrypt it with `openssl pkcs8 -topk8 -v2"
              + " aes-256-cbc -in "
              + file
              + " -out key.pk8.pem`",
          e);
    }
    char[] chars = password.reveal();
    PBEKeySpec spec = new PBEKeySpec(chars);
    try {
      SecretKey secret = keyFactory.generateSecret(spec);
      cipher.init(Cipher.DECRYPT_MODE, secret, info.getAlgParameters());
      return info.getKeySpec(cipher).getEncoded();
    } catch (InvalidKeySpecException e) {
      throw new TlsMaterialException(
          Problem.WRONG_PASSWORD,
          file,
          KEY_PEM + " " + name(file) + ": the key password does not decrypt it (or it is damaged)",
          null);
    } catch (GeneralSecurityException e) {
      throw new TlsMaterialException(
          Problem.UNSUPPORTED,
          file,
          KEY_PEM
              + " "
              + name(file)
              + ": the key cannot be decrypted ("
              + algorithm
              + ": "
              + e.getClass().getSimpleName()
              + "): re-encrypt it with `openssl pkcs8 -topk8 -v2 aes-256-cbc`",
          null);
    } finally {
      spec.clearPassword();
      Secret.wipe(chars);
    }
  }

  /**
   * The JCE name of the key's encryption: for PBES2 the name its parameters give (e.g. {@code
   * PBEWithHmacSHA256AndAES_256}), which older JDKs do not return as the algorithm name.
   */
  private static String pbeAlgorithm(EncryptedPrivateKeyInfo info) {
    String name = info.getAlgName();
    AlgorithmParameters parameters = info.getAlgParameters();
    if (parameters != null
        && (name.equalsIgnoreCase("PBES2") || name.equals("1.2.840.113549.1.5.13"))) {
      String full = parameters.toString();
      if (full != null && full.startsWith("PBEWith")) {
        return full;
      }
    }
    return name;
  }

  private static PrivateKey pkcs8(byte[] der, Path file) {
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (InvalidKeySpecException | NoSuchAlgorithmException notThisOne) {
        // try the next algorithm
      }
    }
    throw new TlsMaterialException(
        Problem.UNSUPPORTED,
        file,
        KEY_PEM
            + " "
            + name(file)
            + ": not a PKCS#8 RSA, EC or EdDSA private key (or it is damaged)",
        null);
  }

  // ---- files and stores ----

  private static KeyStore load(Path file, StoreType type, Secret password, String role) {
    byte[] bytes = read(file, role);
    KeyStore store;
    try {
      store = KeyStore.getInstance(type.name());
    } catch (KeyStoreException e) {
      throw new IllegalStateException("this JVM has no " + type + " key stores", e);
    }
    char[] chars = password == null ? null : password.reveal();
    try {
      store.load(new ByteArrayInputStream(bytes), chars);
      return store;
    } catch (IOException e) {
      if (causedBy(e, UnrecoverableKeyException.class)) {
        throw new TlsMaterialException(
            Problem.WRONG_PASSWORD,
            file,
            role
                + " "
                + name(file)
                + ": the store password does not open it (or the file is damaged)",
            null);
      }
      throw new TlsMaterialException(
          Problem.BAD_FORMAT,
          file,
          role
              + " "
              + name(file)
              + ": not a readable "
              + type
              + " store"
              + (startsWith(bytes, "-----BEGIN") ? " (it is PEM text: set the type to PEM)" : "")
              + ": "
              + e.getClass().getSimpleName(),
          e);
    } catch (NoSuchAlgorithmException | CertificateException e) {
      throw new TlsMaterialException(
          Problem.BAD_FORMAT,
          file,
          role + " " + name(file) + ": cannot be read: " + e.getClass().getSimpleName(),
          e);
    } finally {
      Secret.wipe(chars);
    }
  }

  private static KeyStore emptyStore() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("this JVM cannot hold keys in memory", e);
    }
  }

  private static byte[] read(Path file, String role) {
    if (Files.isDirectory(file)) {
      throw new TlsMaterialException(
          Problem.MISSING_FILE,
          file,
          role + " " + name(file) + ": is a directory, not a file",
          null);
    }
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new TlsMaterialException(
            Problem.BAD_FORMAT,
            file,
            role + " " + name(file) + ": is " + size + " bytes, far too large for TLS material",
            null);
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new TlsMaterialException(
          Problem.MISSING_FILE, file, role + " " + name(file) + ": does not exist", null);
    } catch (AccessDeniedException e) {
      throw new TlsMaterialException(
          Problem.MISSING_FILE,
          file,
          role + " " + name(file) + ": cannot be read (permission denied)",
          null);
    } catch (IOException e) {
      throw new TlsMaterialException(
          Problem.MISSING_FILE,
          file,
          role + " " + name(file) + ": cannot be read: " + e.getClass().getSimpleName(),
          e);
    }
  }

  /** The path as given, and where that is when it is relative. */
  private static String name(Path file) {
    return file.isAbsolute() ? file.toString() : file + " (" + file.toAbsolutePath() + ")";
  }

  private static boolean startsWith(byte[] bytes, String prefix) {
    byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
    if (bytes.length < p.length) {
      return false;
    }
    for (int i = 0; i < p.length; i++) {
      if (bytes[i] != p[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
    for (Throwable c = error; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }
}
