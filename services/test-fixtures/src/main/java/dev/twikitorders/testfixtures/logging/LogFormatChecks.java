package dev.twikitorders.testfixtures.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twikitorders.ops.logging.LogContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks of an application's logging setup, shared by the deployables' {@code LogFormatTest}:
 * runs the application's {@code logback.xml} (which includes the shared {@code logback-base.xml})
 * in a child JVM with {@code LOG_FORMAT} set in the environment, as the jar would, and reads what
 * it writes to stderr. A subclass names the application ({@link #application()}).
 */
public abstract class LogFormatChecks {

  /** A class of the application whose {@code logback.xml} (beside its classes) is checked. */
  protected abstract Class<?> application();

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The child JVM: logs an event line, a line-level warning with ids, and an exception. */
  public static void main(String[] args) {
    Logger log = LoggerFactory.getLogger("dev.twikitorders.probe");
    log.info("starting");
    try (LogContext c = LogContext.line("event-1", "order-1", "line-1", "conf-1")) {
      log.warn("line dead-lettered");
    }
    log.error("failed", new IllegalStateException("boom"));
    log.info("done");
  }

  @Test
  public void jsonWritesOneObjectPerLineWithTheFieldsAndTheMdcIds() throws Exception {
    List<String> lines = run("json");
    assertThat(lines).hasSize(4);
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : lines) {
      JsonNode n = JSON.readTree(line);
      assertThat(n.isObject()).as(line).isTrue();
      for (String field : List.of("timestamp", "level", "logger", "thread", "message")) {
        assertThat(n.path(field).isTextual()).as(field + " in " + line).isTrue();
      }
      String ts = n.get("timestamp").asText();
      assertThat(ts).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
      assertThat(OffsetDateTime.parse(ts)).isNotNull();
      assertThat(n.get("logger").asText()).isEqualTo("dev.twikitorders.probe");
      assertThat(n.get("thread").asText()).isEqualTo("main");
      nodes.add(n);
    }
    JsonNode warn = nodes.get(1);
    assertThat(warn.get("level").asText()).isEqualTo("WARN");
    assertThat(warn.get("message").asText()).isEqualTo("line dead-lettered");
    assertThat(warn.get("eventId").asText()).isEqualTo("event-1");
    assertThat(warn.get("orderId").asText()).isEqualTo("order-1");
    assertThat(warn.get("lineId").asText()).isEqualTo("line-1");
    assertThat(warn.get("configurationId").asText()).isEqualTo("conf-1");
    JsonNode error = nodes.get(2);
    assertThat(error.get("level").asText()).isEqualTo("ERROR");
    assertThat(error.get("stack_trace").asText())
        .startsWith("java.lang.IllegalStateException: boom");
    // the MDC is cleared after the block; nothing beyond the listed fields is written
    for (JsonNode n : List.of(nodes.get(0), nodes.get(3))) {
      assertThat(n.has("orderId")).isFalse();
      List<String> names = new ArrayList<>();
      n.fieldNames().forEachRemaining(names::add);
      assertThat(names).containsExactly("timestamp", "level", "logger", "thread", "message");
    }
  }

  @Test
  public void textStaysTheDefault() throws Exception {
    for (String format : new String[] {null, "text"}) {
      List<String> lines = run(format);
      assertThat(lines).hasSizeGreaterThanOrEqualTo(4);
      assertThat(lines.get(0))
          .matches("\\d{2}:\\d{2}:\\d{2}\\.\\d{3} INFO  \\[main\\] .* - starting");
      assertThat(lines).noneMatch(l -> l.startsWith("{"));
      assertThat(lines).anyMatch(l -> l.startsWith("java.lang.IllegalStateException: boom"));
    }
  }

  @Test
  public void anUnknownFormatLogsAsTextAfterOneWarning() throws Exception {
    List<String> lines = run("xml");
    assertThat(lines.get(0)).contains("LOG_FORMAT='xml'").contains("logging as text");
    assertThat(lines.get(1)).endsWith(" - starting");
  }

  @TempDir public Path tmp;

  private List<String> run(String format) throws IOException, InterruptedException {
    Path out = tmp.resolve("stdout-" + format);
    Path classes =
        Path.of(application().getProtectionDomain().getCodeSource().getLocation().getPath());
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb =
        new ProcessBuilder(
            java.toString(),
            "-Xmx64m",
            "-XX:TieredStopAtLevel=1",
            "-Dlogback.configurationFile=" + classes.resolve("logback.xml"),
            "-cp",
            System.getProperty("java.class.path"),
            LogFormatChecks.class.getName());
    pb.environment().remove("LOG_FORMAT");
    pb.environment().remove("LOG_LEVEL");
    if (format != null) {
      pb.environment().put("LOG_FORMAT", format);
    }
    pb.redirectOutput(out.toFile());
    Process p = pb.start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err).isZero();
    // stdout belongs to command output: logging (and logback's own status) never writes there
    assertThat(Files.readString(out)).isEmpty();
    return err.lines().toList();
  }
}
