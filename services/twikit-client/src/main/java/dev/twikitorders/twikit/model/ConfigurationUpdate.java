package dev.twikitorders.twikit.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * An update of one configuration: links it to an order by {@code externalId} and optionally sets
 * order parameters. Updates are idempotent on the server, so the client retries them like reads.
 * Null fields are left out of the JSON body.
 *
 * <p>Thread-safety: immutable and thread-safe.
 *
 * @param uuid the configuration id; required in a batch, optional for a single update (the client
 *     fills it in from the path id when null)
 * @param externalId the order reference
 * @param orderParameters extra order parameters, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConfigurationUpdate(
    String uuid, String externalId, Map<String, Object> orderParameters) {

  public ConfigurationUpdate {
    orderParameters = Immutables.map(orderParameters);
  }

  /** An update that sets {@code externalId} only. */
  public static ConfigurationUpdate linkToOrder(String uuid, String externalId) {
    return new ConfigurationUpdate(uuid, externalId, null);
  }

  /** This update with {@code uuid} set. */
  public ConfigurationUpdate withUuid(String id) {
    return new ConfigurationUpdate(id, externalId, orderParameters);
  }
}
