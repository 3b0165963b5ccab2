package dev.twikitorders.twikit.model;

import java.util.List;

/**
 * The parameters of a configuration.
 *
 * <p>Thread-safety: immutable and thread-safe.
 */
public record Parameters(String uuid, List<Parameter> parameters) {
  public Parameters {
    parameters = Immutables.list(parameters);
  }
}
