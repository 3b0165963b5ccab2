package dev.twikitorders.sandbox.data;

import java.util.Locale;

/**
 * The id rules of the sandbox (documented in the module README).
 *
 * <ul>
 *   <li>An id is a UUID in the canonical 8-4-4-4-12 hex form, any case; it is looked up
 *       lower-cased.
 *   <li>Anything else does not exist (404).
 *   <li>UUIDs whose first group is {@code 00000000} do not exist (404) unless seeded.
 *   <li>UUIDs whose first group starts with {@code dead} are incompatible unless seeded otherwise.
 * </ul>
 */
public final class ConfigurationIds {
  private ConfigurationIds() {}

  /** The lower-cased canonical UUID, or {@code null} when {@code id} is not a UUID. */
  public static String canonical(String id) {
    if (id == null || id.length() != 36) {
      return null;
    }
    boolean lower = true;
    for (int i = 0; i < 36; i++) {
      char c = id.charAt(i);
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        if (c != '-') {
          return null;
        }
      } else if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) {
        // fine
      } else if (c >= 'A' && c <= 'F') {
        lower = false;
      } else {
        return null;
      }
    }
    return lower ? id : id.toLowerCase(Locale.ROOT);
  }

  /** The 404 rule: a canonical UUID whose first group is {@code 00000000}. */
  public static boolean unknownByRule(String canonicalUuid) {
    return canonicalUuid.startsWith("00000000-");
  }

  /** The incompatible rule: a canonical UUID whose first group starts with {@code dead}. */
  public static boolean incompatibleByRule(String canonicalUuid) {
    return canonicalUuid.startsWith("dead");
  }
}
