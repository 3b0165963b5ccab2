package dev.twikitorders.twikit.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A Twikit configuration, the saved state of one customised product, as seen in Twikit's Web SDK
 * reference. Parsed leniently: unknown fields are ignored, missing ones are null. Map values are
 * any JSON value (String, Number, Boolean, null, or nested unmodifiable List/Map).
 *
 * <p>Thread-safety: immutable (collections are unmodifiable copies) and thread-safe.
 */
public record Configuration(
    String uuid,
    String productUuid,
    String productTitle,
    String exportJsonUrl,
    String twikbotVersion,
    Map<String, Object> parameters,
    Integer releaseVersion,
    Instant createdAt,
    Instant updatedAt,
    List<Resource> resources,
    String organizationId,
    String externalId,
    String previewImage,
    Map<String, Object> outputParameters,
    Map<String, Object> orderParameters) {

  public Configuration {
    parameters = Immutables.map(parameters);
    resources = Immutables.list(resources);
    outputParameters = Immutables.map(outputParameters);
    orderParameters = Immutables.map(orderParameters);
  }
}
