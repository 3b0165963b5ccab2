package dev.twikitorders.sandbox.counters;

import dev.twikitorders.sandbox.api.Operation;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable snapshot of a sandbox's counters, taken by {@code TwikitSandbox.counters()}.
 *
 * <p>Requests are counted once answered, by operation and HTTP status. A request that hangs without
 * ever being answered is counted under status {@code 0} when it starts hanging.
 *
 * @param requests answered requests per operation, then per HTTP status (only non-zero entries)
 * @param tokensIssued access tokens issued by {@code /oauth2/token}
 * @param tokenRequestsRejected token requests answered with an error (4xx, or 503 during an outage)
 * @param distinctTokensSeen distinct valid access tokens (by {@code jti}) presented to the API
 * @param updates the most recent processed update payloads, oldest first (bounded, see {@link
 *     CounterRecorder#MAX_UPDATES})
 * @param registrations clients registered by {@code POST /oauth2/register}
 * @param authorizations authorization codes issued by {@code /oauth2/authorize}
 * @param codeExchanges authorization codes exchanged for tokens
 * @param refreshes successful refresh token grants (each rotated a refresh token)
 * @param refreshReuseDetected presentations of an already used refresh token (each revoked its
 *     family)
 * @param sinkRequests requests to the sink ({@code POST /sink[/<name>]}), whatever their outcome
 * @param sinkItemsAccepted items the sink recorded (answered 200), duplicates included
 * @param sinkDuplicates recorded items whose idempotency key the sink had recorded before
 * @param sinkRejected items refused by a sink reject rule (each made its request a 400)
 * @param rateLimited requests refused with 429 by the rate limit (also counted in {@link
 *     #requests()} under 429; injected 429s are not counted here)
 * @param maxConcurrent the highest number of requests in service at once (holding a capacity slot)
 *     since the counters were reset
 * @param maxQueued the longest queue of requests waiting for a capacity slot since the counters
 *     were reset
 */
public record Counters(
    Map<Operation, Map<Integer, Long>> requests,
    long tokensIssued,
    long tokenRequestsRejected,
    long distinctTokensSeen,
    List<ReceivedUpdate> updates,
    long registrations,
    long authorizations,
    long codeExchanges,
    long refreshes,
    long refreshReuseDetected,
    long sinkRequests,
    long sinkItemsAccepted,
    long sinkDuplicates,
    long sinkRejected,
    long rateLimited,
    int maxConcurrent,
    int maxQueued) {

  /** Copies deeply. */
  public Counters {
    EnumMap<Operation, Map<Integer, Long>> copy = new EnumMap<>(Operation.class);
    requests.forEach(
        (op, byStatus) -> copy.put(op, Collections.unmodifiableMap(new TreeMap<>(byStatus))));
    requests = Collections.unmodifiableMap(copy);
    updates = List.copyOf(updates);
  }

  /** Requests of {@code operation} answered with {@code status}. */
  public long requests(Operation operation, int status) {
    return requests.getOrDefault(operation, Map.of()).getOrDefault(status, 0L);
  }

  /** All requests of {@code operation}, whatever their status. */
  public long requests(Operation operation) {
    return requests.getOrDefault(operation, Map.of()).values().stream()
        .mapToLong(Long::longValue)
        .sum();
  }

  /** All API requests counted (every operation and status). */
  public long totalRequests() {
    return requests.values().stream()
        .flatMap(m -> m.values().stream())
        .mapToLong(Long::longValue)
        .sum();
  }

  /** Requests of any operation answered with {@code status}. */
  public long requestsWithStatus(int status) {
    return requests.values().stream().mapToLong(m -> m.getOrDefault(status, 0L)).sum();
  }
}
