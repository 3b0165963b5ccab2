package dev.twikitorders.enricher.cli;

import dev.twikitorders.enricher.replay.ReplayUsageException;
import java.util.UUID;

/** The replay id of a replay or re-drive: given, or a random UUID. */
final class JobIds {
  private JobIds() {}

  static String replayId(String given) {
    if (given == null) {
      return UUID.randomUUID().toString();
    }
    // it becomes part of a transactional.id and a header: keep it plain
    if (!given.matches("[A-Za-z0-9._:-]{1,100}")) {
      throw new ReplayUsageException(
          "--replay-id '" + given + "' must be 1-100 letters, digits, '.', '_', ':' or '-'");
    }
    return given;
  }
}
