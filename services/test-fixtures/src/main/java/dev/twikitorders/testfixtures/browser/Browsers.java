package dev.twikitorders.testfixtures.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real browser for the status-page tests: Debian's headless {@code chromium} driven through its
 * {@code chromedriver} by Selenium, started with the flags this machine's closed network needs (no
 * background connections) and a fresh profile.
 *
 * <p>{@link #requireOrSkip()} skips a test without {@code /usr/bin/chromium} and {@code
 * /usr/bin/chromedriver}, unless {@code REQUIRE_BROWSER_TESTS=1} (set by {@code .ci/run}, which
 * installs both): then it fails.
 */
public final class Browsers {
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private Browsers() {}

  /** Skips the calling test when the browser is missing and not required; fails when required. */
  public static void requireOrSkip() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present && "1".equals(System.getenv("REQUIRE_BROWSER_TESTS"))) {
      throw new IllegalStateException(
          "REQUIRE_BROWSER_TESTS=1 but "
              + CHROMIUM
              + " or "
              + CHROMEDRIVER
              + " is missing: apt-get install chromium chromium-driver");
    }
    Assumptions.assumeTrue(
        present,
        "no " + CHROMIUM + " / " + CHROMEDRIVER + ": apt-get install chromium chromium-driver");
  }

  /** A headless Chromium with a new empty profile; quit it when done. */
  public static ChromeDriver headlessChromium() {
    Path profile;
    try {
      profile = Files.createTempDirectory("chromium-profile");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1600",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    return new ChromeDriver(service, options);
  }

  /**
   * The text of the status page's fact labelled {@code label} (a {@code dd} with that {@code
   * data-label}), or empty when the page does not show it.
   */
  public static String fact(ChromeDriver browser, String label) {
    List<WebElement> found = browser.findElements(By.cssSelector("dd[data-label='" + label + "']"));
    return found.isEmpty() ? "" : found.get(0).getText();
  }

  /** Saves a screenshot of the page to {@code file} (its folder created). */
  public static Path screenshot(ChromeDriver browser, Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return Files.move(
          browser.getScreenshotAs(OutputType.FILE).toPath(),
          file,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
