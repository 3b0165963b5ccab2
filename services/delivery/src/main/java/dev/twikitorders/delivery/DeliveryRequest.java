package dev.twikitorders.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One HTTP request of the delivery wire format (the sandbox sink's, see its README "Sink"):
 *
 * <ul>
 *   <li><b>single record</b> (one record): header {@code Idempotency-Key: <record key>}, body = the
 *       record's JSON ({@link RecordJson});
 *   <li><b>batch</b> (two or more): body {@code
 *       {"records":[{"idempotencyKey":"<key>","record":{..}}, ..]}} in offset order, header {@code
 *       Idempotency-Key: <first key>..<last key>/<count>}, the same for the same records on every
 *       attempt.
 * </ul>
 *
 * Both are {@code POST} with {@code Content-Type: application/json}. A single record whose JSON has
 * a top-level {@code records} array would read as a batch; it is sent as a batch of one instead.
 *
 * <p>Immutable; thread-safe. {@link #toString()} shows keys and sizes, never the body.
 *
 * @param idempotencyKey the {@code Idempotency-Key} header value
 * @param body the UTF-8 JSON body
 * @param records the records it carries, in offset order
 */
public record DeliveryRequest(String idempotencyKey, byte[] body, List<DeliveryRecord> records) {

  /** The {@code Content-Type} of every request. */
  public static final String CONTENT_TYPE = "application/json";

  private static final ObjectMapper JSON = new ObjectMapper();

  public DeliveryRequest {
    records = List.copyOf(records);
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  /** The request for {@code records} (at least one, in offset order). */
  public static DeliveryRequest of(List<DeliveryRecord> records) {
    if (records.isEmpty()) {
      throw new IllegalArgumentException("a delivery request needs at least one record");
    }
    try {
      if (records.size() == 1) {
        DeliveryRecord r = records.get(0);
        ObjectNode json = RecordJson.toJson(r.value());
        if (!json.has("records")) {
          return new DeliveryRequest(r.idempotencyKey(), JSON.writeValueAsBytes(json), records);
        }
      }
      ObjectNode body = JSON.createObjectNode();
      ArrayNode items = body.putArray("records");
      for (DeliveryRecord r : records) {
        ObjectNode item = items.addObject();
        item.put("idempotencyKey", r.idempotencyKey());
        item.set("record", RecordJson.toJson(r.value()));
      }
      return new DeliveryRequest(batchKey(records), JSON.writeValueAsBytes(body), records);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise records " + records, e);
    }
  }

  /**
   * The deterministic key of a batch: {@code <first key>..<last key>/<count>}, shortened to the
   * wire format's 1000 characters by cutting both keys evenly.
   */
  public static String batchKey(List<DeliveryRecord> records) {
    String first = records.get(0).idempotencyKey();
    String last = records.get(records.size() - 1).idempotencyKey();
    String suffix = "/" + records.size();
    int room = DeliveryRecord.MAX_IDEMPOTENCY_KEY - 2 - suffix.length();
    if (first.length() + last.length() > room) {
      int half = room / 2;
      first = first.substring(0, Math.min(first.length(), half));
      last = last.substring(Math.max(0, last.length() - (room - first.length())));
    }
    return first + ".." + last + suffix;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeliveryRequest r
        && idempotencyKey.equals(r.idempotencyKey)
        && java.util.Arrays.equals(body, r.body)
        && records.equals(r.records);
  }

  @Override
  public int hashCode() {
    return idempotencyKey.hashCode() * 31 + records.hashCode();
  }

  @Override
  public String toString() {
    return "DeliveryRequest[" + records.size() + " record(s), key " + idempotencyKey + "]";
  }
}
