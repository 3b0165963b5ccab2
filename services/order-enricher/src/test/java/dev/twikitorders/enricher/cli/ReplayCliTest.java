package dev.twikitorders.enricher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The replay and dlq commands' help and the errors found before any connection. */
class ReplayCliTest {
  @Test
  void replayHelpDocumentsEveryFlagAndTheBehaviours() {
    ItStack.CliResult r = ItStack.cli(List.of("replay", "--help"));

    assertThat(r.exitCode()).isZero();
    assertThat(flat(r.out()))
        .contains(
            "--from-timestamp",
            "--to-timestamp",
            "--from-offsets",
            "--to-offsets",
            "--partitions",
            "--order-id",
            "--dry-run",
            "--replay-id",
            "--target-topic-prefix",
            "--batch-size",
            "--no-progress",
            "--json",
            "exclusive",
            "offsetsForTimes",
            "no group id",
            "does not",
            "idempotency-key",
            "order-enricher-replay-<replay-id>",
            "Exit codes");
  }

  @Test
  void dlqHelpDocumentsListAndRedrive() {
    ItStack.CliResult list = ItStack.cli(List.of("dlq", "list", "--help"));
    ItStack.CliResult redrive = ItStack.cli(List.of("dlq", "redrive", "--help"));

    assertThat(flat(list.out()))
        .contains(
            "--error-type",
            "--from-timestamp",
            "--to-timestamp",
            "--order-id",
            "--limit",
            "--json",
            "Never prints");
    assertThat(flat(redrive.out()))
        .contains(
            "--error-type",
            "--dry-run",
            "--replay-id",
            "--target-topic-prefix",
            "--json",
            "attempts = previous attempts + new ones",
            "only the latest",
            "re-drives that line only");
  }

  @Test
  void windowErrorsAreFoundBeforeConnecting() {
    ItStack.CliResult both =
        ItStack.cli(List.of("replay", "--from-timestamp", "2025-03-01", "--from-offsets", "0:1"));
    ItStack.CliResult malformed = ItStack.cli(List.of("replay", "--to-offsets", "0:1,,2:3"));
    ItStack.CliResult badId =
        ItStack.cli(List.of("replay", "--from-offsets", "0:1", "--replay-id", "a b"));
    ItStack.CliResult badType = ItStack.cli(List.of("dlq", "redrive", "--error-type", "LOST"));
    ItStack.CliResult badInstant = ItStack.cli(List.of("dlq", "list", "--to-timestamp", "soon"));

    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("not both");
    assertThat(malformed.exitCode()).isEqualTo(2);
    assertThat(malformed.err()).contains("--to-offsets '0:1,,2:3'");
    assertThat(badId.exitCode()).isEqualTo(2);
    assertThat(badId.err()).contains("--replay-id 'a b'");
    assertThat(badType.exitCode()).isEqualTo(2);
    assertThat(badType.err()).contains("--error-type 'LOST'");
    assertThat(badInstant.exitCode()).isEqualTo(2);
    assertThat(badInstant.err())
        .contains("Error: --to-timestamp 'soon' is not an ISO-8601 instant");
  }

  @Test
  void aMissingKafkaSettingIsAConfigurationError() {
    ItStack.CliResult r =
        ItStack.cli(
            List.of("replay", "--from-offsets", "0:1", "--set", "kafka.bootstrap.servers="));

    assertThat(r.exitCode()).isEqualTo(2);
  }

  private static String flat(String help) {
    return help.replaceAll("\\s+", " ");
  }
}
