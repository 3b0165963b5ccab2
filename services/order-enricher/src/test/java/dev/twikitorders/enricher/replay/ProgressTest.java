package dev.twikitorders.enricher.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void showsPercentRateAndEta() {
    AtomicLong nanos = new AtomicLong();
    StringWriter text = new StringWriter();
    Progress p = new Progress(new PrintWriter(text), true, nanos::get);
    p.start("replay", 1_000);
    nanos.set(10_000_000_000L); // 10 s
    assertThat(p.line(250, "", nanos.get()))
        .isEqualTo("replay [########......................]  25% 250/1000, 25/s, ETA 0:30");
    assertThat(p.line(1_000, "x", nanos.get())).endsWith("100% 1000/1000, 100/s, done, x");
    p.update(250, "");
    p.finish(1_000, "");
    assertThat(text.toString())
        .startsWith("\rreplay [")
        .contains("ETA 0:30")
        .endsWith("done   " + System.lineSeparator());
  }

  @Test
  void formatsLongEtas() {
    assertThat(Progress.clock(3_725)).isEqualTo("1:02:05");
    assertThat(Progress.clock(59)).isEqualTo("0:59");
  }

  @Test
  void disabledPrintsNothing() {
    StringWriter text = new StringWriter();
    Progress p = new Progress(new PrintWriter(text), false);
    p.start("replay", 10);
    p.update(5, "");
    p.finish(10, "");
    assertThat(text.toString()).isEmpty();
  }
}
