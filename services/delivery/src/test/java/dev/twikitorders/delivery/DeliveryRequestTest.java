package dev.twikitorders.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twikitorders.auth.Credentials;
import dev.twikitorders.auth.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecordBuilder;
import org.junit.jupiter.api.Test;

class DeliveryRequestTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aSingleRecordIsTheBodyWithItsKeyAsHeader() throws Exception {
    DeliveryRecord r = Records.record(4);

    DeliveryRequest req = DeliveryRequest.of(List.of(r));

    assertThat(req.idempotencyKey()).isEqualTo("order-1/line-4");
    assertThat(JSON.readTree(req.body())).isEqualTo(RecordJson.toJson(r.value()));
    assertThat(req.toString()).doesNotContain("SKU-line-4");
  }

  @Test
  void aBatchCarriesEveryRecordInOrderUnderADeterministicBatchKey() throws Exception {
    List<DeliveryRecord> rs = Records.lines(3);

    DeliveryRequest req = DeliveryRequest.of(rs);

    assertThat(req.idempotencyKey()).isEqualTo("order-1/line-0..order-1/line-2/3");
    assertThat(DeliveryRequest.of(Records.lines(3))).isEqualTo(req);
    JsonNode items = JSON.readTree(req.body()).get("records");
    assertThat(items).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(items.get(i).get("idempotencyKey").asText()).isEqualTo("order-1/line-" + i);
      assertThat(items.get(i).get("record")).isEqualTo(RecordJson.toJson(rs.get(i).value()));
    }
  }

  @Test
  void aBatchKeyStaysWithinTheWireFormatsLimit() {
    List<DeliveryRecord> rs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      rs.add(
          new DeliveryRecord(null, Records.summary("l"), i + "x".repeat(999), Records.TOPIC, 0, i));
    }
    String key = DeliveryRequest.batchKey(rs);
    assertThat(key).hasSizeLessThanOrEqualTo(DeliveryRecord.MAX_IDEMPOTENCY_KEY).endsWith("x/2");
    assertThat(key).hasSize(DeliveryRecord.MAX_IDEMPOTENCY_KEY).startsWith("0xx").contains("x..x");
  }

  @Test
  void aSingleRecordWithATopLevelRecordsFieldGoesAsABatchOfOne() throws Exception {
    Schema schema =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"records\",\"type\":{\"type\":\"array\",\"items\":\"int\"}}]}");
    DeliveryRecord r =
        new DeliveryRecord(
            null,
            new GenericRecordBuilder(schema).set("records", List.of(1)).build(),
            "k",
            "t",
            0,
            0);

    JsonNode body = JSON.readTree(DeliveryRequest.of(List.of(r)).body());

    assertThat(body.get("records").get(0).get("idempotencyKey").asText()).isEqualTo("k");
    assertThat(body.get("records").get(0).get("record").get("records").get(0).asInt()).isEqualTo(1);
  }

  @Test
  void badRecordsAreRefusedNamingThem() {
    assertThatThrownBy(() -> DeliveryRequest.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new DeliveryRecord(null, Records.summary("l"), "", Records.TOPIC, 3, 17))
        .hasMessageContaining(Records.TOPIC + "-3@17");
  }

  @Test
  void anExcerptIsAtMost1KbWithEveryCredentialValueScrubbed() {
    String key = "api-key-5f2e9c";
    Credentials c =
        Credentials.of(
            List.of(new Credentials.Header("Authorization", Secret.of("Bearer " + key))));
    Credentials h = Credentials.of(List.of(new Credentials.Header("X-Key", Secret.of(key))));
    String body = "{\"error\":\"bad\",\"echo\":\"" + key + "\"," + "x".repeat(2000) + "}";

    String excerpt = HttpDelivery.excerpt(body.getBytes(StandardCharsets.UTF_8), List.of(c, h));

    assertThat(excerpt).hasSize(HttpDelivery.EXCERPT_CHARS).doesNotContain(key).contains("***");
    // a secret cut by the excerpt's end is scrubbed too
    String cut = "y".repeat(HttpDelivery.EXCERPT_CHARS - 5) + key;
    assertThat(HttpDelivery.excerpt(cut.getBytes(StandardCharsets.UTF_8), List.of(h)))
        .doesNotContain(key.substring(0, 5))
        .endsWith("***");
  }
}
