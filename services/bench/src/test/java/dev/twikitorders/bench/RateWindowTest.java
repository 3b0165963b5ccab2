package dev.twikitorders.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateWindowTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void bestWindowSkipsRampUpAndTail() {
    RateWindow w = new RateWindow();
    long count = 0;
    // 2 s ramp at 100/s, 10 s steady at 1000/s, 3 s tail at 200/s, one sample per 100 ms
    int[] perSecond = {
      100, 100, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 200, 200, 200
    };
    w.sample(0, 0);
    for (int s = 0; s < perSecond.length; s++) {
      for (int k = 1; k <= 10; k++) {
        count += perSecond[s] / 10;
        w.sample(s * SECOND + k * SECOND / 10, count);
      }
    }
    assertThat(w.best(Duration.ofSeconds(10))).isCloseTo(1000, within(1e-6));
    assertThat(w.best(Duration.ofSeconds(12)))
        .isCloseTo((10_000 + 2 * 200) / 12.0, within(1e-6)); // steady + the faster edge
    assertThat(w.spanSeconds()).isCloseTo(15, within(1e-9));
    assertThat(w.series(Duration.ofSeconds(1)))
        .startsWith("100 100 1000 ")
        .endsWith(" 200 200 200");
  }

  @Test
  void spanShorterThanTheWindowHasNoBestRate() {
    RateWindow w = new RateWindow();
    w.sample(0, 0);
    w.sample(5 * SECOND, 5000);
    assertThat(w.best(Duration.ofSeconds(10))).isEqualTo(-1);
    assertThat(w.best(Duration.ofSeconds(5))).isCloseTo(1000, within(1e-6));
    assertThat(new RateWindow().best(Duration.ofSeconds(1))).isEqualTo(-1);
  }
}
