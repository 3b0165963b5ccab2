package dev.twikitorders.delivery.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twikitorders.delivery.app.DeliveryApp;
import dev.twikitorders.delivery.config.DeliveryConfig;
import dev.twikitorders.delivery.it.DeliveryStack.Produced;
import dev.twikitorders.delivery.it.DeliveryStack.Run;
import dev.twikitorders.sandbox.TwikitSandbox;
import dev.twikitorders.settings.ConfigSources;
import dev.twikitorders.testfixtures.browser.Browsers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The delivery service's status page in a real browser: Selenium drives Debian's headless {@code
 * chromium} through {@code chromedriver} against the service running on the embedded stack. The
 * page shows the running state, the records delivered and the one dead letter the test caused (its
 * key among the last dead letters), and a screenshot is saved as {@code
 * target/status-page-delivery.png}.
 *
 * <p>Without {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} the test is skipped,
 * unless {@code REQUIRE_BROWSER_TESTS=1} (set by {@code .ci/run}, which installs both): then it
 * fails.
 */
class StatusPageBrowserIT {
  private static final String API_KEY = "browser-api-key-SECRET-41c9";

  private static DeliveryStack stack;
  private static TwikitSandbox sb;

  @BeforeAll
  static void start() {
    Browsers.requireOrSkip();
    stack = DeliveryStack.start(b -> b.apiKey(API_KEY));
    sb = stack.sandbox();
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void thePageShowsTheStateTheDeliveriesAndTheDeadLetter() throws Exception {
    Run run = stack.newRun("browser");
    List<Produced> produced = stack.produce(run, 4, 3);
    String refused = produced.get(5).key();
    sb.rejectSinkKeys(run.sink(), refused);
    int port = DeliveryProcess.freePort();
    Map<String, String> extra = new HashMap<>();
    extra.put("DELIVERY_AUTH_SCHEME", "api_key");
    extra.put("DELIVERY_API_KEY", API_KEY);
    extra.put("METRICS_PORT", Integer.toString(port));
    extra.put("METRICS_BIND_ADDRESS", "127.0.0.1");
    try (DeliveryApp app =
        DeliveryApp.start(
            DeliveryConfig.from(
                new ConfigSources(DeliveryConfig.CATALOG)
                    .environment(stack.environment(run, extra))))) {
      await("delivered and dead-lettered")
          .atMost(DeliveryProcess.LONG)
          .until(
              () ->
                  app.metrics().delivered() == produced.size() - 1
                      && app.metrics().deadLettered() == 1);

      ChromeDriver browser = Browsers.headlessChromium();
      try {
        browser.get("http://127.0.0.1:" + port + "/");
        await("the page rendered the report")
            .atMost(Duration.ofSeconds(30))
            .until(() -> !browser.findElements(By.cssSelector("section[data-title]")).isEmpty());
        // the page refreshes itself: wait until it shows the final counts
        await("the page shows the counts")
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    Browsers.fact(browser, "records delivered since start")
                        .equals(String.valueOf(produced.size() - 1)));

        assertThat(browser.findElement(By.id("service")).getText()).isEqualTo("delivery");
        assertThat(browser.findElement(By.id("state")).getText()).isEqualTo("RUNNING");
        assertThat(Browsers.fact(browser, "topic")).isEqualTo(run.topic());
        assertThat(Browsers.fact(browser, "paused because")).isEqualTo("not paused");
        WebElement byType =
            browser.findElement(By.cssSelector("table[data-title='by type since start']"));
        assertThat(byType.getText()).contains("DELIVERY_REJECTED 1");
        WebElement last = browser.findElement(By.cssSelector("table[data-title='last 20']"));
        assertThat(last.getText()).contains(refused).contains("400");
        assertThat(browser.findElements(By.cssSelector(".chart svg"))).hasSize(4);
        assertThat(browser.getPageSource()).doesNotContain(API_KEY);

        Path shot = Browsers.screenshot(browser, Path.of("target", "status-page-delivery.png"));
        assertThat(Files.size(shot)).isPositive();
      } finally {
        browser.quit();
      }
    }
  }
}
