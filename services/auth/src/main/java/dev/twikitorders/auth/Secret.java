package dev.twikitorders.auth;

import java.util.Arrays;
import java.util.Objects;

/**
 * A secret value (an OAuth 2.0 client secret or a key store password) that never shows itself in
 * {@link #toString()}, logs or exception messages.
 *
 * <p>The characters are copied on the way in and on the way out ({@link #reveal()}), so callers may
 * wipe their own arrays. {@link #equals(Object)} compares in constant time.
 *
 * <p>Thread-safety: immutable and thread-safe.
 */
public final class Secret {

  private final char[] value;

  private Secret(char[] value) {
    if (value.length == 0) {
      throw new IllegalArgumentException("secret must not be empty");
    }
    this.value = value.clone();
  }

  /** A secret holding a copy of {@code value}. */
  public static Secret of(char[] value) {
    return new Secret(Objects.requireNonNull(value, "value"));
  }

  /** A secret holding the characters of {@code value}. */
  public static Secret of(String value) {
    return new Secret(Objects.requireNonNull(value, "value").toCharArray());
  }

  /** A copy of the secret characters; wipe it when done. */
  public char[] reveal() {
    return value.clone();
  }

  /** The secret as a string, for APIs that only take strings (the OAuth SDK). */
  public String revealAsString() {
    return new String(value);
  }

  /** Whether {@code text} contains this secret verbatim (used to scrub diagnostics). */
  public boolean isContainedIn(CharSequence text) {
    return text != null && text.toString().contains(new String(value));
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Secret other)) {
      return false;
    }
    int diff = value.length ^ other.value.length;
    for (int i = 0; i < Math.min(value.length, other.value.length); i++) {
      diff |= value[i] ^ other.value[i];
    }
    return diff == 0;
  }

  @Override
  public int hashCode() {
    return 0; // deliberately constant: a hash would leak information about the value
  }

  /** Always {@code "****"}. */
  @Override
  public String toString() {
    return "****";
  }

  /** Fills {@code chars} with NUL characters: wipe copies obtained from {@link #reveal()}. */
  public static void wipe(char[] chars) {
    if (chars != null) {
      Arrays.fill(chars, '\0');
    }
  }
}
