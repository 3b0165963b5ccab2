package dev.twikitorders.capacity;

/**
 * How many calls a client keeps in flight.
 *
 * <p>{@link Mode#ADAPTIVE}: the limit starts at {@code initial} and moves between {@code floor} and
 * {@code ceiling} from observed round-trip times and overload signals (see {@link
 * ConcurrencyLimiter}). {@link Mode#FIXED}: the limit is {@code ceiling}, always.
 *
 * <p>Invariants: {@code 1 <= floor <= initial <= ceiling}. Immutable.
 *
 * @param mode adaptive or fixed
 * @param floor the lowest limit the adaptive mode goes to
 * @param initial the adaptive mode's first limit
 * @param ceiling the highest limit; the limit of the fixed mode
 */
public record ConcurrencySettings(Mode mode, int floor, int initial, int ceiling) {

  /** Adaptive or fixed. */
  public enum Mode {
    /** The limit follows the server's observed capacity, between the floor and the ceiling. */
    ADAPTIVE,
    /** The limit is the ceiling. */
    FIXED;

    /** The lower-case name used in settings ({@code adaptive}, {@code fixed}). */
    public String settingValue() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public ConcurrencySettings {
    if (mode == null) {
      throw new IllegalArgumentException("mode must not be null");
    }
    if (floor < 1) {
      throw new IllegalArgumentException("floor must be >= 1, got " + floor);
    }
    if (ceiling < floor) {
      throw new IllegalArgumentException(
          "ceiling (" + ceiling + ") must be >= floor (" + floor + ")");
    }
    if (initial < floor || initial > ceiling) {
      throw new IllegalArgumentException(
          "initial (" + initial + ") must lie between floor " + floor + " and ceiling " + ceiling);
    }
  }

  /** A fixed limit of {@code limit} calls. */
  public static ConcurrencySettings fixed(int limit) {
    return new ConcurrencySettings(Mode.FIXED, 1, limit, limit);
  }

  /**
   * An adaptive limit between {@code floor} and {@code ceiling}, starting at the floor or 20,
   * whichever is higher (but at most the ceiling).
   */
  public static ConcurrencySettings adaptive(int floor, int ceiling) {
    return new ConcurrencySettings(
        Mode.ADAPTIVE, floor, Math.min(ceiling, Math.max(floor, 20)), ceiling);
  }
}
