package dev.twikitorders.delivery;

/**
 * What a {@link PartitionDelivery} tells about its requests besides record outcomes: for meters and
 * health. Methods are called on the HTTP client's and the scheduler's threads, for any partition,
 * possibly concurrently; they must be thread-safe and must not block. Every method does nothing by
 * default.
 */
public interface DeliveryEvents {
  /** Tells nothing. */
  DeliveryEvents NONE = new DeliveryEvents() {};

  /**
   * A request of {@code records} records was answered 2xx (after any number of attempts).
   *
   * @param records the records of the request
   */
  default void accepted(int records) {}

  /**
   * An attempt of a request failed and the request will be sent again after a backoff.
   *
   * @param records the records of the request
   * @param status the HTTP status, 0 when there was no answer
   * @param credentialsProblem true when the credentials were refused or could not be obtained (401
   *     after a renewal, 403, an identity provider refusing): an operator has to act
   */
  default void retrying(int records, int status, boolean credentialsProblem) {}
}
