package dev.twikitorders.enricher.cli;

import picocli.CommandLine.Option;

/** Picocli mixins shared by the bounded jobs ({@code replay}, {@code dlq list|redrive}). */
final class JobOptions {
  private JobOptions() {}

  /** {@code --dry-run}: count, call nothing, write nothing. */
  static final class DryRun {
    @Option(
        names = "--dry-run",
        description =
            "Count what the job would do (per partition, per error type) with the registry;"
                + " no Twikit call, nothing written.")
    boolean dryRun;
  }

  /** {@code --json}: the result as one JSON document on stdout instead of text. */
  static final class Json {
    @Option(
        names = "--json",
        description =
            "Print the result as one JSON document on stdout instead of text (fields: docs/replay.md);"
                + " progress and logs stay on stderr.")
    boolean json;
  }

  /** {@code --no-progress}: no progress bar on stderr. */
  static final class NoProgress {
    @Option(names = "--no-progress", description = "No progress bar on stderr.")
    boolean noProgress;

    boolean show() {
      return !noProgress;
    }
  }
}
