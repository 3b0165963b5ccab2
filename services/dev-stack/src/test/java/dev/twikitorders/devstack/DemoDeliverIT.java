package dev.twikitorders.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code demo --deliver} on the real embedded stack (KRaft broker, registry child JVM, sandbox):
 * the pipeline's outputs, then the delivery service in-process to the sandbox's sink. The ERP
 * records the summary counted must all be delivered, the exit code says so, and the generated
 * client secret appears in no output.
 */
class DemoDeliverIT {
  /** The client secret EmbeddedInfrastructure generates: {@code sandbox-<uuid>}. */
  private static final Pattern SECRET = Pattern.compile("sandbox-[0-9a-f]{8}-[0-9a-f-]{27}");

  @Test
  void deliversEveryErpRecordToTheSandboxSink() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new DemoCommand())
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute("--orders", "40", "--deliver", "--timeout-s", "120");
    String text = out.toString();

    assertThat(code).as("exit code; output:%n%s%n%s", text, err).isZero();
    long erp = count(text, "\\| ERP records\\s+\\|\\s+(\\d+) \\|");
    assertThat(erp).isPositive();
    assertThat(count(text, "records on the topic:\\s+(\\d+)")).isEqualTo(erp);
    assertThat(count(text, "delivered to the sink:\\s+(\\d+) of them")).isEqualTo(erp);
    assertThat(count(text, "dead letters:\\s+(\\d+)\\n")).isZero();
    assertThat(text).contains("Every ERP record delivered");
    for (String s : List.of(text, err.toString())) {
      assertThat(SECRET.matcher(s).find()).as("the client secret in the output").isFalse();
    }
  }

  private static long count(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as("%s in:%n%s", regex, text).isTrue();
    return Long.parseLong(m.group(1));
  }
}
