package dev.twikitorders.deadletters;

import dev.twikitorders.schemas.DeadLetter;
import dev.twikitorders.schemas.ErrorType;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which dead letters {@code dlq list} and {@code dlq redrive} select: error types, a {@code
 * failedAt} window {@code [from, to)} and an order id; each criterion left null selects all. An
 * empty set of error types is null (all). A dead letter without {@code failedAt} matches no window.
 *
 * <p>Immutable.
 *
 * @param errorTypes the error types selected, null for all
 * @param from the first {@code failedAt} selected (inclusive), null for no lower bound
 * @param to the end of the {@code failedAt} window (exclusive), null for no upper bound
 * @param orderId the order selected, null for all
 */
public record DeadLetterFilter(
    Set<ErrorType> errorTypes, Instant from, Instant to, String orderId) {
  /**
   * @throws DeadLetterUsageException when {@code from} is not before {@code to}
   */
  public DeadLetterFilter {
    errorTypes = errorTypes == null || errorTypes.isEmpty() ? null : Set.copyOf(errorTypes);
    if (from != null && to != null && !from.isBefore(to)) {
      throw new DeadLetterUsageException(
          "the start is not before the end: --from-timestamp "
              + from
              + " >= --to-timestamp "
              + to
              + " (the end is exclusive)");
    }
  }

  /** The filter that selects every dead letter. */
  public static DeadLetterFilter all() {
    return new DeadLetterFilter(null, null, null, null);
  }

  /** Whether {@code letter} meets every criterion set. */
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

  /**
   * Parses {@code NOT_FOUND,INCOMPATIBLE} (any case, blanks around names ignored) into {@link
   * ErrorType} values.
   *
   * @param flag the flag the value came from, named in the error
   * @throws DeadLetterUsageException when {@code text} is empty or names a type that does not exist
   */
  public static Set<ErrorType> errorTypes(String flag, String text) {
    if (text == null || text.isBlank()) {
      throw new DeadLetterUsageException(
          flag + ": expected error types (e.g. NOT_FOUND,RETRIES_EXHAUSTED), got an empty value");
    }
    Set<ErrorType> types = EnumSet.noneOf(ErrorType.class);
    for (String raw : text.split(",", -1)) {
      String s = raw.strip().toUpperCase(Locale.ROOT);
      try {
        types.add(ErrorType.valueOf(s));
      } catch (IllegalArgumentException e) {
        throw new DeadLetterUsageException(
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
