package dev.twikitorders.enricher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twikitorders.enricher.app.EnricherApp;
import dev.twikitorders.enricher.it.ExpectedOutputs.OutputKey;
import dev.twikitorders.enricher.it.ExpectedOutputs.Role;
import dev.twikitorders.enricher.it.TestOrders.Item;
import dev.twikitorders.enricher.it.TestOrders.Produced;
import dev.twikitorders.ops.MetricsSettings;
import dev.twikitorders.testfixtures.browser.Browsers;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The pipeline's status page in a real browser: Selenium drives Debian's headless {@code chromium}
 * against the pipeline running on the embedded stack. The page shows the running state and the
 * application id, the counts of enriched lines, ERP records and dead letters equal to what the test
 * produced, dead letters by type, the Twikit token; then, with the Twikit API refusing every call
 * (403), the page shows the pipeline paused and why. Screenshots: {@code
 * target/status-page-enricher.png} (running) and {@code target/status-page-enricher-paused.png}.
 * Skipped without chromium unless {@code REQUIRE_BROWSER_TESTS=1} ({@code .ci/run}).
 */
class StatusPageBrowserIT {
  private static final Duration LONG = Duration.ofMinutes(3);

  private static ItStack it;

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    Browsers.requireOrSkip();
    it = ItStack.start(Duration.ofMillis(5), Duration.ZERO);
  }

  @AfterAll
  static void stop() {
    if (it != null) {
      it.close();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static long count(Map<OutputKey, Long> expected, Role role) {
    return expected.entrySet().stream()
        .filter(e -> e.getKey().role() == role)
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  @Test
  void thePageShowsTheCountsAndThenWhyThePipelineIsPaused() throws Exception {
    PipelineRun run = it.newRun("status-page");
    int port = freePort();
    try (EnricherApp app =
        EnricherApp.start(
            run.config(
                tmp.resolve("state"),
                Map.of(
                    MetricsSettings.PORT.key(),
                    String.valueOf(port),
                    MetricsSettings.BIND_ADDRESS.key(),
                    "127.0.0.1")))) {
      await("Kafka Streams RUNNING")
          .atMost(LONG)
          .until(() -> app.streams().state() == KafkaStreams.State.RUNNING);
      List<Item> items = TestOrders.mixed(run.name(), 30, 14, it.registry(), run.input());
      List<Produced> produced =
          TestOrders.produce(it.bootstrapServers(), it.registry(), run.input(), items);
      Map<OutputKey, Long> expected = ExpectedOutputs.of(produced);
      long erp = count(expected, Role.ERP);
      long deadLetters = count(expected, Role.DEAD_LETTER);
      assertThat(deadLetters).as("the orders include dead letters").isPositive();

      ChromeDriver browser = Browsers.headlessChromium();
      try {
        browser.get("http://127.0.0.1:" + port + "/");
        // the page refreshes itself every 3 s: wait until it shows every output
        await("the page shows every output")
            .atMost(LONG)
            .until(
                () ->
                    Browsers.fact(browser, "ERP records").equals(String.valueOf(erp))
                        && Browsers.fact(browser, "dead letters")
                            .equals(String.valueOf(deadLetters)));

        assertThat(browser.findElement(By.id("service")).getText()).isEqualTo("order-enricher");
        assertThat(browser.findElement(By.id("state")).getText()).isEqualTo("RUNNING");
        assertThat(Browsers.fact(browser, "application.id"))
            .isEqualTo(app.config().kafka().applicationId());
        assertThat(Browsers.fact(browser, "paused because")).isEqualTo("not paused");
        assertThat(Browsers.fact(browser, "lines enriched"))
            .isEqualTo(String.valueOf(app.stats().linesEnriched()));
        assertThat(Browsers.fact(browser, "token expires in")).matches("[0-9.]+ (s|min)");
        assertThat(Browsers.fact(browser, "last renewal")).endsWith(" ago");
        assertThat(Browsers.fact(browser, "circuit breaker")).isEqualTo("closed");
        String byType =
            browser
                .findElement(By.cssSelector("table[data-title='by type since start']"))
                .getText();
        expected.keySet().stream()
            .filter(k -> k.role() == Role.DEAD_LETTER)
            .map(OutputKey::status)
            .distinct()
            .forEach(type -> assertThat(byType).contains(type));
        assertThat(browser.findElements(By.cssSelector(".chart svg"))).hasSize(5);
        assertThat(browser.getPageSource()).doesNotContain(it.clientSecret());
        Path running = Browsers.screenshot(browser, Path.of("target", "status-page-enricher.png"));
        assertThat(Files.size(running)).isPositive();

        // Twikit refuses every call: the pipeline pauses, and the page says why
        it.sandbox().updateFaults(f -> f.errorRate(403, 1.0));
        TestOrders.produce(
            it.bootstrapServers(),
            it.registry(),
            run.input(),
            TestOrders.configuredOnly(run.name() + "-paused", 5, 15));
        await("the page shows the pause")
            .atMost(LONG)
            .until(() -> browser.findElement(By.id("state")).getText().equals("PAUSED"));
        assertThat(Browsers.fact(browser, "paused because")).startsWith("TWIKIT_FORBIDDEN");
        Browsers.screenshot(browser, Path.of("target", "status-page-enricher-paused.png"));
      } finally {
        browser.quit();
        it.sandbox().resetFaults();
      }
    }
  }
}
