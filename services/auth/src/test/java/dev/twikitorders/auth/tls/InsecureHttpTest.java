package dev.twikitorders.auth.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InsecureHttpTest {

  private static void check(String url, boolean allow) {
    InsecureHttp.check(URI.create(url), allow, "twikit.api.url", "twikit.allow.insecure.http");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://localhost:8080/api",
        "http://LOCALHOST/api",
        "http://localhost./",
        "http://127.0.0.1:1",
        "http://127.10.20.30/",
        "http://[::1]:8080/",
        "http://[0:0:0:0:0:0:0:1]/",
      })
  void loopbackHttpIsFine(String url) {
    assertThatCode(() -> check(url, false)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://api.example.com/v1",
        "HTTPS://10.0.0.1/",
        "https://[2001:db8::1]/",
      })
  void httpsIsFine(String url) {
    assertThatCode(() -> check(url, false)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://api.example.com/v1",
        "http://twikit-sandbox:8089",
        "http://10.0.0.1/",
        "http://128.0.0.1/",
        "http://0.0.0.0/",
        "http://localhost.example.com/",
        "http://127.0.0.1.nip.io/",
        "http://[2001:db8::1]/",
        "http://[::]/",
        "HTTP://example.com/",
      })
  void otherHttpHostsAreRefusedUnlessAllowed(String url) {
    assertThatThrownBy(() -> check(url, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "twikit.api.url is http:// for host "
                + URI.create(url).getHost()
                + ", which is not loopback: use https:// or set twikit.allow.insecure.http=true");
    assertThatCode(() -> check(url, true)).doesNotThrowAnyException();
  }

  @Test
  void theMessageNamesTheHostOnly() {
    assertThatThrownBy(() -> check("http://user:s3cr3t-pw@registry.example:8081/p?q=tok", false))
        .hasMessageContaining("registry.example")
        .hasMessageNotContaining("s3cr3t-pw")
        .hasMessageNotContaining("tok");
  }

  @Test
  void loopbackIsJudgedFromTheTextAlone() {
    assertThat(InsecureHttp.isLoopback("127.0.0.1")).isTrue();
    assertThat(InsecureHttp.isLoopback("::1")).isTrue();
    assertThat(InsecureHttp.isLoopback("[::1]")).isTrue();
    assertThat(InsecureHttp.isLoopback("::ffff:127.0.0.1")).isTrue();
    assertThat(InsecureHttp.isLoopback("999.0.0.1")).isFalse();
    assertThat(InsecureHttp.isLoopback("127.0.0.256")).isFalse();
    assertThat(InsecureHttp.isLoopback("ip6-localhost")).isFalse();
    assertThat(InsecureHttp.isLoopback("")).isFalse();
    assertThat(InsecureHttp.isLoopback(null)).isFalse();
  }
}
