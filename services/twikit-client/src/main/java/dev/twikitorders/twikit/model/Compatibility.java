package dev.twikitorders.twikit.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * Whether a configuration can still be produced with the product's latest release. Missing fields
 * are null.
 *
 * <p>Thread-safety: immutable and thread-safe.
 *
 * @param uuid the configuration id
 * @param compatible true when compatible; null when the server did not say
 * @param releaseVersion the release the configuration was made with
 * @param latestReleaseVersion the product's latest release
 * @param reasons why it is not compatible (empty or null when it is)
 */
public record Compatibility(
    String uuid,
    Boolean compatible,
    Integer releaseVersion,
    Integer latestReleaseVersion,
    List<String> reasons) {

  public Compatibility {
    reasons = Immutables.list(reasons);
  }

  /** True only when the server said {@code "compatible": true}. */
  @JsonIgnore
  public boolean isCompatible() {
    return Boolean.TRUE.equals(compatible);
  }
}
