package dev.twikitorders.bench;

import dev.twikitorders.enricher.app.Wiring;
import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.enricher.config.Settings;
import dev.twikitorders.settings.ConfigSources;
import dev.twikitorders.twikit.TwikitApi;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * The raw-ceiling child JVM: the pipeline's Twikit client (built as the pipeline builds it) driving
 * the sandbox directly, no Kafka, in a JVM with the pipeline's options ({@link ChildJvm}).
 *
 * <p>Usage: {@code RawClientMain --set key=value ...}: the very settings the bench gives the
 * pipeline (the client secret in {@code TWIKIT_CLIENT_SECRET}), turned into the client
 * configuration by {@link Wiring#twikitClientConfig}. It then reads commands from stdin, one per
 * line, and answers each on stdout:
 *
 * <ul>
 *   <li>{@code run <warmupMillis> <measureMillis>} answers {@code result <seconds> <calls> <lines>
 *       <failures>}: a {@link RawCeiling} window after an unmeasured warm-up;
 *   <li>{@code quit} (or end of input) exits 0.
 * </ul>
 *
 * Anything else on stdout is avoided (logs go to stderr), so the bench can parse the answers.
 */
public final class RawClientMain {
  private RawClientMain() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    System.setOut(System.err); // before any logging starts: only answers on the real stdout
    ConfigSources sources = new ConfigSources(Settings.CATALOG).environment(System.getenv());
    for (int i = 0; i < args.length; i++) {
      String kv = args[i].equals("--set") && i + 1 < args.length ? args[++i] : null;
      int eq = kv == null ? -1 : kv.indexOf('=');
      if (eq <= 0) {
        System.err.println("usage: RawClientMain --set key=value ... (the pipeline's settings)");
        System.exit(2);
      }
      sources.flag(kv.substring(0, eq), kv.substring(eq + 1), "--set");
    }
    EnricherConfig config = EnricherConfig.from(sources);
    int maxInFlight = config.twikit().maxInFlight();
    try (TwikitApi api = Wiring.of(config).twikitClient(null)) {
      RawCeiling ceiling = new RawCeiling(api);
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        String[] f = line.trim().split("\\s+");
        if (f[0].equals("quit")) {
          break;
        }
        if (!f[0].equals("run") || f.length != 3) {
          System.err.println("unknown command: " + line);
          System.exit(2);
        }
        RawCeiling.Result r =
            ceiling.run(
                maxInFlight,
                Duration.ofMillis(Long.parseLong(f[1])),
                Duration.ofMillis(Long.parseLong(f[2])));
        out.println(
            String.format(
                Locale.ROOT,
                "result %.6f %d %d %d",
                r.seconds(),
                r.calls(),
                r.lines(),
                r.failures()));
        out.flush();
      }
    }
    System.exit(0);
  }
}
