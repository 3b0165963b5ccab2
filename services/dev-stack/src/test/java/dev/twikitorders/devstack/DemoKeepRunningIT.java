package dev.twikitorders.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code demo --keep-running --metrics-port P} as a user runs it (the packaged dev-stack jar in a
 * child JVM): after the summary it prints the status page URL and keeps serving it, and SIGTERM
 * stops everything with the JVM's exit code 143.
 */
class DemoKeepRunningIT {
  @Test
  void keepsServingTheStatusPageUntilSigterm() throws Exception {
    Path jar = Path.of("target", "dev-stack.jar");
    assertThat(jar).as("the packaged dev-stack jar").exists();
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path log =
        Files.createDirectories(Path.of("target", "it-logs")).resolve("demo-keep-running.log");
    Process demo =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString(),
                "demo",
                "--orders",
                "10",
                "--keep-running",
                "--metrics-port",
                String.valueOf(port))
            .redirectError(log.toFile())
            .start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  lines.add(line);
                }
              } catch (java.io.IOException e) {
                // the process ended
              }
            });
    reader.start();
    try {
      await("the status page URL")
          .atMost(Duration.ofMinutes(3))
          .until(
              () ->
                  !demo.isAlive()
                      || lines.stream()
                          .anyMatch(l -> l.contains("Status page: http://127.0.0.1:")));
      assertThat(demo.isAlive()).as("the demo keeps running; output: %s", lines).isTrue();
      assertThat(lines).anyMatch(l -> l.contains("http://127.0.0.1:" + port + "/"));
      assertThat(lines).anyMatch(l -> l.contains("All lines accounted for"));

      try (HttpClient http = HttpClient.newHttpClient()) {
        HttpResponse<String> page =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> status =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status.json"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("status.json");
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).contains("\"service\":\"order-enricher\"");
      }

      demo.destroy(); // SIGTERM
      assertThat(demo.waitFor(90, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
      assertThat(demo.exitValue()).isEqualTo(143);
    } finally {
      demo.destroyForcibly();
    }
  }
}
