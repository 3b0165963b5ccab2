package dev.twikitorders.twikit.model;

import java.util.List;

/**
 * The outcome of a batch update, per configuration: a batch never fails as a whole because one id
 * is unknown. Missing lists are parsed as empty lists.
 *
 * <p>Thread-safety: immutable and thread-safe.
 *
 * @param updated ids that were updated
 * @param notFound ids that do not exist
 */
public record BatchUpdateResult(List<String> updated, List<String> notFound) {
  public BatchUpdateResult {
    updated = updated == null ? List.of() : Immutables.list(updated);
    notFound = notFound == null ? List.of() : Immutables.list(notFound);
  }
}
