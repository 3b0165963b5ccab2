package dev.twikitorders.deadletters;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Parses the instants of command-line flags. Stateless. */
public final class Instants {
  private Instants() {}

  /**
   * Parses an ISO-8601 instant: {@code 2025-03-01T00:00:00Z}, with an offset ({@code
   * 2025-03-01T01:00:00+01:00}) or a date ({@code 2025-03-01}, midnight UTC). A local date-time
   * without zone is refused: it would depend on the machine's time zone.
   *
   * @param flag the flag the value came from, named in the error
   * @throws DeadLetterUsageException naming {@code flag} and {@code text} when it is empty or none
   *     of these forms
   */
  public static Instant parse(String flag, String text) {
    if (text == null || text.isBlank()) {
      throw new DeadLetterUsageException(
          flag + ": expected an ISO-8601 instant, got an empty value");
    }
    String s = text.strip();
    try {
      return Instant.parse(s);
    } catch (DateTimeException ignored) {
      // try the other accepted forms
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeException ignored) {
      // try a plain date
    }
    try {
      return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeException e) {
      throw new DeadLetterUsageException(
          flag
              + " '"
              + text
              + "' is not an ISO-8601 instant with a zone "
              + "(e.g. 2025-03-01T00:00:00Z, 2025-03-01T01:00:00+01:00 or the date 2025-03-01 for midnight UTC)");
    }
  }
}
