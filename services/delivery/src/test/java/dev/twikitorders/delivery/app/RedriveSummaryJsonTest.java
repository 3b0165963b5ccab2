package dev.twikitorders.delivery.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code dlq redrive --json} summary (services/delivery/README.md). */
class RedriveSummaryJsonTest {

  @Test
  void hasStableFieldsAndTypes() throws Exception {
    StringWriter out = new StringWriter();
    new Redrive.Summary("rd-7", 5, 3, 2, false).printJson(new PrintWriter(out));

    assertThat(out.toString().lines().count()).isEqualTo(1);
    JsonNode doc = new ObjectMapper().readTree(out.toString());
    List<String> names = new ArrayList<>();
    doc.fieldNames().forEachRemaining(names::add);
    assertThat(names)
        .containsExactly("replayId", "dryRun", "selected", "delivered", "deadLetteredAgain");
    assertThat(doc.get("replayId").asText()).isEqualTo("rd-7");
    assertThat(doc.get("dryRun").isBoolean()).isTrue();
    assertThat(doc.get("dryRun").asBoolean()).isFalse();
    assertThat(doc.get("selected").isInt()).isTrue();
    assertThat(doc.get("selected").asInt()).isEqualTo(5);
    assertThat(doc.get("delivered").asInt()).isEqualTo(3);
    assertThat(doc.get("deadLetteredAgain").asInt()).isEqualTo(2);
  }
}
