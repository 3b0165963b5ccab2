package dev.twikitorders.auth.tls;

import java.nio.file.Path;
import java.util.Objects;

/**
 * TLS key material could not be used: the message names the file and what is wrong with it (never a
 * password); {@link #problem()} tells it to code.
 *
 * <p>Thread-safety: immutable once thrown.
 */
public final class TlsMaterialException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** What is wrong. */
  public enum Problem {
    /** The file does not exist, is a directory or cannot be read. */
    MISSING_FILE,
    /** A store password or key password does not open it, or the file is damaged. */
    WRONG_PASSWORD,
    /** An encrypted key but no password was given, or a password for an unencrypted key. */
    PASSWORD_MISMATCH,
    /** A key store without a private key entry, or a PEM key file without a private key. */
    NO_KEY,
    /** A trust store or certificate file without any certificate. */
    NO_CERTIFICATE,
    /** The certificate does not belong to the private key. */
    KEY_MISMATCH,
    /** A file said to be PEM holds no PEM block, or a block that does not belong there. */
    NOT_PEM,
    /** A key format or algorithm this JDK-only reader refuses (PKCS#1, SEC1, an unknown cipher). */
    UNSUPPORTED,
    /** The file is not of the stated type or is damaged. */
    BAD_FORMAT
  }

  private final transient Path file;
  private final Problem problem;

  TlsMaterialException(Problem problem, Path file, String message, Throwable cause) {
    super(message, cause);
    this.problem = Objects.requireNonNull(problem, "problem");
    this.file = file;
  }

  /** What is wrong. */
  public Problem problem() {
    return problem;
  }

  /** The offending file, or null when the problem is not one file's. */
  public Path file() {
    return file;
  }
}
