package dev.twikitorders.enricher.enrichment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twikitorders.auth.Secret;
import dev.twikitorders.enricher.flow.SystemPauses;
import dev.twikitorders.enricher.stats.PipelineStats;
import dev.twikitorders.sandbox.SandboxConfig;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.sandbox.api.Operation;
import dev.twikitorders.sandbox.counters.ReceivedUpdate;
import dev.twikitorders.schemas.ErrorType;
import dev.twikitorders.schemas.OrderEvent;
import dev.twikitorders.schemas.OrderEventType;
import dev.twikitorders.schemas.OrderLine;
import dev.twikitorders.twikit.TwikitApi;
import dev.twikitorders.twikit.TwikitClient;
import dev.twikitorders.twikit.TwikitClientConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Twikit-backed enricher against the real sandbox over loopback HTTP. */
class TwikitOrderEnricherTest {
  private static final String OK_1 = "11111111-2222-4333-8444-555555555501";
  private static final String OK_2 = "11111111-2222-4333-8444-555555555502";
  private static final String UNKNOWN = "00000000-2222-4333-8444-555555555503";
  private static final String INCOMPATIBLE = "dead1111-2222-4333-8444-555555555504";

  private static TwikitSandbox sandbox;
  private static TwikitApi api;

  @BeforeAll
  static void start() {
    sandbox =
        TwikitSandbox.start(
            SandboxConfig.builder().port(0).clientId("c").clientSecret("s3cret").build());
    api =
        TwikitClient.create(
            TwikitClientConfig.builder()
                .apiUrl(sandbox.apiUrl())
                .tokenUrl(sandbox.tokenUrl())
                .clientId("c")
                .clientSecret(Secret.of("s3cret"))
                .build());
  }

  @AfterAll
  static void stop() {
    api.close();
    sandbox.close();
  }

  @BeforeEach
  void reset() {
    sandbox.reset();
  }

  private static OrderEvent event(OrderEventType type, OrderLine... lines) {
    return OrderEvent.newBuilder()
        .setEventId("e-1")
        .setEventType(type)
        .setOrderId("o-1")
        .setShopId("s")
        .setOccurredAt(Instant.parse("2026-01-01T00:00:00Z"))
        .setCurrency("EUR")
        .setLines(List.of(lines))
        .build();
  }

  private static OrderLine line(String id, String configurationId) {
    return new OrderLine(id, "SKU-" + id, 1, configurationId);
  }

  @Test
  void enrichesEachConfiguredLineAndLinksTheOrderWithOneBatchUpdate() throws Exception {
    try (var enricher = TwikitOrderEnricher.async(api, Duration.ZERO, Clock.systemUTC())) {
      List<LineOutcome> outcomes =
          enricher
              .enrich(
                  event(
                      OrderEventType.ORDER_PLACED,
                      line("1", OK_1),
                      line("2", null),
                      line("3", OK_2)))
              .get(30, TimeUnit.SECONDS);

      assertThat(outcomes).extracting(o -> o.line().getLineId()).containsExactly("1", "3");
      assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(LineOutcome.Enriched.class));
      EnrichedLine first = ((LineOutcome.Enriched) outcomes.get(0)).enrichment();
      assertThat(first.productTitle()).isNotBlank();
      assertThat(first.filteredParameters()).isNotEmpty();
      var counters = sandbox.counters();
      assertThat(counters.requests(Operation.UPDATE_MANY)).isEqualTo(1);
      assertThat(counters.requests(Operation.UPDATE_ONE)).isZero();
      ReceivedUpdate update = counters.updates().get(0);
      assertThat(update.ids()).containsExactly(OK_1, OK_2);
      assertThat(update.body()).contains("\"externalId\":\"o-1\"").contains("\"eventId\":\"e-1\"");
    }
  }

  @Test
  void notFoundAndIncompatibleLinesFailWithTheirReasonWhileOthersSucceed() throws Exception {
    try (var enricher = TwikitOrderEnricher.async(api, Duration.ZERO, Clock.systemUTC())) {
      List<LineOutcome> outcomes =
          enricher
              .enrich(
                  event(
                      OrderEventType.ORDER_PLACED,
                      line("1", UNKNOWN),
                      line("2", INCOMPATIBLE),
                      line("3", OK_1)))
              .get(30, TimeUnit.SECONDS);

      assertThat(outcomes.get(0))
          .isInstanceOfSatisfying(
              LineOutcome.Failed.class,
              f -> assertThat(f.errorType()).isEqualTo(ErrorType.NOT_FOUND));
      assertThat(outcomes.get(1))
          .isInstanceOfSatisfying(
              LineOutcome.Failed.class,
              f -> {
                assertThat(f.errorType()).isEqualTo(ErrorType.INCOMPATIBLE);
                assertThat(f.message()).contains(INCOMPATIBLE);
              });
      assertThat(outcomes.get(2)).isInstanceOf(LineOutcome.Enriched.class);
      // only the good line is linked to the order
      assertThat(sandbox.counters().updates().get(0).ids()).containsExactly(OK_1);
    }
  }

  @Test
  void identicalPayloadWhenTheSameEventIsEnrichedAgain() throws Exception {
    try (var enricher = TwikitOrderEnricher.async(api, Duration.ZERO, Clock.systemUTC())) {
      OrderEvent e = event(OrderEventType.ORDER_PLACED, line("1", OK_1), line("2", OK_2));
      enricher.enrich(e).get(30, TimeUnit.SECONDS);
      enricher.enrich(e).get(30, TimeUnit.SECONDS);
      var updates = sandbox.counters().updates();
      assertThat(updates).hasSize(2);
      assertThat(updates.get(1).body()).isEqualTo(updates.get(0).body());
    }
  }

  @Test
  void cancellationsNeedNoCalls() throws Exception {
    try (var enricher = TwikitOrderEnricher.async(api, Duration.ZERO, Clock.systemUTC())) {
      List<LineOutcome> outcomes =
          enricher
              .enrich(event(OrderEventType.ORDER_CANCELLED, line("1", OK_1)))
              .get(30, TimeUnit.SECONDS);
      assertThat(outcomes).singleElement().isInstanceOf(LineOutcome.Cancelled.class);
      assertThat(sandbox.counters().totalRequests()).isZero();
    }
  }

  @Test
  void anOutageLongerThanTheClientsRetriesDelaysButDoesNotFail() throws Exception {
    // more 503s than one call's attempts (5): the enricher keeps retrying until the API answers
    sandbox.failNext(12, 503, Operation.SUMMARY);
    try (var enricher = TwikitOrderEnricher.async(api, Duration.ZERO, Clock.systemUTC())) {
      List<LineOutcome> outcomes =
          enricher
              .enrich(event(OrderEventType.ORDER_PLACED, line("1", OK_1)))
              .get(120, TimeUnit.SECONDS);
      assertThat(outcomes).singleElement().isInstanceOf(LineOutcome.Enriched.class);
      assertThat(sandbox.counters().requests(Operation.SUMMARY, 503)).isEqualTo(12);
    }
  }

  @Test
  void aRetryDeadlineTurnsALastingOutageIntoRetriesExhausted() throws Exception {
    sandbox.updateFaults(b -> b.errorRate(503, 1.0));
    try (var enricher = TwikitOrderEnricher.async(api, Duration.ofMillis(1), Clock.systemUTC())) {
      List<LineOutcome> outcomes =
          enricher
              .enrich(event(OrderEventType.ORDER_PLACED, line("1", OK_1)))
              .get(120, TimeUnit.SECONDS);
      assertThat(outcomes)
          .singleElement()
          .isInstanceOfSatisfying(
              LineOutcome.Failed.class,
              f -> assertThat(f.errorType()).isEqualTo(ErrorType.RETRIES_EXHAUSTED));
    }
  }

  @Test
  void aForbiddenAnswerPausesThePipelineInsteadOfDeadLetteringAndClearsWhenItPasses()
      throws Exception {
    sandbox.failNext(3, 403, Operation.SUMMARY);
    SystemPauses pauses = SystemPauses.create();
    PipelineStats stats = new PipelineStats();
    try (var enricher =
        TwikitOrderEnricher.async(api, Duration.ZERO, Clock.systemUTC(), pauses, stats)) {
      List<LineOutcome> outcomes =
          enricher
              .enrich(event(OrderEventType.ORDER_PLACED, line("1", OK_1)))
              .get(120, TimeUnit.SECONDS);
      assertThat(outcomes).singleElement().isInstanceOf(LineOutcome.Enriched.class);
      assertThat(sandbox.counters().requests(Operation.SUMMARY, 403)).isEqualTo(3);
      assertThat(pauses.activations(SystemPauses.Cause.TWIKIT_FORBIDDEN)).isEqualTo(1);
      assertThat(pauses.paused()).as("cleared by the successful retry").isFalse();
      assertThat(stats.failedAttempts()).containsEntry("FORBIDDEN", 3L);
    }
  }

  @Test
  void aSystemicFailureIsNeverDeadLetteredEvenPastTheRetryDeadline() throws Exception {
    sandbox.failNext(2, 403, Operation.SUMMARY);
    SystemPauses pauses = SystemPauses.create();
    try (var enricher =
        TwikitOrderEnricher.async(
            api, Duration.ofMillis(1), Clock.systemUTC(), pauses, new PipelineStats())) {
      List<LineOutcome> outcomes =
          enricher
              .enrich(event(OrderEventType.ORDER_PLACED, line("1", OK_1)))
              .get(120, TimeUnit.SECONDS);
      assertThat(outcomes).singleElement().isInstanceOf(LineOutcome.Enriched.class);
    }
  }

  @Test
  void cancellingAnEventStopsItsCalls() throws Exception {
    sandbox.updateFaults(b -> b.errorRate(503, 1.0).operations(Operation.SUMMARY));
    try (var enricher = TwikitOrderEnricher.async(api, Duration.ZERO, Clock.systemUTC())) {
      var future = enricher.enrich(event(OrderEventType.ORDER_PLACED, line("1", OK_1)));
      await().until(() -> sandbox.counters().requests(Operation.SUMMARY, 503) >= 1);
      future.cancel(false);
      await().until(() -> enricher.scheduledRetries() == 0);

      // the API answers again: a cancelled event's retry would now show as a successful summary;
      // enrich another event to the end meanwhile, whose one summary is the only one allowed
      sandbox.resetFaults();
      enricher
          .enrich(event(OrderEventType.ORDER_PLACED, line("2", OK_2)))
          .get(60, TimeUnit.SECONDS);
      assertThat(sandbox.counters().requests(Operation.SUMMARY, 200)).isEqualTo(1);
      assertThat(sandbox.counters().updates()).hasSize(1);
    }
  }

  @Test
  void closingTheEnricherAnswersEveryScheduledRetry() {
    sandbox.updateFaults(b -> b.errorRate(503, 1.0));
    var enricher = TwikitOrderEnricher.async(api, Duration.ZERO, Clock.systemUTC());
    var future = enricher.enrich(event(OrderEventType.ORDER_PLACED, line("1", OK_1)));
    await().until(() -> enricher.scheduledRetries() > 0);
    enricher.close();
    assertThat(future).failsWithin(Duration.ofSeconds(30));
  }

  @Test
  void syncModeEnrichesEveryLine() {
    try (var enricher =
        TwikitOrderEnricher.sync(
            api,
            Duration.ZERO,
            Clock.systemUTC(),
            dev.twikitorders.enricher.flow.SystemPauses.create(),
            new dev.twikitorders.enricher.stats.PipelineStats())) {
      var future =
          enricher.enrich(event(OrderEventType.ORDER_PLACED, line("1", OK_1), line("2", OK_2)));
      assertThat(future.join())
          .hasSize(2)
          .allSatisfy(o -> assertThat(o).isInstanceOf(LineOutcome.Enriched.class));
    }
  }
}
