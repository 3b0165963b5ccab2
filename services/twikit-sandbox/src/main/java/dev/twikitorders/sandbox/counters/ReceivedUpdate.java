package dev.twikitorders.sandbox.counters;

import dev.twikitorders.sandbox.api.Operation;
import java.util.List;

/**
 * One update request the sandbox processed (it passed faults and authorisation).
 *
 * @param operation {@link Operation#UPDATE_ONE} or {@link Operation#UPDATE_MANY}
 * @param ids the configuration ids the payload names, in payload order (for update one: the id of
 *     the path)
 * @param body the request body as received (UTF-8)
 * @param status the HTTP status the sandbox answered
 */
public record ReceivedUpdate(Operation operation, List<String> ids, String body, int status) {
  /** Copies {@code ids}. */
  public ReceivedUpdate {
    ids = List.copyOf(ids);
  }
}
