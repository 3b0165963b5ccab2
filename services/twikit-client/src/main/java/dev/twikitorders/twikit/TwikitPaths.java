package dev.twikitorders.twikit;

import java.util.Objects;

/**
 * Every path of the Twikit REST API in one place, relative to the configured API base URL. Paths
 * that address one configuration contain the placeholder {@value #ID}, which the client replaces
 * with the percent-encoded configuration id. The defaults follow {@code docs/twikit-api.md}; the
 * public Twikit documentation does not publish its paths, so they are configurable.
 *
 * <p>Thread-safety: immutable and thread-safe.
 *
 * @param status GET, no token (default {@code /status})
 * @param configuration GET one configuration (default {@code /configurations/{id}})
 * @param compatibility GET (default {@code /configurations/{id}/compatibility})
 * @param summary GET (default {@code /configurations/{id}/summary})
 * @param parameters GET (default {@code /configurations/{id}/parameters})
 * @param filtered GET (default {@code /configurations/{id}/filtered})
 * @param update POST one update (default {@code /configurations/{id}})
 * @param updateMany POST a batch of updates (default {@code /configurations})
 */
public record TwikitPaths(
    String status,
    String configuration,
    String compatibility,
    String summary,
    String parameters,
    String filtered,
    String update,
    String updateMany) {

  /** The placeholder for the configuration id. */
  public static final String ID = "{id}";

  /** The paths of {@code docs/twikit-api.md}. */
  public static final TwikitPaths DEFAULT =
      new TwikitPaths(
          "/status",
          "/configurations/{id}",
          "/configurations/{id}/compatibility",
          "/configurations/{id}/summary",
          "/configurations/{id}/parameters",
          "/configurations/{id}/filtered",
          "/configurations/{id}",
          "/configurations");

  public TwikitPaths {
    status = plain(status, "status");
    configuration = templated(configuration, "configuration");
    compatibility = templated(compatibility, "compatibility");
    summary = templated(summary, "summary");
    parameters = templated(parameters, "parameters");
    filtered = templated(filtered, "filtered");
    update = templated(update, "update");
    updateMany = plain(updateMany, "updateMany");
  }

  public static TwikitPaths defaults() {
    return DEFAULT;
  }

  public TwikitPaths withStatus(String p) {
    return new TwikitPaths(
        p, configuration, compatibility, summary, parameters, filtered, update, updateMany);
  }

  public TwikitPaths withConfiguration(String p) {
    return new TwikitPaths(
        status, p, compatibility, summary, parameters, filtered, update, updateMany);
  }

  public TwikitPaths withCompatibility(String p) {
    return new TwikitPaths(
        status, configuration, p, summary, parameters, filtered, update, updateMany);
  }

  public TwikitPaths withSummary(String p) {
    return new TwikitPaths(
        status, configuration, compatibility, p, parameters, filtered, update, updateMany);
  }

  public TwikitPaths withParameters(String p) {
    return new TwikitPaths(
        status, configuration, compatibility, summary, p, filtered, update, updateMany);
  }

  public TwikitPaths withFiltered(String p) {
    return new TwikitPaths(
        status, configuration, compatibility, summary, parameters, p, update, updateMany);
  }

  public TwikitPaths withUpdate(String p) {
    return new TwikitPaths(
        status, configuration, compatibility, summary, parameters, filtered, p, updateMany);
  }

  public TwikitPaths withUpdateMany(String p) {
    return new TwikitPaths(
        status, configuration, compatibility, summary, parameters, filtered, update, p);
  }

  /** A path that addresses no single configuration: it must not contain {@value #ID}. */
  private static String plain(String path, String name) {
    absolute(path, name);
    if (path.contains(ID)) {
      throw new IllegalArgumentException(name + " path must not contain " + ID + ": " + path);
    }
    return path;
  }

  private static String absolute(String path, String name) {
    Objects.requireNonNull(path, name);
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException(name + " path must start with '/': " + path);
    }
    return path;
  }

  private static String templated(String path, String name) {
    absolute(path, name);
    if (!path.contains(ID)) {
      throw new IllegalArgumentException(name + " path must contain " + ID + ": " + path);
    }
    return path;
  }
}
