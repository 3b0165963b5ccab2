package dev.twikitorders.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.testpki.TestPki;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the command line in a child JVM: URLs printed, secret never printed, clean SIGTERM. */
class SandboxMainProcessTest {

  @Test
  void printsUrlsServesAndStopsOnSigterm(@TempDir Path dir) throws Exception {
    Path err = dir.resolve("stderr.txt");
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                SandboxMain.class.getName(),
                "--port",
                "0",
                "--client-secret",
                "top-s3cret",
                "--event-loops",
                "1")
            .redirectError(err.toFile())
            .start();
    try {
      List<String> lines = new ArrayList<>();
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
        if (line.startsWith("Configurations:")) {
          break;
        }
      }
      assertThat(lines)
          .anySatisfy(l -> assertThat(l).startsWith("Twikit sandbox API: http://127.0.0.1:"));
      assertThat(lines)
          .anySatisfy(
              l -> assertThat(l).startsWith("Token endpoint: http://").endsWith("/oauth2/token"));
      assertThat(lines)
          .anySatisfy(l -> assertThat(l).startsWith("Admin: http://").endsWith("/_sandbox/"));
      URI api = URI.create(lines.get(0).substring("Twikit sandbox API: ".length()));
      assertThat(
              SandboxHttp.send(HttpRequest.newBuilder(api.resolve("/status")).build()).statusCode())
          .isEqualTo(200);

      p.destroy(); // SIGTERM
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String stderr = Files.readString(err);
      assertThat(stderr).contains("stopped");
      assertThat(String.join("\n", lines) + stderr).doesNotContain("top-s3cret");
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void tlsFlagsGiveHttpsUrlsInTheBanner(@TempDir Path dir) throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    Path err = dir.resolve("stderr.txt");
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                SandboxMain.class.getName(),
                "--port",
                "0",
                "--event-loops",
                "1",
                "--tls-cert",
                pki.serverCertPem().toString(),
                "--tls-key",
                pki.serverKeyPem().toString(),
                "--client-ca",
                pki.caCertPem().toString())
            .redirectError(err.toFile())
            .start();
    try {
      List<String> lines = new ArrayList<>();
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
        if (line.startsWith("Configurations:")) {
          break;
        }
      }
      assertThat(lines.get(0)).startsWith("Twikit sandbox API: https://127.0.0.1:");
      assertThat(lines)
          .anySatisfy(l -> assertThat(l).startsWith("Token endpoint: https://"))
          .anySatisfy(l -> assertThat(l).startsWith("Authorization endpoint: https://"))
          .anySatisfy(l -> assertThat(l).startsWith("Registration endpoint: https://"))
          .anySatisfy(
              l ->
                  assertThat(l)
                      .startsWith("Metadata: https://")
                      .endsWith("/.well-known/oauth-authorization-server"))
          .anySatisfy(l -> assertThat(l).isEqualTo("TLS: on, client certificate required"));
      URI api = URI.create(lines.get(0).substring("Twikit sandbox API: ".length()));
      HttpClient client = HttpClient.newBuilder().sslContext(pki.clientContext(true)).build();
      assertThat(
              client
                  .send(
                      HttpRequest.newBuilder(api.resolve("/status")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
      p.destroy();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
  }
}
