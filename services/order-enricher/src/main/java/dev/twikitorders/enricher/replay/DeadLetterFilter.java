package dev.twikitorders.enricher.replay;

import dev.twikitorders.schemas.DeadLetter;
import dev.twikitorders.schemas.ErrorType;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which dead letters {@code dlq list} and {@code dlq redrive} select: error types, a {@code
 * failedAt} window {@code [from, to)} and an order id; each criterion left null selects all.
 *
 * <p>Immutable.
 */
public record DeadLetterFilter(
    Set<ErrorType> errorTypes, Instant from, Instant to, String orderId) {
  public DeadLetterFilter {
    errorTypes = errorTypes == null || errorTypes.isEmpty() ? null : Set.copyOf(errorTypes);
    if (from != null && to != null && !from.isBefore(to)) {
      throw new ReplayUsageException(
          "the start is not before the end: --from-timestamp "
              + from
              + " >= --to-timestamp "
              + to
              + " (the end is exclusive)");
    }
  }

  public static DeadLetterFilter all() {
    return new DeadLetterFilter(null, null, null, null);
  }

  public boolean matches(DeadLetter letter) {
    if (errorTypes != null && !errorTypes.contains(letter.getErrorType())) {
      return false;
    }
    Instant failedAt = letter.getFailedAt();
    if (from != null && (failedAt == null || failedAt.isBefore(from))) {
      return false;
    }
    if (to != null && (failedAt == null || !failedAt.isBefore(to))) {
      return false;
    }
    return orderId == null || orderId.equals(letter.getOrderId());
  }

  /** Parses {@code NOT_FOUND,INCOMPATIBLE} (any case). */
  public static Set<ErrorType> errorTypes(String flag, String text) {
    if (text == null || text.isBlank()) {
      throw new ReplayUsageException(
          flag + ": expected error types (e.g. NOT_FOUND,RETRIES_EXHAUSTED), got an empty value");
    }
    Set<ErrorType> types = EnumSet.noneOf(ErrorType.class);
    for (String raw : text.split(",", -1)) {
      String s = raw.strip().toUpperCase(Locale.ROOT);
      try {
        types.add(ErrorType.valueOf(s));
      } catch (IllegalArgumentException e) {
        throw new ReplayUsageException(
            flag
                + " '"
                + text
                + "': unknown error type '"
                + raw.strip()
                + "' (one of "
                + String.join(
                    ", ", java.util.Arrays.stream(ErrorType.values()).map(Enum::name).toList())
                + ")");
      }
    }
    return types;
  }
}
