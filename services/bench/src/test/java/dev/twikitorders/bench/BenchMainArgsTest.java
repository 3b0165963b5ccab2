package dev.twikitorders.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Usage errors of {@code --peers}: exit code 2 and a message naming the option, before any round.
 */
class BenchMainArgsTest {
  @TempDir Path tmp;

  private record Outcome(int code, String err) {}

  private static Outcome execute(String... args) {
    StringWriter err = new StringWriter();
    int code = new CommandLine(new BenchMain()).setErr(new PrintWriter(err, true)).execute(args);
    return new Outcome(code, err.toString());
  }

  @Test
  void aMissingPeersDirectoryIsAUsageError() {
    Outcome o = execute("--peers", "/nonexistent");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("--peers /nonexistent: no such directory");
  }

  @Test
  void aPeersDirectoryWithoutPomIsAUsageError() {
    Outcome o = execute("--peers", tmp.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("--peers " + tmp + ": no pom.xml");
  }

  @Test
  void peersDoNotCombineWithTheSoak() throws Exception {
    Files.writeString(tmp.resolve("pom.xml"), "<project/>");
    Outcome o = execute("--peers", tmp.toString(), "--soak", "1");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("cannot be combined with --soak");
  }

  @Test
  void peerCountsMustBePositive() throws Exception {
    Files.writeString(tmp.resolve("pom.xml"), "<project/>");
    Outcome o = execute("--peers", tmp.toString(), "--peer-orders", "0");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("--peer-orders");
  }
}
