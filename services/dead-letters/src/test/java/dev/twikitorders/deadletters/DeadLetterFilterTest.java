package dev.twikitorders.deadletters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.schemas.DeadLetter;
import dev.twikitorders.schemas.ErrorType;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The filter, its flags' parsers and its picocli options. */
class DeadLetterFilterTest {
  private static final Instant T1 = Instant.parse("2025-03-01T00:00:00Z");
  private static final Instant T2 = Instant.parse("2025-03-02T00:00:00Z");

  static DeadLetter letter(ErrorType type, Instant failedAt, String orderId) {
    return DeadLetter.newBuilder()
        .setErrorType(type)
        .setMessage("m")
        .setSourceTopic("order-events")
        .setSourcePartition(0)
        .setSourceOffset(1)
        .setOrderId(orderId)
        .setAttempts(1)
        .setFailedAt(failedAt)
        .build();
  }

  @Test
  void parsesErrorTypes() {
    assertThat(DeadLetterFilter.errorTypes("--error-type", "not_found, INCOMPATIBLE"))
        .containsExactlyInAnyOrder(ErrorType.NOT_FOUND, ErrorType.INCOMPATIBLE);
    assertThatThrownBy(() -> DeadLetterFilter.errorTypes("--error-type", "NOT_FOUND,NOPE"))
        .isInstanceOf(DeadLetterUsageException.class)
        .hasMessageContaining("--error-type")
        .hasMessageContaining("'NOPE'")
        .hasMessageContaining("NOT_FOUND");
    assertThatThrownBy(() -> DeadLetterFilter.errorTypes("--error-type", " "))
        .isInstanceOf(DeadLetterUsageException.class)
        .hasMessageContaining("empty value");
  }

  @Test
  void parsesInstantsWithZoneOrOffsetOrAsUtcDates() {
    assertThat(Instants.parse("--from-timestamp", "2025-03-01T00:00:00Z")).isEqualTo(T1);
    assertThat(Instants.parse("--from-timestamp", "2025-03-01T01:00:00+01:00")).isEqualTo(T1);
    assertThat(Instants.parse("--from-timestamp", " 2025-03-01 ")).isEqualTo(T1);
    assertThatThrownBy(() -> Instants.parse("--to-timestamp", "2025-03-01T00:00:00"))
        .isInstanceOf(DeadLetterUsageException.class)
        .hasMessageContaining("--to-timestamp")
        .hasMessageContaining("with a zone");
    assertThatThrownBy(() -> Instants.parse("--to-timestamp", "yesterday"))
        .isInstanceOf(DeadLetterUsageException.class)
        .hasMessageContaining("'yesterday'");
    assertThatThrownBy(() -> Instants.parse("--to-timestamp", ""))
        .isInstanceOf(DeadLetterUsageException.class)
        .hasMessage("--to-timestamp: expected an ISO-8601 instant, got an empty value");
  }

  @Test
  void refusesAStartThatIsNotBeforeTheEnd() {
    assertThatThrownBy(() -> new DeadLetterFilter(null, T2, T1, null))
        .isInstanceOf(DeadLetterUsageException.class)
        .hasMessageContaining("--from-timestamp");
    assertThatThrownBy(() -> new DeadLetterFilter(null, T1, T1, null))
        .isInstanceOf(DeadLetterUsageException.class);
  }

  @Test
  void matchesEveryCriterionSetAndTheWindowIsHalfOpen() {
    DeadLetter a = letter(ErrorType.NOT_FOUND, T1, "o1");
    DeadLetter b = letter(ErrorType.INCOMPATIBLE, T2, "o2");
    assertThat(DeadLetterFilter.all().matches(a)).isTrue();
    assertThat(new DeadLetterFilter(Set.of(), null, null, null).errorTypes()).isNull();

    DeadLetterFilter types =
        new DeadLetterFilter(EnumSet.of(ErrorType.NOT_FOUND), null, null, null);
    assertThat(types.matches(a)).isTrue();
    assertThat(types.matches(b)).isFalse();

    DeadLetterFilter window = new DeadLetterFilter(null, T1, T2, null);
    assertThat(window.matches(a)).as("from is inclusive").isTrue();
    assertThat(window.matches(b)).as("to is exclusive").isFalse();

    DeadLetterFilter order = new DeadLetterFilter(null, null, null, "o2");
    assertThat(order.matches(a)).isFalse();
    assertThat(order.matches(b)).isTrue();
  }

  @Command(name = "list")
  static final class ListCommand implements Runnable {
    @Mixin DeadLetterFilterOptions filters = new DeadLetterFilterOptions();

    @Override
    public void run() {}
  }

  private static DeadLetterFilter parse(String... args) {
    ListCommand command = new ListCommand();
    new CommandLine(command).parseArgs(args);
    return command.filters.filter();
  }

  @Test
  void theOptionsMixinBuildsTheFilter() {
    assertThat(parse()).isEqualTo(DeadLetterFilter.all());
    assertThat(
            parse(
                "--error-type",
                "not_found,RETRIES_EXHAUSTED",
                "--from-timestamp",
                "2025-03-01",
                "--to-timestamp",
                "2025-03-02T01:00:00+01:00",
                "--order-id",
                "o-7"))
        .isEqualTo(
            new DeadLetterFilter(
                EnumSet.of(ErrorType.NOT_FOUND, ErrorType.RETRIES_EXHAUSTED), T1, T2, "o-7"));
  }

  @Test
  void theOptionsMixinNamesTheFlagOfABadValue() {
    assertThatThrownBy(() -> parse("--from-timestamp", "soon"))
        .isInstanceOf(DeadLetterUsageException.class)
        .hasMessageStartingWith("--from-timestamp 'soon'");
    assertThatThrownBy(() -> parse("--error-type", "LOST"))
        .isInstanceOf(DeadLetterUsageException.class)
        .hasMessageStartingWith("--error-type 'LOST'");
    assertThatThrownBy(
            () -> parse("--from-timestamp", "2025-03-02", "--to-timestamp", "2025-03-01"))
        .isInstanceOf(DeadLetterUsageException.class)
        .hasMessageContaining("not before");
  }
}
