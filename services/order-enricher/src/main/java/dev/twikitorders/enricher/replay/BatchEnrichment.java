package dev.twikitorders.enricher.replay;

import dev.twikitorders.enricher.enrichment.LineOutcome;
import dev.twikitorders.enricher.enrichment.OrderEnricher;
import dev.twikitorders.enricher.records.DecodedEvent;
import dev.twikitorders.enricher.records.Outputs;
import dev.twikitorders.enricher.records.SourceRecord;
import dev.twikitorders.schemas.ConfigurationSummary;
import dev.twikitorders.schemas.DeadLetter;
import dev.twikitorders.schemas.FulfillmentConfiguration;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Enriches a batch of input events concurrently (all calls of the batch in flight at once, bounded
 * by the Twikit client) and builds their output records with {@link Outputs}, exactly as the live
 * pipeline does, in the batch's order.
 *
 * <p>Not thread-safe: one job thread; the enricher's threads only complete futures.
 */
final class BatchEnrichment {
  /** Key of {@link Item#previousAttempts()} for an event-level dead letter (no line). */
  static final String EVENT_LEVEL = "";

  /**
   * One input event of a batch.
   *
   * @param lines the lines whose outputs to emit, each with the roles of the outputs to emit (a
   *     re-drive of a refused output writes that output only; a dead letter of the line may always
   *     be written); null = every output of the event (replay, and re-drive of an event-level dead
   *     letter)
   * @param previousAttempts attempts of earlier dead letters by line id ({@link #EVENT_LEVEL} for
   *     the event), added to the attempts of a new dead letter of that line
   */
  record Item(
      SourceRecord source,
      DecodedEvent decoded,
      Map<String, Set<Outputs.Role>> lines,
      Map<String, Integer> previousAttempts) {}

  private final OrderEnricher enricher;
  private final String replayId;
  private final Clock clock;

  BatchEnrichment(OrderEnricher enricher, String replayId, Clock clock) {
    this.enricher = enricher;
    this.replayId = replayId;
    this.clock = clock;
  }

  /**
   * Enriches the batch and returns its outputs in batch order.
   *
   * @param waiting called about twice a second while calls are in flight (progress display)
   */
  List<Outputs.Output> process(List<Item> items, Runnable waiting) throws InterruptedException {
    List<CompletableFuture<Result>> futures = new ArrayList<>(items.size());
    for (Item item : items) {
      futures.add(start(item));
    }
    CompletableFuture<Void> all =
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
    while (true) {
      try {
        all.get(500, TimeUnit.MILLISECONDS);
        break;
      } catch (TimeoutException e) {
        waiting.run();
      } catch (ExecutionException e) {
        break; // each future is handled below; start() never lets one fail
      }
    }
    Instant now = clock.instant();
    List<Outputs.Output> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Item item = items.get(i);
      Result r = futures.get(i).join();
      for (Outputs.Output o :
          Outputs.of(item.source(), item.decoded(), r.outcomes, r.error, replayId, now)) {
        if (selected(item, o)) {
          out.add(withAttempts(item, o));
        }
      }
    }
    return out;
  }

  private record Result(List<LineOutcome> outcomes, Throwable error) {}

  private CompletableFuture<Result> start(Item item) {
    if (!(item.decoded() instanceof DecodedEvent.Valid valid)) {
      return CompletableFuture.completedFuture(new Result(List.of(), null));
    }
    CompletableFuture<List<LineOutcome>> f;
    try {
      f = enricher.enrich(valid.event());
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    // an unexpected failure becomes PROCESSING_ERROR dead letters in Outputs, as in the live
    // pipeline
    return f.handle(
        (outcomes, error) -> new Result(outcomes == null ? List.of() : outcomes, error));
  }

  private static boolean selected(Item item, Outputs.Output o) {
    if (item.lines() == null) {
      return true;
    }
    String lineId = lineId(o);
    if (lineId == null) {
      return true;
    }
    Set<Outputs.Role> roles = item.lines().get(lineId);
    return roles != null && roles.contains(o.role());
  }

  static String lineId(Outputs.Output o) {
    return switch (o.value()) {
      case ConfigurationSummary s -> s.getLineId();
      case FulfillmentConfiguration f -> f.getLineId();
      case DeadLetter d -> d.getLineId();
      default -> null;
    };
  }

  private static Outputs.Output withAttempts(Item item, Outputs.Output o) {
    if (!(o.value() instanceof DeadLetter letter) || item.previousAttempts().isEmpty()) {
      return o;
    }
    String lineId = letter.getLineId();
    Integer previous = lineId == null ? null : item.previousAttempts().get(lineId);
    if (previous == null) {
      previous = item.previousAttempts().get(EVENT_LEVEL);
    }
    if (previous != null) {
      letter.setAttempts(previous + letter.getAttempts());
    }
    return o;
  }
}
